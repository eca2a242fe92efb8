import { type RuntimeConfig, RuntimeConfigSchema } from './runtime-config';

/** Fetched once before the app renders; a missing or malformed file stops the app with a message, not a blank page. */
export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok)
    throw new Error(`The portal's configuration (/config.json) could not be loaded: ${response.status}.`);
  const parsed = RuntimeConfigSchema.safeParse(await response.json());
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new Error(`The portal's configuration (/config.json) is not valid: ${fields}.`);
  }
  return parsed.data;
}
