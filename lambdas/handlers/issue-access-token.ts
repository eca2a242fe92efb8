import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { TokenRequestSchema } from '../api/contract';
import { Unauthenticated } from '../domain/errors';
import { json } from '../http/api-handler';
import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { ANONYMOUS_CALLER, withRequestLogKeys } from '../observability/request-context';
import { apiClientService } from '../runtime/api-client-dependencies';

const clients = apiClientService();

/** The form's own limits (TokenRequestSchema), applied to HTTP Basic credentials too. */
const MAX_CLIENT_ID_CHARS = 100;
const MAX_CLIENT_SECRET_CHARS = 200;
/** Room for `Basic ` and base64 of the longest id and secret, each fully percent-encoded. */
const MAX_AUTHORIZATION_CHARS = 6 + Math.ceil(((MAX_CLIENT_ID_CHARS + MAX_CLIENT_SECRET_CHARS) * 3 + 1) / 3) * 4;

/**
 * POST /oauth2/token — the client-credentials grant (RFC 6749 §4.4). Public, form-encoded, and answering in
 * OAuth's own error format (`{"error": "invalid_client"}`), which is what OAuth libraries expect.
 */
export const handler = instrumented((event: APIGatewayProxyEventV2) =>
  // The caller is not known until the credentials check out; a refusal names the client id it was given.
  withRequestLogKeys(
    { requestId: event.requestContext?.requestId ?? 'unknown', route: event.routeKey, caller: ANONYMOUS_CALLER },
    () => grantToken(event),
  ),
);

async function grantToken(event: APIGatewayProxyEventV2) {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const oauthError = (status: number, error: string, description: string) =>
    json(
      status,
      { error, error_description: description },
      status === 401 ? { 'www-authenticate': 'Basic realm="notice-portal"' } : {},
    );
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (!/^application\/x-www-form-urlencoded\b/i.test(headers['content-type'] ?? '') || raw.length > 4096) {
    return oauthError(400, 'invalid_request', 'Send the grant as application/x-www-form-urlencoded.');
  }
  const form = TokenRequestSchema.safeParse(Object.fromEntries(new URLSearchParams(raw)));
  if (!form.success) {
    const unsupported = form.error.issues.some((i) => i.path[0] === 'grant_type');
    return oauthError(
      400,
      unsupported ? 'unsupported_grant_type' : 'invalid_request',
      form.error.issues[0]?.message ?? 'The grant is not valid.',
    );
  }
  const authorization = headers.authorization ?? '';
  // Credentials in the header get the same limits as in the form: an overlong one cannot be any client's, and must
  // not reach the client table (DynamoDB refuses an oversized key with an error that would surface as a 500).
  if (/^Basic\s/i.test(authorization) && authorization.length > MAX_AUTHORIZATION_CHARS) {
    return oauthError(401, 'invalid_client', 'The client credentials are not valid.');
  }
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization)?.[1];
  // RFC 6749 §2.3.1: Basic credentials are form-encoded before base64; form fields were decoded by URLSearchParams.
  const [id, secret] = basic
    ? Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s).map(formDecode)
    : [form.data.client_id, form.data.client_secret];
  if (!id || !secret) return oauthError(401, 'invalid_client', 'Give the client id and secret (HTTP Basic).');
  if (id.length > MAX_CLIENT_ID_CHARS || secret.length > MAX_CLIENT_SECRET_CHARS) {
    return oauthError(401, 'invalid_client', 'The client credentials are not valid.');
  }
  try {
    return json(200, await clients.issueToken(id, secret));
  } catch (error) {
    if (error instanceof Unauthenticated) {
      logger.warn('token refused', { clientId: id.slice(0, 40), reason: error.message });
      return oauthError(401, 'invalid_client', error.message);
    }
    logger.error('token endpoint failed', { error: (error as Error).message });
    return json(500, { error: 'server_error' });
  }
}

/** Form-decodes one credential; a malformed escape makes it simply not match (never a 500). */
function formDecode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
