import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signAcknowledgement as cliSign } from '../../cli/commands/acknowledge';
import { generateSigningKey, loadSigningKey } from '../../cli/signing';
import { ValidationFailed } from '../../lambdas/domain/errors';
import type { Notice } from '../../lambdas/domain/notice';
import { verifyAcknowledgement } from '../../lambdas/domain/notice-acknowledgement';
import type { SigningAlgorithm, SigningKey } from '../../lambdas/domain/signing-keys';
import { jwsKeyId, signAcknowledgement } from '../../web/src/signing/acknowledgement';
import { generateBrowserKey } from '../../web/src/signing/signing-key';
import { noticeInStatus } from '../support/notice-fixtures';

/**
 * The web app's countersigned acknowledgement (web/src/signing/acknowledgement.ts) on Node's WebCrypto, the API
 * the browser has: what it makes must be what the portal's verifier accepts, exactly as the CLI's is.
 */
const signedNotice = 'eyJhbGciOiJFUzI1NiIsImtpZCI6InJlZy1rZXkiLCJ0eXAiOiJucnAtbm90aWNlK2p3cyJ9.e30.c2ln';
const notice: Notice & { signedNotice: string } = { ...noticeInStatus('issued'), signedNotice };

function registered(kid: string, alg: SigningAlgorithm, jwk: unknown): SigningKey {
  return {
    kid,
    platformId: 'x-corp',
    alg,
    jwk: jwk as SigningKey['jwk'],
    validFrom: '2026-01-01T00:00:00.000Z',
    registeredAt: '2026-01-01T00:05:00.000Z',
    registeredBy: { subject: 'sub-admin', role: 'regulator-admin' },
  };
}

const verify = (signature: string, key: SigningKey) =>
  verifyAcknowledgement({
    signature,
    notice,
    platformId: 'x-corp',
    findKey: async (platformId, kid) => (platformId === key.platformId && kid === key.kid ? key : undefined),
    now: new Date('2026-11-24T03:00:00.000Z'),
  });

describe.each(['EdDSA', 'ES256'] as const)('a %s acknowledgement signed in the browser', (alg) => {
  it('is accepted by the portal with the registered key', async () => {
    const key = await generateBrowserKey(alg);

    const jws = await signAcknowledgement(notice, key, '2026-11-24T02:59:00.000Z');

    expect(await verify(jws, registered(key.kid, alg, key.publicJwk))).toEqual({ kid: key.kid });
    expect(jwsKeyId(jws)).toBe(key.kid);
  });

  it('is refused for another notice', async () => {
    const key = await generateBrowserKey(alg);
    const jws = await signAcknowledgement({ ...notice, signedNotice: `${signedNotice}x` }, key, '2026-11-24T02:59:00Z');

    await expect(verify(jws, registered(key.kid, alg, key.publicJwk))).rejects.toBeInstanceOf(ValidationFailed);
  });
});

it('is made by the CLI the same way, and accepted the same way', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ack-'));
  try {
    const generated = await generateSigningKey('EdDSA');
    const path = join(dir, 'key.jwk');
    writeFileSync(path, JSON.stringify(generated.privateJwk));
    const key = await loadSigningKey(path);

    const jws = await cliSign({ noticeId: notice.id, platformId: 'x-corp', signedNotice }, key);

    expect(await verify(jws, registered(key.kid, 'EdDSA', key.publicJwk))).toEqual({ kid: key.kid });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
