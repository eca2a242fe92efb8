import { createSecretKey } from 'node:crypto';
import { base64url, createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type KeyLike, SignJWT } from 'jose';
import { bearerAuthenticator } from '../../lambdas/auth/authenticate';
import { jwksTokenVerifier, type TokenVerifier } from '../../lambdas/auth/token-verifier';
import { Forbidden, Unauthenticated } from '../../lambdas/domain/errors';
import { rejectionOf } from '../support/notice-fixtures';

const ISSUER = 'https://cognito-idp.ap-southeast-2.amazonaws.com/ap-southeast-2_TestPool';
const AUDIENCE = 'notice-portal-unit';

interface SigningKey {
  alg: 'ES256' | 'RS256';
  kid: string;
  privateKey: KeyLike;
}

let es256: SigningKey;
let rs256: SigningKey;
let stranger: SigningKey;
let verifier: TokenVerifier;
let machineKey: { privateKey: KeyLike; publicKey: KeyLike };

beforeAll(async () => {
  const makeKey = async (alg: 'ES256' | 'RS256', kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair(alg);
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    return { key: { alg, kid, privateKey }, jwk };
  };
  const es = await makeKey('ES256', 'es-key');
  const rs = await makeKey('RS256', 'rs-key');
  // Not in the key set: stands for an attacker's key.
  stranger = (await makeKey('ES256', 'es-key')).key;
  machineKey = await generateKeyPair('ES256');
  es256 = es.key;
  rs256 = rs.key;
  verifier = jwksTokenVerifier(
    { issuer: ISSUER, audience: AUDIENCE, jwksUrl: 'https://unused.invalid/.well-known/jwks.json' },
    createLocalJWKSet({ keys: [es.jwk, rs.jwk] }),
  );
});

