import { canonicalJson } from '../../../lambdas/domain/canonical-json';
import { acknowledgementPayload } from '../../../lambdas/domain/notice-verification';
import { SIGNATURE_TYPES } from '../../../lambdas/domain/signature-types';
import type { SigningAlgorithm } from '../../../lambdas/domain/signing-keys';
import { fromBase64url, toBase64url, utf8 } from './base64url';
import { type WebCryptoKey, webCryptoAlgorithm } from './public-jwk';

/**
 * A countersigned acknowledgement made in the browser, as `notice-portal acknowledge --sign` makes it with jose
 * (cli/commands/acknowledge.ts) and the portal checks it (lambdas/domain/notice-acknowledgement.ts): a compact JWS
 * over the canonical acknowledgement payload, header `{alg, kid, typ: nrp-acknowledgement+jws}`.
 */
export async function signAcknowledgement(
  notice: { id: string; platformId: string; signedNotice: string },
  key: { alg: SigningAlgorithm; kid: string; privateKey: WebCryptoKey },
  acknowledgedAt: string,
): Promise<string> {
  const payload = await acknowledgementPayload({
    noticeId: notice.id,
    platformId: notice.platformId,
    signedNotice: notice.signedNotice,
    acknowledgedAt,
  });
  const header = toBase64url(
    utf8(JSON.stringify({ alg: key.alg, kid: key.kid, typ: SIGNATURE_TYPES.acknowledgement.header })),
  );
  const body = toBase64url(utf8(canonicalJson(payload)));
  const signature = await globalThis.crypto.subtle.sign(
    webCryptoAlgorithm(key.alg),
    key.privateKey,
    utf8(`${header}.${body}`),
  );
  return `${header}.${body}.${toBase64url(new Uint8Array(signature))}`;
}

/** The key id a compact JWS's protected header names (undefined when it names none, or is not readable). */
export function jwsKeyId(jws: string): string | undefined {
  const bytes = fromBase64url(jws.split('.')[0] ?? '');
  if (!bytes) return undefined;
  try {
    const header = JSON.parse(new TextDecoder().decode(bytes)) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
