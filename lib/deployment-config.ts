import * as path from 'node:path';
import { z } from 'zod';

/**
 * Every CDK context value the portal reads (`-c key=value`, `cdk.json`'s `context`, or `new App({ context })`),
 * validated by one schema at synth: a bad value fails `cdk synth` / `cdk deploy` with a message naming the key and
 * what it may be, never a template that fails at deploy time or a function that fails at its first cold start.
 *
 * Values from the command line arrive as strings (`-c retentionYears=10`), values from `cdk.json` or a test as
 * JSON: numbers and lists are accepted in both forms. Context keys the portal does not know (CDK's feature flags,
 * `aws:cdk:*`) are left alone.
 */

/** The deployment stages. `prod` is the only one whose legal records are locked against everyone, ops included. */
export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Default years of Object Lock retention and of keeping monthly table backups. */
export const DEFAULT_RETENTION_YEARS = 7;
/** Default days after which S3 aborts an incomplete multipart upload. */
export const DEFAULT_ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/** A plausible single address (the handlers validate strictly again at start-up). */
const EMAIL_ADDRESS = /^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$/;

const got = (input: unknown): string => (input === undefined ? 'nothing' : JSON.stringify(input));

/** A non-empty string; `what` describes it in the error ("a string" unless a pattern says more). */
function text(what = 'a string') {
  return z
    .string({ error: (issue) => `must be ${what}, got ${got(issue.input)}` })
    .min(1, { error: `must be ${what}` });
}

/** A string matching `pattern`, described as `what` in the error (which quotes the bad value). */
function matching(pattern: RegExp, what: string) {
  return text(what).refine((value) => pattern.test(value), {
    error: (issue) => `must be ${what}, got ${got(issue.input)}`,
  });
}

/** A whole number in `min..max`, from JSON (`7`) or from the command line (`"7"`). */
function wholeNumber(min: number, max: number) {
  const what = `a whole number from ${min} to ${max}`;
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
    z
      .number({ error: (issue) => `must be ${what}, got ${got(issue.input)}` })
      .int({ error: (issue) => `must be ${what}, got ${got(issue.input)}` })
      .min(min, { error: (issue) => `must be ${what}, got ${got(issue.input)}` })
      .max(max, { error: (issue) => `must be ${what}, got ${got(issue.input)}` }),
  );
}

