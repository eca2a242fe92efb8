import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyDirectoryChain } from '../../lambdas/domain/directory-chain';
import { verifySignedNotice } from '../../lambdas/domain/notice-verification';
import { transparencyDraft } from './support/portal-harness';
import { callAs, startPortalProcess } from './support/portal-process';

/**
 * Rotating the regulator's key, as an operator does it locally: stop the portal, replace its key file, start it
 * again on the same data. The first signature of the new process activates the new key in the key log; the old key
 * stays published with the window in which it signed, so notices signed before the rotation still verify, and
 * each notice verifies only in its own key's window.
 */
async function issue(url: string) {
  const draft = await callAs(url, 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
  const issued = await callAs(url, 'officer', 'POST', `/notices/${draft.body.id}/issue`);
  expect(issued.status).toBe(200);
  return issued.body as { id: string; signedNotice: string };
}

it('keeps verifying notices signed with the old key after a rotation, each key published with its window', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'notice-portal-rotation-'));
  try {
    // Prepare: a notice signed with the first key.
    const first = await startPortalProcess({ DATA_DIR: dataDir });
    const before = await issue(first.url);
    await first.stop();

    // Act: a new key file (the portal makes one when there is none), and a notice signed with it.
    rmSync(join(dataDir, 'receipt-key.json'));
    const second = await startPortalProcess({ DATA_DIR: dataDir });
    const after = await issue(second.url);
    // The published JSON, asserted on below.
    const keys: any = await (await fetch(`${second.url}/.well-known/regulator-keys.json`)).json();
    const jwks: any = await (await fetch(`${second.url}/.well-known/receipt-keys.json`)).json();
    await second.stop();

    // Assess: two activations, the old window closed by the new one.
    expect(verifyDirectoryChain(keys.log)).toEqual({ valid: true });
    expect(keys.log.map((e: { kind: string }) => e.kind)).toEqual([
      'regulator-key-activated',
      'regulator-key-activated',
    ]);
    const [oldKey, newKey] = keys.keys;
    expect(oldKey.kid).not.toBe(newKey.kid);
    expect(oldKey.validUntil).toBe(newKey.validFrom);
    expect(newKey.validUntil).toBeUndefined();
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([oldKey.kid, newKey.kid]);

    const old = await verifySignedNotice(before.signedNotice, keys);
    const fresh = await verifySignedNotice(after.signedNotice, keys);
    expect(old).toMatchObject({ valid: true, key: { kid: oldKey.kid, validUntil: newKey.validFrom } });
    expect(fresh).toMatchObject({ valid: true, key: { kid: newKey.kid } });
    expect(Date.parse(old.notice?.signedAt as string)).toBeLessThan(Date.parse(newKey.validFrom));
    expect(Date.parse(fresh.notice?.givenAt as string)).toBeGreaterThanOrEqual(Date.parse(newKey.validFrom));

    // A key list that stops the old key's window before the old notice was signed fails that notice, and only it.
    const cut = { keys: [{ ...oldKey, validUntil: oldKey.validFrom }, newKey] };
    expect(await verifySignedNotice(before.signedNotice, cut)).toMatchObject({ valid: false, failed: 'key-validity' });
    expect(await verifySignedNotice(after.signedNotice, cut)).toMatchObject({ valid: true });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 60_000);
