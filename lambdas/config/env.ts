import type * as z from '../domain/zod';

/**
 * Every environment variable the handlers read. The same names are set by the CDK app on AWS and by the local
 * portal (`local/start.ts`); each concern's module (`auth.ts`, `mail.ts`, …) parses its own, so a function is
 * asked only for what it uses.
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
  /** `lambda` on AWS (the builder function is invoked asynchronously); `in-process` runs it in the local portal. */
  bundleBuilder: 'BUNDLE_BUILDER',
  bundleBuilderFunction: 'BUNDLE_BUILDER_FUNCTION',
  /**
   * Multiplies every SDK client's timeouts (lambdas/config/sdk-clients.ts); unset on AWS. The local portal sets
   * it: its embedded stores share one event loop with the handlers, where a burst of requests queues for seconds.
   */
  sdkTimeoutScale: 'SDK_TIMEOUT_SCALE',
} as const;

export class ConfigError extends Error {}

/** Parses `env` with one concern's schema, or throws a ConfigError naming every variable that is wrong. */
export function parseEnvironment<S extends z.ZodMiniType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}

/** A ConfigError for a variable that one setting of another makes required. */
export function requiredWhen(name: string, condition: string): ConfigError {
  return new ConfigError(`Invalid configuration: ${name} is required when ${condition}`);
}
