import { z } from 'zod';

/**
 * What the development identity provider's OIDC endpoints accept, as zod schemas. Objects are not `.strict()`:
 * RFC 6749 §3.1 and §3.2 say the authorization server MUST ignore request parameters it does not recognise (an
 * OIDC client may send `prompt`, `ui_locales`, `resource`…), so only the parameters this provider reads are
 * validated, each with its limits.
 */

/** Scopes a Cognito app client can be given; `openid` is required, since the app signs in for an ID token. */
export const SUPPORTED_SCOPES = ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'] as const;

const opaque = (max: number) => z.string().min(1).max(max);

/** The two parameters that decide whether an error may be sent back to the client at all (RFC 6749 §4.1.2.1). */
export const ClientTargetSchema = z.object({
  client_id: opaque(128),
  redirect_uri: opaque(2048),
});

export const AuthorizeParamsSchema = ClientTargetSchema.extend({
  response_type: z.literal('code', { error: 'must be "code" (the authorization code flow)' }),
  scope: z
    .string()
    .max(1024)
    .default('openid')
    .refine((scope) => scope.split(' ').includes('openid'), 'must include "openid"')
    .refine(
      (scope) => scope.split(' ').every((s) => (SUPPORTED_SCOPES as readonly string[]).includes(s)),
      `may only name ${SUPPORTED_SCOPES.join(', ')}`,
    ),
  state: opaque(2048).optional(),
  nonce: opaque(2048).optional(),
  /** RFC 7636: BASE64URL(SHA-256(verifier)) is 43 characters. PKCE is required, as it is for a public client. */
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the 43-character S256 challenge'),
  code_challenge_method: z.literal('S256', { error: 'must be "S256"' }),
});
export type AuthorizeParams = z.infer<typeof AuthorizeParamsSchema>;

/** The sign-in form: the authorize parameters again (hidden fields), and who signs in. */
export const SignInFormSchema = AuthorizeParamsSchema.extend({
  username: z.string().trim().min(1, 'Choose an account, or enter your user name').max(320),
  password: z.string().min(1).max(256).optional(),
});

export const CodeGrantSchema = z.object({
  grant_type: z.literal('authorization_code'),
  client_id: opaque(128),
  code: opaque(512),
  redirect_uri: opaque(2048),
  /** RFC 7636 §4.1: 43–128 unreserved characters. */
  code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, 'must be 43–128 unreserved characters (RFC 7636)'),
});

export const RefreshGrantSchema = z.object({
  grant_type: z.literal('refresh_token'),
  client_id: opaque(128),
  refresh_token: opaque(1024),
  scope: z.string().max(1024).optional(),
});

export const LogoutParamsSchema = z.object({
  client_id: opaque(128),
  logout_uri: opaque(2048),
});

/** `a.b: message; c: message`, for `error_description` and the error page. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
}

/**
 * A form or query string as a plain object; undefined when a parameter is repeated, which RFC 6749 §3.1 forbids
 * (two `redirect_uri`s would leave it open which one was checked).
 */
export function singleValued(params: URLSearchParams): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in values) return undefined;
    values[name] = value;
  }
  return values;
}
