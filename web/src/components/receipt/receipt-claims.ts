import type { ReceiptClaims } from '../../../../lambdas/domain/submission';
import { fromBase64url } from '../../signing/base64url';

export type { ReceiptClaims };

/**
 * What a receipt JWS states (its payload), decoded for display only: the receipt page shows the regulator's own
 * signed words — filed-at, the due time it was judged against and why, each file's hash. Verifying the signature
 * is the "Verify a receipt" page's work; this trusts the portal's answer as the rest of the page does.
 */
export function decodeReceiptClaims(jws: string): ReceiptClaims | undefined {
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  const bytes = fromBase64url(parts[1]);
  if (!bytes) return undefined;
  try {
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as ReceiptClaims;
    return claims && claims.typ === 'notice-response-receipt' ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** "receipt-NRP-2026-7K3F-9Q2M-XA.jws": the download's name carries the receipt number. */
export function receiptFileName(receiptNumber: string): string {
  return `receipt-${receiptNumber.replace(/[^A-Za-z0-9-]/g, '_')}.jws`;
}

/** The receipt's statement of what set the due time, in words. */
export function dueBasisInWords(basis: ReceiptClaims['dueBasis']): string | undefined {
  if (!basis) return undefined;
  const event = `event ${basis.eventSeq} in the notice's history`;
  switch (basis.kind) {
    case 'rule':
      return `The notice type's rule, when the notice was given (${event}).`;
    case 'explicit':
      return `Set by the regulator in the notice (${event}).`;
    case 'extension':
      return `An extension granted (${basis.extensionId}, ${event})${basis.legalBasis ? ` under ${basis.legalBasis}` : ''}.`;
    case 'further-information':
      return `A request for further information (${event}).`;
  }
}
