import * as z from 'zod';
import { ROUTES } from '../lambdas/api/routes';

/**
 * The numbers that protect the portal: API Gateway throttling of both HTTP APIs (per stage and per route) and the
 * rate-based rule of the CloudFront web ACL. One module, so a deployment overrides them in one place (the stack's
 * `protection` prop, which the CDK context feeds) and docs/protection.md can name each default.
 */

/** An API Gateway token bucket: steady requests per second and the burst it absorbs. */
export interface Throttle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests the bucket holds, i.e. the largest burst served at once. */
  readonly burstLimit: number;
}

/** What {@link resolveProtectionSettings} returns; every field has a default in {@link DEFAULT_PROTECTION}. */
export interface ProtectionSettings {
  /**
   * The user API's `$default` stage, per second, shared by all callers (API Gateway throttles per stage and route,
   * never per client: per-client limits are the web ACL's rate-based rule).
   * @default 100
   */
  readonly apiRateLimit: number;
  /** @default 200 */
  readonly apiBurstLimit: number;
  /**
   * The machine API's `$default` stage, per second, shared by all platforms' automation. Lower than the user API's:
   * automation retries in loops, and one client's loop must not use up the Lambda concurrency that the browser
   * users share.
   * @default 50
   */
  readonly machineApiRateLimit: number;
  /** @default 100 */
  readonly machineApiBurstLimit: number;
  /**
   * Tighter limits for single routes, by `operationId`, on each API that serves the route (each API's stage has a
   * budget of its own). An override is merged into the defaults route by route, so tightening one route keeps the
   * others. See {@link DEFAULT_ROUTE_THROTTLES}.
   */
  readonly routeThrottles: Readonly<Record<string, Throttle>>;
  /**
   * The web ACL's rate-based rule: requests per client IP address per 5 minutes through CloudFront (the web app and
   * `/api/*`), above which that address is answered 429 until its rate falls again. 2000 (about 7 a second) is
   * several times what one person's busiest session needs; offices that share one egress address may need more.
   * @default 2000
   */
  readonly wafRateLimit: number;
}

/**
 * The routes that get less than their stage's budget, and why:
 * - `issueAccessToken` (`POST /oauth2/token`): public and unauthenticated until it has checked the client secret, so
 *   it is where secrets are guessed; each call reads the table and signs with KMS. A token lasts 15 minutes, so a
 *   well-behaved client needs one every 15 minutes: 5 a second serves thousands of clients.
 * - `issueNotice`, `openSubmission`, `finalizeSubmission`: the legal writes (serving a notice, declaring and filing
 *   a response, which signs a receipt with KMS). People and scripts do these a few times a day, never hundreds of
 *   times a second; a flood of them is a broken client, and it must not crowd out reads.
 * - `requestEvidenceBundle`: starts a build that reads every file of a notice; a handful at a time is plenty.
 */
export const DEFAULT_ROUTE_THROTTLES: Readonly<Record<string, Throttle>> = {
  issueAccessToken: { rateLimit: 5, burstLimit: 10 },
  issueNotice: { rateLimit: 10, burstLimit: 20 },
  openSubmission: { rateLimit: 10, burstLimit: 20 },
  finalizeSubmission: { rateLimit: 10, burstLimit: 20 },
  requestEvidenceBundle: { rateLimit: 2, burstLimit: 5 },
};

/** The defaults of every setting (see {@link ProtectionSettings} for each one's reason). */
export const DEFAULT_PROTECTION: ProtectionSettings = {
  apiRateLimit: 100,
  apiBurstLimit: 200,
  machineApiRateLimit: 50,
  machineApiBurstLimit: 100,
  routeThrottles: DEFAULT_ROUTE_THROTTLES,
  wafRateLimit: 2000,
};

// API Gateway takes a rate as a double and a burst as an integer; 10,000 rps is the account's default regional
// quota, so a larger number is a typo, not a setting. WAF's rate-based rules take 10 to 2,000,000,000.
const rate = z.number().positive().max(10_000);
const burst = z.number().int().min(1).max(10_000);
const throttle = z.strictObject({ rateLimit: rate, burstLimit: burst });
const knownOperations = new Set(ROUTES.map((route) => route.operationId));

/**
 * The schema of a complete {@link ProtectionSettings}; the stage configuration's schema can reuse its fields
 * (`ProtectionSettingsSchema.shape.wafRateLimit`, ...) for CDK context keys.
 */
export const ProtectionSettingsSchema = z.strictObject({
  apiRateLimit: rate,
  apiBurstLimit: burst,
  machineApiRateLimit: rate,
  machineApiBurstLimit: burst,
  routeThrottles: z.record(z.string(), throttle).superRefine((throttles, context) => {
    for (const id of Object.keys(throttles).filter((key) => !knownOperations.has(key))) {
      context.addIssue({ code: 'custom', path: [id], message: 'is not the operationId of a route in ROUTES' });
    }
  }),
  wafRateLimit: z.number().int().min(10).max(2_000_000_000),
});

/**
 * The defaults with `overrides` applied (route throttles merged route by route), validated: a bad value fails the
 * synthesis with the setting's name, instead of a deployment that API Gateway or WAF refuses halfway.
 */
export function resolveProtectionSettings(overrides: Partial<ProtectionSettings> = {}): ProtectionSettings {
  const merged = {
    ...DEFAULT_PROTECTION,
    ...definedOnly(overrides),
    routeThrottles: { ...DEFAULT_PROTECTION.routeThrottles, ...overrides.routeThrottles },
  };
  const parsed = ProtectionSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${['protection', ...issue.path].join('.')}: ${issue.message}`);
    throw new Error(`Invalid protection settings: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** `{ wafRateLimit: undefined }` (an unset context key passed through) keeps the default. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
