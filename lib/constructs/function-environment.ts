import { ENV } from '../../lambdas/config/env';
import type { JwtSettings } from './identity';

/**
 * The settings the stack gives every portal function, passed as one object to each construct that makes
 * functions (rather than the same props through each of them).
 */
export interface PortalSettings {
  /** Issuer, audience and key set of the identity provider's tokens. */
  readonly auth: JwtSettings;
  /**
   * IANA time zone used for due times when a notice does not name one.
   * @default 'Australia/Sydney'
   */
  readonly defaultTimeZone?: string;
  /**
   * Whose public holidays count when due times are computed in business days: ISO 3166 `COUNTRY` or
   * `COUNTRY-STATE`. Every function gets it: the API functions compute due times, the reminder run re-checks them.
   * @default 'AU-NSW'
   */
  readonly deadlineJurisdiction?: string;
}

/**
 * The environment every portal function gets (besides `TABLE_NAME`, which `PortalFunction.bindTable` sets with
 * the grant). The names come from `lambdas/config/env.ts`; each function's handler parses the concerns it uses
 * (`lambdas/config/auth.ts`, `notices.ts`) at cold start.
 */
export function portalEnvironment(props: PortalSettings): Record<string, string> {
  return {
    [ENV.authIssuer]: props.auth.issuer,
    [ENV.authAudience]: props.auth.audience,
    [ENV.authJwksUrl]: props.auth.jwksUrl,
    [ENV.defaultTimeZone]: props.defaultTimeZone ?? 'Australia/Sydney',
    [ENV.deadlineJurisdiction]: props.deadlineJurisdiction ?? 'AU-NSW',
  };
}
