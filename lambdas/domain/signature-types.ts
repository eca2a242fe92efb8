/**
 * Every kind of signature in the portal's record, by its JWS protected-header `typ` and the `typ` its payload
 * states. The regulator signs notices, receipts and checkpoints with the same key (KMS on AWS, a key file locally),
 * so the type is what stops one kind being passed off as another: a verifier checks both the header and the
 * payload type against the kind it expects, and refuses anything else. Platforms sign response manifests (the
 * detached JWS the CLI and web app make; no `typ`, for the signatures filed before this list existed) and, when they
 * choose to, acknowledgements of a signed notice.
 */
export const SIGNATURE_TYPES = {
  /** The notice as given, signed by the regulator at issue. */
  notice: { header: 'nrp-notice+jws', payload: 'notice-as-given' },
  /** The regulator's receipt for a filed response. */
  receipt: { header: 'nrp-receipt+jws', payload: 'notice-response-receipt' },
  /** The regulator's signed commitment to the heads of every chain changed since the previous checkpoint. */
  checkpoint: { header: 'nrp-checkpoint+jws', payload: 'notice-portal-checkpoint' },
  /** A platform's countersignature over a signed notice: "we received exactly this notice". */
  acknowledgement: { header: 'nrp-acknowledgement+jws', payload: 'notice-acknowledgement' },
} as const;

export type SignatureKind = keyof typeof SIGNATURE_TYPES;
