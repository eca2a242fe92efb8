import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors';
import type { Io } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies Options;

/** Flags of the commands that talk to the portal. */
export const API_OPTIONS = {
  api: { type: 'string' },
} as const satisfies Options;

export const ENV_API = 'NOTICE_PORTAL_API';
export const ENV_TOKEN = 'NOTICE_PORTAL_TOKEN';

/**
 * `parseArgs` in strict mode, with its errors turned into a usage error that names the command; an unknown flag
 * is far more often a typo than something to ignore.
 */
export function parseCommandArgs<T extends Options>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, '.'), command);
  }
}

export function required(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required.`, command);
  return value;
}

/** The portal's base URL from `--api` or NOTICE_PORTAL_API, without a trailing slash. */
export function resolveApi(command: string, flag: string | undefined, io: Io): string {
  const value = flag ?? io.env[ENV_API];
  if (!value) {
    throw new UsageError(`No portal address: pass --api https://… or set ${ENV_API}.`, command);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`The portal address "${value}" is not a URL.`, command);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`The portal address must be http(s), not ${url.protocol}`, command);
  }
  return url.toString().replace(/\/+$/, '');
}

/** The bearer token from `--token` or NOTICE_PORTAL_TOKEN (the variable keeps it out of `ps` and shell history). */
export function resolveToken(command: string, flag: string | undefined, io: Io): string {
  const value = (flag ?? io.env[ENV_TOKEN])?.trim();
  if (!value) {
    throw new UsageError(
      `No access token: set ${ENV_TOKEN} (preferred, it stays out of your shell history) or pass --token.`,
      command,
    );
  }
  return value;
}

/** `600`, `600s`, `10m`, `1h`, `500ms` → milliseconds; a bare number is seconds. */
export function parseDuration(command: string, flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag} must be a duration such as 90, 90s, 10m or 1h, not "${value}".`, command);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

export function parseIntegerFlag(command: string, flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`, command);
  }
  return n;
}