/** A list of URLs: a JSON array of strings, or one comma-separated string from the command line. */
function urlList() {
  const what = 'a comma-separated list of URLs';
  return z
    .union([z.string(), z.array(z.string())], { error: `must be ${what}` })
    .transform((value) =>
      (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter((item) => item !== ''),
    )
    .superRefine((urls, ctx) => {
      for (const url of urls) {
        if (!URL.canParse(url)) ctx.addIssue({ code: 'custom', message: `contains "${url}", which is not a URL` });
      }
    });
}

/**
 * The shape of the portal's context. Each key is optional on the command line; a default, where there is one, is
 * applied here, so {@link DeploymentConfig} says exactly what is deployed.
 */
export const DEPLOYMENT_CONTEXT_SHAPE = {
  /** `dev` (default) or `prod`: see {@link Stage} and the README's "Deploying". */
  stage: z.enum(STAGES, { error: (issue) => `must be "dev" or "prod", got ${got(issue.input)}` }).default('dev'),
  /**
   * The context key before stages. Refused rather than ignored: an old `-c production=true` deploy command must not
   * quietly deploy a development stage over a production one.
   */
  production: z.undefined({ error: 'is no longer read: use -c stage=prod (or -c stage=dev)' }).optional(),
  /**
   * Years every object in the response bucket (signed responses, evidence bundles) is locked from its creation,
   * and monthly backups of the table are kept. S3 Object Lock allows at most 100 years.
   */
  retentionYears: wholeNumber(1, 100).default(DEFAULT_RETENTION_YEARS),
  /** Where alarms are e-mailed; required for `prod`, which must not run unwatched. */
  opsEmail: matching(EMAIL_ADDRESS, 'one e-mail address').optional(),
  /**
   * Days after it starts that S3 aborts a multipart upload nobody completed, deleting its parts (see
   * `ResponseStorage` for how this relates to a platform resuming an upload).
   */
  abortIncompleteUploadDays: wholeNumber(1, 365).default(DEFAULT_ABORT_INCOMPLETE_UPLOAD_DAYS),
  /**
   * Overrides of the protection numbers (lib/protection-settings.ts, docs/protection.md): the web ACL's requests per
   * client address per 5 minutes, and each HTTP API's stage throttle (requests per second and burst). Per-route
   * throttles are set in code (`DEFAULT_ROUTE_THROTTLES`), where each has its reason.
   */
  wafRateLimit: wholeNumber(10, 2_000_000_000).optional(),
  apiRateLimit: wholeNumber(1, 10_000).optional(),
  apiBurstLimit: wholeNumber(1, 10_000).optional(),
  machineApiRateLimit: wholeNumber(1, 10_000).optional(),
  machineApiBurstLimit: wholeNumber(1, 10_000).optional(),
  allowedOrigins: urlList()
    .superRefine((origins, ctx) => {
      for (const origin of origins) {
        // CORS compares origins exactly: `https://portal.example.gov/` (with a path) would never match.
        if (URL.canParse(origin) && new URL(origin).origin !== origin) {
          ctx.addIssue({
            code: 'custom',
            message: `contains "${origin}"; use its origin, e.g. "${new URL(origin).origin}"`,
          });
        }
      }
    })
    .optional(),
  callbackUrls: urlList().optional(),
  defaultTimeZone: text().optional(),
  // The same rule as DEADLINE_JURISDICTION in lambdas/config.ts: a bad value fails the synth, not a cold start.
  deadlineJurisdiction: matching(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 code like "AU" or "AU-NSW"').optional(),
  mailSender: matching(EMAIL_ADDRESS, 'an e-mail address').optional(),
  escalationEmail: matching(EMAIL_ADDRESS, 'an e-mail address').optional(),
  /** A directory, relative to where `cdk` runs. */
  webAppDirectory: text()
    .transform((value) => path.resolve(value))
    .optional(),
  signInDomainPrefix: matching(
    // Cognito's rule for prefixes, which also may not contain the reserved words aws, amazon or cognito.
    /^(?!.*(aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'lower-case letters, digits and hyphens, without "aws", "amazon" or "cognito"',
  ).optional(),
  /**
   * The portal's own domain name (`portal.regulator.gov.example`) and the ARN of its ACM certificate, which must be
   * in us-east-1 (CloudFront takes certificates from there only); both or neither.
   */
  domainName: matching(
    /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'a lower-case domain name like "portal.regulator.gov.example"',
  ).optional(),
  certificateArn: matching(
    /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
    'the ARN of an ACM certificate in us-east-1 (CloudFront takes certificates from there only)',
  ).optional(),
  regulatorName: text().optional(),
  productName: text().optional(),
  primaryColour: matching(/^#[0-9a-fA-F]{6}$/, 'a colour like "#1d4f6e"').optional(),
  logoPath: matching(/^\/\S*$/, 'a path starting with "/"').optional(),
};

export const DeploymentContextSchema = z.object(DEPLOYMENT_CONTEXT_SHAPE).superRefine((config, ctx) => {
  if ((config.domainName === undefined) !== (config.certificateArn === undefined)) {
    const missing = config.domainName === undefined ? 'domainName' : 'certificateArn';
    ctx.addIssue({
      code: 'custom',
      path: [missing],
      message: `is required with ${missing === 'domainName' ? 'certificateArn' : 'domainName'}: give both or neither`,
    });
  }
  if (config.stage === 'prod' && config.opsEmail === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['opsEmail'],
      message: 'is required when stage is "prod" (alarms are e-mailed to it): add -c opsEmail=<address>',
    });
  }
});

/** The validated context, defaults applied. `production` is derived: `stage === 'prod'`. */
export type DeploymentConfig = Omit<z.output<typeof DeploymentContextSchema>, 'production'> & {
  readonly production: boolean;
};

/** A bad context value: the message has one line per bad key, each naming the key and what it may be. */
export class DeploymentConfigError extends Error {
  public constructor(public readonly problems: readonly string[]) {
    super(`Invalid CDK context:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = 'DeploymentConfigError';
  }
}

/**
 * Parses the app's whole context (`app.node.getAllContext()`). Throws {@link DeploymentConfigError} listing every
 * bad value, e.g. `Context value "stage" must be "dev" or "prod", got "staging"`.
 */
export function parseDeploymentConfig(context: Record<string, unknown>): DeploymentConfig {
  const result = DeploymentContextSchema.safeParse(context);
  if (!result.success) {
    throw new DeploymentConfigError(
      result.error.issues.map((issue) => `Context value "${issue.path.map(String).join('.')}" ${issue.message}`),
    );
  }
  const { production: _refused, ...config } = result.data;
  return { ...config, production: config.stage === 'prod' };
}
