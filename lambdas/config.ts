import { z } from 'zod';
import { type Catalogue, CatalogueSchema, DEFAULT_CATALOGUE } from './domain/notice-catalogue';
import { isValidTimeZone } from './domain/zoned-time';

/**
 * Runtime configuration: every environment variable the handlers read, validated once at start-up. The same
 * names are set by the CDK app on AWS and by the local portal (`local/start.ts`).
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  authIssuer: 'AUTH_ISSUER',
  authAudience: 'AUTH_AUDIENCE',
  authJwksUrl: 'AUTH_JWKS_URL',
  defaultTimeZone: 'DEFAULT_TIME_ZONE',
  noticeCatalogue: 'NOTICE_CATALOGUE',
  logLevel: 'LOG_LEVEL',
} as const;

const EnvSchema = z.object({
  [ENV.tableName]: z.string().min(3),
  [ENV.authIssuer]: z.url(),
  [ENV.authAudience]: z.string().min(1),
  [ENV.authJwksUrl]: z.url(),
  [ENV.defaultTimeZone]: z.string().refine(isValidTimeZone, 'must be an IANA time zone').default('Australia/Sydney'),
  /** Optional JSON array replacing the built-in notice catalogue. */
  [ENV.noticeCatalogue]: z.string().optional(),
  [ENV.logLevel]: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export interface Config {
  tableName: string;
  auth: { issuer: string; audience: string; jwksUrl: string };
  defaultTimeZone: string;
  catalogue: Catalogue;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    tableName: e[ENV.tableName],
    auth: { issuer: e[ENV.authIssuer], audience: e[ENV.authAudience], jwksUrl: e[ENV.authJwksUrl] },
    defaultTimeZone: e[ENV.defaultTimeZone],
    catalogue: parseCatalogue(e[ENV.noticeCatalogue]),
    logLevel: e[ENV.logLevel],
  };
}

function parseCatalogue(json: string | undefined): Catalogue {
  if (json === undefined || json.trim() === '') return DEFAULT_CATALOGUE;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError(`Invalid configuration: ${ENV.noticeCatalogue} is not valid JSON`);
  }
  const parsed = CatalogueSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${ENV.noticeCatalogue}: ${problems}`);
  }
  return parsed.data;
}

let cached: Config | undefined;
/** The process's configuration, parsed on first use; a bad value stops the function at cold start. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