/** Claims of a Cognito ID token for an x-corp responder; each test changes what it is about. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token_use: 'id',
    'cognito:groups': ['platform-responder'],
    'custom:platformId': 'x-corp',
    name: 'Xavier Counsel',
    email: 'legal@x-corp.example',
    ...overrides,
  };
}

async function signed(
  payload: Record<string, unknown>,
  options: {
    key?: SigningKey;
    kid?: string;
    issuer?: string;
    audience?: string;
    subject?: string;
    issuedAt?: number;
    expiresAt?: number;
  } = {},
): Promise<string> {
  const key = options.key ?? es256;
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setExpirationTime(options.expiresAt ?? now + 3600);
  if (options.subject !== '') jwt.setSubject(options.subject ?? 'sub-x-corp-1');
  if (options.issuedAt !== 0) jwt.setIssuedAt(options.issuedAt ?? now);
  return jwt.sign(key.privateKey);
}

function unsignedToken(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const encode = (part: Record<string, unknown>) => base64url.encode(JSON.stringify(part));
  return `${encode(header)}.${encode(payload)}.`;
}

function standardClaims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { ...claims(), iss: ISSUER, aud: AUDIENCE, sub: 'sub-x-corp-1', iat: now, exp: now + 3600 };
}

async function refusal(token: Promise<string> | string): Promise<unknown> {
  return rejectionOf(verifier.verify(await token));
}

describe('jwksTokenVerifier: tokens it accepts', () => {
  it('turns a valid ES256 ID token into a platform caller', async () => {
    // Prepare
    const token = await signed(claims());

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller).toEqual({
      subject: 'sub-x-corp-1',
      name: 'Xavier Counsel',
      email: 'legal@x-corp.example',
      roles: ['platform-responder'],
      platformId: 'x-corp',
    });
  });

  it('turns a valid RS256 ID token into a regulator caller', async () => {
    // Prepare
    const token = await signed(
      claims({ 'cognito:groups': ['regulator-officer'], 'custom:platformId': undefined, name: 'Oscar Officer' }),
      { key: rs256, subject: 'sub-officer' },
    );

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller).toMatchObject({ subject: 'sub-officer', roles: ['regulator-officer'], platformId: undefined });
  });

  it('ignores groups that are not portal roles', async () => {
    // Prepare
    const token = await signed(
      claims({ 'cognito:groups': ['ap-southeast-2_TestPool_Google', 'regulator-admin', 'superusers'] }),
    );

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller.roles).toEqual(['regulator-admin']);
  });

  it('gives a token without groups no roles', async () => {
    // Prepare
    const token = await signed(claims({ 'cognito:groups': undefined, 'custom:platformId': undefined }));

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller.roles).toEqual([]);
  });

  it('tolerates a few seconds of clock skew at expiry', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);
    const token = await signed(claims(), { issuedAt: now - 3600, expiresAt: now - 2 });

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller.subject).toBe('sub-x-corp-1');
  });

  // `Caller.platformId` is documented as present exactly when the caller is a platform user, and tenant isolation
  // hangs on it; a platform id on an account without the platform role must not reach the domain.
  it('drops a platform id carried by a token without the platform-responder role', async () => {
    // Prepare
    const token = await signed(claims({ 'cognito:groups': [] }));

    // Act
    const caller = await verifier.verify(token);

    // Assess
    expect(caller).toMatchObject({ roles: [], platformId: undefined });
  });
});

describe('jwksTokenVerifier: tokens it refuses', () => {
  it('refuses an expired token and says so', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);

    // Act
    const error = await refusal(signed(claims(), { issuedAt: now - 7200, expiresAt: now - 60 }));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe('The token has expired.');
  });

  it('refuses a token signed by a key that is not in the key set, even under a known key id', async () => {
    // Act
    const error = await refusal(signed(claims(), { key: stranger }));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe('The token is not valid.');
  });

  it('refuses a token naming a key id that is not in the key set', async () => {
    // Act
    const error = await refusal(signed(claims(), { key: stranger, kid: 'unknown-key' }));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
  });

  it('refuses a valid token whose payload was swapped for another', async () => {
    // Prepare
    const [header, , signature] = (await signed(claims())).split('.');
    const promoted = base64url.encode(JSON.stringify({ ...standardClaims(), 'cognito:groups': ['regulator-admin'] }));

    // Act
    const error = await refusal(`${header}.${promoted}.${signature}`);

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
  });

  it('refuses a token from another issuer, naming the claim', async () => {
    // Act
    const error = await refusal(signed(claims(), { issuer: 'https://idp.attacker.example' }));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe("The token's iss claim is not accepted.");
  });

  it('refuses a token for another audience, naming the claim', async () => {
    // Act
    const error = await refusal(signed(claims(), { audience: 'some-other-app' }));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe("The token's aud claim is not accepted.");
  });

  it('refuses an unsigned token with alg "none"', async () => {
    // Prepare
    const token = unsignedToken({ alg: 'none', typ: 'JWT' }, standardClaims());

    // Act
    const error = await refusal(token);

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe('The token is not signed with an accepted algorithm.');
  });

  it('refuses an HS256 token signed with a shared secret', async () => {
    // Prepare
    const secret = createSecretKey(Buffer.from('a-shared-secret-of-at-least-32-bytes!!'));
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: 'es-key' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('sub-x-corp-1')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);

    // Act
    const error = await refusal(token);

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe('The token is not signed with an accepted algorithm.');
  });

  it.each([
    ['without token_use', { token_use: undefined }],
    ['that is an access token', { token_use: 'access' }],
    ['with a malformed platform id', { 'custom:platformId': 'X Corp!' }],
  ])('refuses a token %s as lacking the claims the API needs', async (_case, overrides) => {
    // Act
    const error = await refusal(signed(claims(overrides)));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe('The token does not carry the claims this API needs.');
  });

  it('refuses a token without an issued-at time', async () => {
    // Act
    const error = await refusal(signed(claims(), { issuedAt: 0 }));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
  });

  it('refuses a token issued in the future, beyond the clock tolerance', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);

    // Act
    const error = await refusal(signed(claims(), { issuedAt: now + 600, expiresAt: now + 3600 }));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toMatch(/iat claim is not accepted/);
  });

  it('tolerates an issued-at time a few seconds ahead (clock skew)', async () => {
    // Prepare
    const now = Math.floor(Date.now() / 1000);

    // Act
    const caller = await verifier.verify(await signed(claims(), { issuedAt: now + 2 }));

    // Assess
    expect(caller.subject).toBe('sub-x-corp-1');
  });

  it('refuses a machine access token issued in the future', async () => {
    // Prepare
    const machineIssuer = 'https://portal.example/oauth2';
    const machineVerifier = jwksTokenVerifier(
      { issuer: ISSUER, audience: AUDIENCE, jwksUrl: 'https://unused.invalid/.well-known/jwks.json' },
      createLocalJWKSet({ keys: [] }),
      { issuer: machineIssuer, audience: 'notice-portal-machine', keys: async () => machineKey.publicKey },
    );
    const now = Math.floor(Date.now() / 1000);
    const clientId = 'pac_0123456789ABCDEFGHJKMNPQRS';
    const mint = (iat: number) =>
      new SignJWT({ client_id: clientId, token_use: 'access', 'custom:platformId': 'x-corp' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
        .setIssuer(machineIssuer)
        .setAudience('notice-portal-machine')
        .setSubject(clientId)
        .setIssuedAt(iat)
        .setExpirationTime(now + 900)
        .sign(machineKey.privateKey);

    // Act
    const accepted = await machineVerifier.verify(await mint(now));
    const error = await rejectionOf(machineVerifier.verify(await mint(now + 600)));

    // Assess
    expect(accepted.subject).toBe(clientId);
    expect(error).toBeInstanceOf(Unauthenticated);
  });

  it('refuses a token without a subject', async () => {
    // Act
    const error = await refusal(signed(claims(), { subject: '' }));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
  });

  it('refuses a platform responder not linked to a platform as forbidden', async () => {
    // Act
    const error = await refusal(signed(claims({ 'custom:platformId': undefined })));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Error).message).toBe('This platform user is not linked to a platform.');
  });
});

describe('bearerAuthenticator', () => {
  it('verifies the token in a Bearer Authorization header', async () => {
    // Prepare
    const authenticate = bearerAuthenticator(verifier);
    const token = await signed(claims());

    // Act
    const caller = await authenticate(`Bearer ${token}`);

    // Assess
    expect(caller.platformId).toBe('x-corp');
  });

  it('accepts the scheme name in any case', async () => {
    // Prepare
    const authenticate = bearerAuthenticator(verifier);
    const token = await signed(claims());

    // Act
    const caller = await authenticate(`bearer ${token}`);

    // Assess
    expect(caller.subject).toBe('sub-x-corp-1');
  });

  it('asks for a bearer token when there is no Authorization header', async () => {
    // Prepare
    const authenticate = bearerAuthenticator(verifier);

    // Act
    const error = await rejectionOf(authenticate(undefined));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe('Send a bearer token in the Authorization header.');
  });

  it.each([
    ['a Basic credential', 'Basic b2ZmaWNlcjpodW50ZXIy'],
    ['a bare token', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['a Bearer scheme with no token', 'Bearer '],
    ['a token that is not a JWT', 'Bearer opaque-access-token'],
  ])('explains the expected form when the header holds %s', async (_case, header) => {
    // Prepare
    const verify = jest.fn();
    const authenticate = bearerAuthenticator({ verify });

    // Act
    const error = await rejectionOf(authenticate(header));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).toBe('The Authorization header must be "Bearer <token>".');
    expect(verify).not.toHaveBeenCalled();
  });
});
