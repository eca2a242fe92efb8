import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { parsePublicKey } from '../../lambdas/domain/signing-keys';
import { jwkThumbprint } from '../../web/src/components/admin/jwk-thumbprint';

/**
 * The key-registration page shows a pasted key's RFC 7638 thumbprint before it is submitted; the API gives the key
 * that thumbprint as its `kid`. These tests hold the browser function to RFC 7638's own example and to the API.
 */
describe('the JWK thumbprint shown before registering a key', () => {
  it("matches RFC 7638 §3.1's worked example", async () => {
    const rfcExample = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(await jwkThumbprint(JSON.stringify(rfcExample))).toEqual({
      ok: true,
      thumbprint: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
    });
  });

  it.each(['Ed25519', 'ES256'] as const)('gives a %s key the kid the API registers it under', async (alg) => {
    const { publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), use: 'sig' };
    const shown = await jwkThumbprint(JSON.stringify(jwk, null, 2));
    const registered = await parsePublicKey(jwk);
    expect(shown).toEqual({ ok: true, thumbprint: registered.kid });
    expect(registered.kid).toBe(await calculateJwkThumbprint(jwk as JWK, 'sha256'));
  });

  it('says what is wrong with text that is not a usable JWK', async () => {
    expect(await jwkThumbprint('not json')).toMatchObject({ ok: false, problem: expect.stringContaining('not JSON') });
    expect(await jwkThumbprint('[1]')).toMatchObject({ ok: false, problem: expect.stringContaining('JSON object') });
    expect(await jwkThumbprint('{"crv":"P-256"}')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('kty'),
    });
    expect(await jwkThumbprint('{"kty":"EC","crv":"P-256","x":"abc"}')).toEqual({
      ok: false,
      problem: 'This EC key needs "y".',
    });
  });
});
