import { ENV } from '../../lambdas/config/env';
import type { JwtSettings } from './identity';

/** Inputs of {@link portalEnvironment}. */
export interface PortalEnvironmentProps {
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
 * the grant). The names come from `lambdas/config.ts`, whose parser requires them all at cold start.
 */
export function portalEnvironment(props: PortalEnvironmentProps): Record<string, string> {
  return {
    [ENV.authIssuer]: props.auth.issuer,
    [ENV.authAudience]: props.auth.audience,
    [ENV.authJwksUrl]: props.auth.jwksUrl,
    [ENV.defaultTimeZone]: props.defaultTimeZone ?? 'Australia/Sydney',
    [ENV.deadlineJurisdiction]: props.deadlineJurisdiction ?? 'AU-NSW',
  };
}
