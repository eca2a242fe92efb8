import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { DomainError } from '../domain/errors';
import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { authenticate as authenticator } from '../runtime/authentication';

const authenticate = authenticator();

/**
 * The HTTP API's Lambda authorizer (simple responses, no caching). It runs exactly the check every handler runs
 * again — token verification for both issuers (Cognito users, the portal's machine clients) and the directory's
 * "known and active, now" — so nothing unauthenticated reaches a function, and a disabled user or revoked client is
 * refused on the very next request. A JWT authorizer could not: it trusts one issuer and knows nothing of revocation.
 */
export const handler = instrumented(
  async (
    event: APIGatewayRequestAuthorizerEventV2,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<{ subject: string; role: string; platformId: string }>> => {
    const authorization = event.headers?.authorization ?? event.headers?.Authorization;
    try {
      const caller = await authenticate(authorization);
      return {
        isAuthorized: true,
        context: { subject: caller.subject, role: caller.roles[0] ?? '', platformId: caller.platformId ?? '' },
      };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      logger.warn('request refused by the authorizer', { route: event.routeKey, reason: error.message });
      return { isAuthorized: false, context: { subject: '', role: '', platformId: '' } };
    }
  },
);
