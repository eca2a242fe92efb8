import type { SigningKey } from '../../../lambdas/domain/signing-keys';
import type { Manifest } from '../../../lambdas/domain/submission';
import { KEY_STATUS_LABELS, keyStatus } from '../components/admin/key-status';
import { readDetachedHeader, type VerifyResult, verifyDetachedSignature } from './jws';

/**
 * An attached signature checked as finalize will check it, before anything is filed: made with a key registered
 * for this platform, usable at the manifest's signedAt (the admin pages' rule), and valid over this manifest.
 */
export async function checkAgainstRegisteredKeys(
  manifest: Manifest,
  jws: string,
  registered: readonly Pick<SigningKey, 'kid' | 'jwk' | 'validFrom' | 'validUntil' | 'revocationEffectiveAt'>[],
): Promise<VerifyResult> {
  const read = readDetachedHeader(jws);
  if (!read.ok) return read;
  const key = registered.find((k) => k.kid === read.header.kid);
  if (!key) {
    return {
      ok: false,
      problem: `The signature was made with key ${read.header.kid}, which is not registered for your platform. Ask the regulator to register it.`,
    };
  }
  const status = keyStatus(key as SigningKey, new Date(manifest.signedAt));
  if (status !== 'active') {
    return {
      ok: false,
      problem: `Key ${key.kid} cannot sign at ${manifest.signedAt}: ${KEY_STATUS_LABELS[status].toLowerCase()}.`,
    };
  }
  return verifyDetachedSignature(manifest, jws, key.jwk);
}
