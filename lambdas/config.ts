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
  /** Where the public holidays for deadlines come from, as COUNTRY or COUNTRY-STATE (ISO 3166): `AU-NSW`. */
  deadlineJurisdiction: 'DEADLINE_JURISDICTION',
  /** How many days after it is given (or set) an explicitly chosen due time may be at most. */
  maxDueDays: 'MAX_DUE_DAYS',
  /** `ses` on AWS; `outbox` writes each message as a file (local portal). */
  mailTransport: 'MAIL_TRANSPORT',
  mailSender: 'MAIL_SENDER',
  /** SES configuration set whose events witness each accepted message (see ses-mailer.ts). */
  mailConfigurationSet: 'MAIL_CONFIGURATION_SET',
  outboxDir: 'OUTBOX_DIR',
  /** Extra address that receives every overdue escalation, besides the issuing officer. */
  escalationEmail: 'ESCALATION_EMAIL',
  /** The bucket responses are uploaded to. */
  responsesBucket: 'RESPONSES_BUCKET',
  /** `kms` on AWS (an asymmetric KMS key signs receipts); `file` keeps an ES256 key in RECEIPT_KEY_FILE (local). */
  receiptSigner: 'RECEIPT_SIGNER',
  receiptKmsKeyId: 'RECEIPT_KMS_KEY_ID',
  receiptKeyFile: 'RECEIPT_KEY_FILE',
  /** `cognito` on AWS; `dev` manages the development identity provider's accounts file (local portal). */
  identityAdmin: 'IDENTITY_ADMIN',
  userPoolId: 'USER_POOL_ID',
  devUsersFile: 'DEV_USERS_FILE',
  /** `kms` on AWS (an asymmetric key signs machine-client access tokens); `file` keeps one in TOKEN_KEY_FILE. */
  tokenSigner: 'TOKEN_SIGNER',
  tokenKmsKeyId: 'TOKEN_KMS_KEY_ID',
  tokenKeyFile: 'TOKEN_KEY_FILE',
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
  [ENV.deadlineJurisdiction]: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must look like "AU" or "AU-NSW"')
    .default('AU-NSW'),
  [ENV.maxDueDays]: z.coerce.number().int().min(1).max(3650).default(730),
  [ENV.mailTransport]: z.enum(['ses', 'outbox']).default('outbox'),
  [ENV.mailSender]: z.email().default('notices@regulator.example'),
  [ENV.mailConfigurationSet]: z.string().min(1).optional(),
  [ENV.outboxDir]: z.string().min(1).default('.data/outbox'),
  [ENV.escalationEmail]: z.email().optional(),
  [ENV.responsesBucket]: z.string().min(3).optional(),
  [ENV.receiptSigner]: z.enum(['kms', 'file']).default('file'),
  [ENV.receiptKmsKeyId]: z.string().min(1).optional(),
  [ENV.receiptKeyFile]: z.string().min(1).default('.data/receipt-key.json'),
  [ENV.identityAdmin]: z.enum(['cognito', 'dev']).default('dev'),
  [ENV.userPoolId]: z.string().min(1).optional(),
  [ENV.devUsersFile]: z.string().min(1).default('.data/dev-users.json'),
  [ENV.tokenSigner]: z.enum(['kms', 'file']).default('file'),
  [ENV.tokenKmsKeyId]: z.string().min(1).optional(),
  [ENV.tokenKeyFile]: z.string().min(1).default('.data/token-key.json'),
});

export interface Config {
  tableName: string;
  auth: { issuer: string; audience: string; jwksUrl: string };
  defaultTimeZone: string;
  catalogue: Catalogue;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  deadlineJurisdiction: { country: string; state?: string };
  /** An explicit due time (draft, extension, further information) may be at most this many days away. */
  maxDueDays: number;
  mail:
    | { transport: 'ses'; sender: string; configurationSet: string; escalationEmail?: string }
    | { transport: 'outbox'; sender: string; outboxDir: string; escalationEmail?: string };
  /** Only functions that handle responses need these; `submissionConfig` checks them. */
  responsesBucket?: string;
  receipts: { signer: 'kms'; keyId?: string } | { signer: 'file'; keyFile: string };
  identityAdmin: { kind: 'cognito'; userPoolId?: string } | { kind: 'dev'; usersFile: string };
  /** The portal's own access tokens (machine clients): who signs them, and the issuer and audience they carry. */
  machineTokens: { signer: 'kms'; keyId?: string } | { signer: 'file'; keyFile: string };
}

/** Issuer and audience of the portal's machine-client access tokens (not URLs: nothing fetches them). */
export const MACHINE_TOKEN_ISSUER = 'urn:notice-portal:machine-clients';
export const MACHINE_TOKEN_AUDIENCE = 'urn:notice-portal:api';

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
    deadlineJurisdiction: parseJurisdiction(e[ENV.deadlineJurisdiction]),
    maxDueDays: e[ENV.maxDueDays],
    mail: parseMail(e),
    responsesBucket: e[ENV.responsesBucket],
    receipts:
      e[ENV.receiptSigner] === 'kms'
        ? { signer: 'kms', keyId: e[ENV.receiptKmsKeyId] }
        : { signer: 'file', keyFile: e[ENV.receiptKeyFile] },
    identityAdmin:
      e[ENV.identityAdmin] === 'cognito'
        ? { kind: 'cognito', userPoolId: e[ENV.userPoolId] }
        : { kind: 'dev', usersFile: e[ENV.devUsersFile] },
    machineTokens:
      e[ENV.tokenSigner] === 'kms'
        ? { signer: 'kms', keyId: e[ENV.tokenKmsKeyId] }
        : { signer: 'file', keyFile: e[ENV.tokenKeyFile] },
  };
}

function parseJurisdiction(value: string): { country: string; state?: string } {
  const [country, state] = value.split('-');
  return state ? { country, state } : { country };
}

function parseMail(e: z.infer<typeof EnvSchema>): Config['mail'] {
  const common = { sender: e[ENV.mailSender], escalationEmail: e[ENV.escalationEmail] };
  if (e[ENV.mailTransport] === 'outbox') return { transport: 'outbox', outboxDir: e[ENV.outboxDir], ...common };
  const configurationSet = e[ENV.mailConfigurationSet];
  if (!configurationSet) {
    throw new ConfigError(
      `Invalid configuration: ${ENV.mailConfigurationSet} is required when ${ENV.mailTransport}=ses`,
    );
  }
  return { transport: 'ses', configurationSet, ...common };
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

/** The settings that handling responses needs, or a ConfigError naming what is missing. */
export function submissionConfig(cfg: Config): {
  bucket: string;
  receipts: { signer: 'kms'; keyId: string } | { signer: 'file'; keyFile: string };
} {
  if (!cfg.responsesBucket) throw new ConfigError(`Invalid configuration: ${ENV.responsesBucket} is required`);
  const receipts = cfg.receipts;
  if (receipts.signer === 'kms' && !receipts.keyId) {
    throw new ConfigError(`Invalid configuration: ${ENV.receiptKmsKeyId} is required when ${ENV.receiptSigner}=kms`);
  }
  return {
    bucket: cfg.responsesBucket,
    receipts: receipts as { signer: 'kms'; keyId: string } | { signer: 'file'; keyFile: string },
  };
}
