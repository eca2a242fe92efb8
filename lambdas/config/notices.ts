import { type Catalogue, CatalogueSchema, DEFAULT_CATALOGUE } from '../domain/notice-catalogue';
import * as z from '../domain/zod';
import { isValidTimeZone } from '../domain/zoned-time';
import { once } from '../runtime/once';
import { ConfigError, ENV, parseEnvironment } from './env';

/** What the notice use cases are configured with: the catalogue and how due times are computed. */
export interface NoticeConfig {
  defaultTimeZone: string;
  catalogue: Catalogue;
  deadlineJurisdiction: { country: string; state?: string };
  /** An explicit due time (draft, extension, further information) may be at most this many days away. */
  maxDueDays: number;
}

const NoticeEnv = z.object({
  [ENV.defaultTimeZone]: z._default(
    z.string().check(z.refine(isValidTimeZone, 'must be an IANA time zone')),
    'Australia/Sydney',
  ),
  /** Optional JSON array replacing the built-in notice catalogue. */
  [ENV.noticeCatalogue]: z.optional(z.string()),
  [ENV.deadlineJurisdiction]: z._default(
    z.string().check(z.regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must look like "AU" or "AU-NSW"')),
    'AU-NSW',
  ),
  [ENV.maxDueDays]: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(3650)), 730),
});

export function parseNoticeConfig(env: NodeJS.ProcessEnv): NoticeConfig {
  const e = parseEnvironment(NoticeEnv, env);
  return {
    defaultTimeZone: e[ENV.defaultTimeZone],
    catalogue: parseCatalogue(e[ENV.noticeCatalogue]),
    deadlineJurisdiction: parseJurisdiction(e[ENV.deadlineJurisdiction]),
    maxDueDays: e[ENV.maxDueDays],
  };
}

/** The notice settings of this process, parsed on first use. */
export const noticeConfig = once(() => parseNoticeConfig(process.env));

function parseJurisdiction(value: string): { country: string; state?: string } {
  // split yields at least one piece (and the schema's pattern makes it two letters), so the default is never used.
  const [country = '', state] = value.split('-');
  return state ? { country, state } : { country };
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
