import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { ValidationFailed } from '../../lambdas/domain/errors';
import { keyUnusableAt, parsePublicKey } from '../../lambdas/domain/signing-keys';
import { rejectionOf } from '../support/notice-fixtures';
import { generatePlatformKey, registeredKey } from '../support/signing-key-fixtures';

async function exportedPublicKey(...args: Parameters<typeof generateKeyPair>): Promise<JWK> {
  const { publicKey } = await generateKeyPair(args[0], { ...args[1], extractable: true });
  return exportJWK(publicKey);
}

function issuesOf(error: unknown) {
  expect(error).toBeInstanceOf(ValidationFailed);
  return (error as ValidationFailed).issues;
}

describe('parsePublicKey', () => {
  it.each([
    ['an Ed25519', 'EdDSA' as const, ['kty', 'crv', 'x']],
    ['a P-256', 'ES256' as const, ['kty', 'crv', 'x', 'y']],
  ])('accepts %s public JWK with its RFC 7638 thumbprint as the kid', async (_what, alg, members) => {
    // Prepare
    const key = await generatePlatformKey(alg);

    // Act
    const parsed = await parsePublicKey({ ...key.publicJwk });

    // Assess
    expect(parsed.alg).toBe(alg);
    expect(parsed.jwk).toEqual(key.publicJwk);
    expect(Object.keys(parsed.jwk).sort()).toEqual([...members].sort());
    expect(parsed.kid).toBe(await calculateJwkThumbprint(key.publicJwk as JWK, 'sha256'));
  });

  it('ignores a kid, alg and use sent with the key and keeps only the key itself', async () => {
    // Prepare
    const key = await generatePlatformKey('ES256');

    // Act
    const parsed = await parsePublicKey({ ...key.publicJwk, kid: 'chosen-by-the-sender', alg: 'ES256', use: 'sig' });

    // Assess
    expect(parsed.kid).toBe(key.kid);
    expect(parsed.jwk).toEqual(key.publicJwk);
  });

  it('accepts the members a signing key may carry: kid, its alg, use "sig" and key_ops ["verify"]', async () => {
    // Prepare
    const key = await generatePlatformKey('EdDSA');

    // Act
    const parsed = await parsePublicKey({ ...key.publicJwk, kid: 'k1', alg: 'EdDSA', use: 'sig', key_ops: ['verify'] });

    // Assess
    expect(parsed.jwk).toEqual(key.publicJwk);
  });

  const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { inner: nested(depth - 1) });
  it.each([
    ['an encryption key (use "enc")', { use: 'enc' }, 'jwk.use', /"sig"/],
    ['key operations other than verify', { key_ops: ['sign', 'verify'] }, 'jwk.key_ops', /verify/],
    ['another algorithm than its own', { alg: 'ES256' }, 'jwk.alg', /EdDSA/],
    ['a member nested 40 levels deep', { extra: nested(40) }, 'jwk.extra', /not a member/],
    ['a member 5,000 elements long', { x5c: Array.from({ length: 5000 }, () => 'MII') }, 'jwk.x5c', /not a member/],
  ])('refuses %s, naming the member', async (_what, extra, path, message) => {
    // Prepare
    const key = await generatePlatformKey('EdDSA');

    // Act
    const error = await rejectionOf(parsePublicKey({ ...key.publicJwk, ...extra }));

    // Assess
    expect(issuesOf(error)).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  it.each(['EdDSA' as const, 'ES256' as const])('refuses a private %s JWK, naming jwk.d', async (alg) => {
    // Prepare
    const key = await generatePlatformKey(alg);

    // Act
    const error = await rejectionOf(parsePublicKey({ ...key.privateJwk }));

    // Assess
    expect(issuesOf(error)).toEqual([{ path: 'jwk.d', message: expect.stringMatching(/private key/) }]);
  });

  it.each([
    ['an RSA key', () => exportedPublicKey('RS256', { modulusLength: 2048 })],
    ['a P-384 key', () => exportedPublicKey('ES384')],
    ['an X25519 (encryption) key', () => exportedPublicKey('ECDH-ES', { crv: 'X25519' })],
    ['an Ed448 key', () => exportedPublicKey('EdDSA', { crv: 'Ed448' })],
  ])('refuses %s', async (_what, makeJwk) => {
    // Prepare
    const jwk = await makeJwk();

    // Act
    const error = await rejectionOf(parsePublicKey({ ...jwk }));

    // Assess
    expect(issuesOf(error)).toEqual([{ path: 'jwk', message: expect.stringMatching(/Ed25519.*P-256/) }]);
  });

  it('refuses coordinates that are not base64url', async () => {
    // Prepare
    const key = await generatePlatformKey('ES256');

    // Act
    const error = await rejectionOf(parsePublicKey({ ...key.publicJwk, x: 'not base64url!' }));

    // Assess
    expect(issuesOf(error)).toEqual([{ path: 'jwk', message: expect.any(String) }]);
  });

  it.each([
    [
      'a P-256 point that is not on the curve',
      async () => {
        const { publicJwk } = await generatePlatformKey('ES256');
        return { ...publicJwk, y: (publicJwk as { x: string }).x };
      },
    ],
    [
      'a P-256 y coordinate of the wrong length',
      async () => ({ ...(await generatePlatformKey('ES256')).publicJwk, y: 'AAAA' }),
    ],
    ['an Ed25519 x of the wrong length', async () => ({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' })],
    [
      'an Ed25519 x that is not a canonical point encoding (y ≥ p, RFC 8032 §5.1.3)',
      async () => ({ kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 0xff).toString('base64url') }),
    ],
    [
      'a small-order Ed25519 point (all zeros: signatures can be forged without a private key)',
      async () => ({ kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32).toString('base64url') }),
    ],
  ])('refuses %s', async (_what, makeJwk) => {
    // Prepare
    const jwk = await makeJwk();

    // Act
    const error = await rejectionOf(parsePublicKey(jwk));

    // Assess
    expect(issuesOf(error)).toEqual([{ path: 'jwk', message: expect.any(String) }]);
  });
});

describe('keyUnusableAt', () => {
  let key: Awaited<ReturnType<typeof generatePlatformKey>>;
  beforeAll(async () => {
    key = await generatePlatformKey('EdDSA');
  });

  const window = { validFrom: '2026-06-01T00:00:00.000Z', validUntil: '2026-12-01T00:00:00.000Z' };

  it.each([
    ['at the first instant of validity', '2026-06-01T00:00:00.000Z', undefined],
    ['a millisecond before validity', '2026-05-31T23:59:59.999Z', /not valid before 2026-06-01T00:00:00.000Z/],
    ['a millisecond before expiry', '2026-11-30T23:59:59.999Z', undefined],
    ['at the instant of expiry', '2026-12-01T00:00:00.000Z', /expired at 2026-12-01T00:00:00.000Z/],
  ])('decides a signature made %s', (_when, signedAt, expected) => {
    // Prepare
    const signingKey = registeredKey(key, window);

    // Act
    const reason = keyUnusableAt(signingKey, signedAt);

    // Assess
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });

  it.each([
    ['a millisecond before the revocation takes effect', '2026-08-31T23:59:59.999Z', undefined],
    ['at the instant the revocation takes effect', '2026-09-01T00:00:00.000Z', /revoked with effect from/],
    ['after the revocation took effect', '2026-10-01T00:00:00.000Z', /revoked with effect from/],
  ])('decides a signature made %s', (_when, signedAt, expected) => {
    // Prepare
    const signingKey = registeredKey(key, {
      ...window,
      revokedAt: '2026-09-02T00:00:00.000Z',
      revocationEffectiveAt: '2026-09-01T00:00:00.000Z',
    });

    // Act
    const reason = keyUnusableAt(signingKey, signedAt);

    // Assess
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });

  it('accepts a key with no expiry long after its start', () => {
    // Prepare
    const signingKey = registeredKey(key, { validFrom: window.validFrom });

    // Act
    const reason = keyUnusableAt(signingKey, '2040-01-01T00:00:00.000Z');

    // Assess
    expect(reason).toBeUndefined();
  });

  it('compares a signing time given with an offset as an instant, not as text', () => {
    // Prepare: as text "…06-01T09…" sorts after "…06-01T00…", but 09:59 at +10:00 is 23:59 UTC the day before
    const signingKey = registeredKey(key, window);

    // Act
    const beforeStart = keyUnusableAt(signingKey, '2026-06-01T09:59:59.999+10:00');
    const atStart = keyUnusableAt(signingKey, '2026-06-01T10:00:00.000+10:00');

    // Assess
    expect(beforeStart).toMatch(/not valid before/);
    expect(atStart).toBeUndefined();
  });

  it('treats a revocation as taking effect at its instant whatever offset the signing time is written in', () => {
    // Prepare: as text, "2026-09-01T09…" sorts after the revocation, but it is 23:30 UTC the day before
    const signingKey = registeredKey(key, { ...window, revocationEffectiveAt: '2026-09-01T00:00:00.000Z' });

    // Act
    const beforeRevocation = keyUnusableAt(signingKey, '2026-09-01T09:30:00+10:00');
    const afterRevocation = keyUnusableAt(signingKey, '2026-08-31T20:00:00-05:00');

    // Assess
    expect(beforeRevocation).toBeUndefined();
    expect(afterRevocation).toMatch(/revoked with effect from/);
  });
});
