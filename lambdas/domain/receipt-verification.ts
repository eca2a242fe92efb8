import type { ReceiptClaims } from './submission';
import * as z from './zod';

/**
 * What checking a receipt means, shared by the CLI (`notice-portal verify-receipt`, which verifies with jose) and
 * the web app's "Verify a receipt" page (which verifies with WebCrypto): the one algorithm receipts are signed
 * with, the claims a receipt must state, the checks in the order they run, and the words a reader is told when one
 * fails. Browser-safe (zod only, no node:* imports), so the two can never disagree about what "valid" is.
 */
export const RECEIPT_ALGORITHMS = ['ES256'];

const Instant = /* @__PURE__ */ z.iso.datetime({ offset: true });
const FileClaim = /* @__PURE__ */ (() =>
  z.object({
    name: z.string(),
    size: z.number().check(z.int()),
    sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  }))();

/** The claims as `receiptClaims` (lambdas/domain/submission.ts) writes them; typed against its interface. */
export const ReceiptClaimsSchema = /* @__PURE__ */ (() =>
  z.object({
    typ: z.literal('notice-response-receipt'),
    receiptNumber: z.string(),
    noticeId: z.string(),
    submissionId: z.string(),
    platformId: z.string(),
    legalBasis: z.string(),
    filedAt: Instant,
    dueAt: z.optional(Instant),
    dueBasis: z.optional(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.enum(['rule', 'explicit']), setAt: Instant, eventSeq: z.number().check(z.int()) }),
        z.object({
          kind: z.literal('extension'),
          setAt: Instant,
          eventSeq: z.number().check(z.int()),
          extensionId: z.string(),
          legalBasis: z.optional(z.string()),
        }),
        z.object({ kind: z.literal('further-information'), setAt: Instant, eventSeq: z.number().check(z.int()) }),
      ]),
    ),
    onTime: z.boolean(),
    files: z.array(FileClaim),
    manifestSha256: z.string(),
    signedBy: z.object({ kid: z.string(), name: z.string(), signedAt: Instant }),
    issuedAt: Instant,
    /** The latest complete signed checkpoint at issue; receipts issued before checkpoints existed have none. */
    checkpoint: z.optional(
      z.object({ seq: z.number().check(z.int(), z.gte(1)), hash: z.string().check(z.regex(/^[0-9a-f]{64}$/)) }),
    ),
  }))();

/** Parsed claims, typed as what the portal signs (the assignment fails to compile if the two drift apart). */
export function asReceiptClaims(parsed: z.infer<typeof ReceiptClaimsSchema>): ReceiptClaims {
  return parsed;
}

/** The checks a receipt goes through, in order; a check runs only when every earlier one passed. */
export const RECEIPT_CHECKS = [
  { id: 'form', label: 'The receipt is a compact JWS (three base64url parts)' },
  { id: 'algorithm', label: 'It is signed with ES256, the only algorithm receipts are signed with' },
  { id: 'key', label: "Its key id is one of the regulator's published receipt keys" },
  { id: 'signature', label: 'The signature is valid for that key' },
  { id: 'claims', label: 'It states what a notice-response receipt states (typ notice-response-receipt)' },
] as const;

export type ReceiptCheckId = (typeof RECEIPT_CHECKS)[number]['id'];

/** Why a receipt failed, as the CLI prints it and the web page shows it. */
export const RECEIPT_PROBLEMS = {
  notCompact: 'The receipt is not a compact JWS (three base64url parts separated by dots).',
  malformed: (detail: string) => `The receipt is not valid: it is not a well-formed JWS (${detail}).`,
  algorithm: `The receipt is not valid: it is signed with an algorithm other than ${RECEIPT_ALGORITHMS.join(', ')}, which receipts are never signed with.`,
  noKey:
    "The receipt is not valid: none of the regulator's published receipt keys matches the key it names (wrong JWKS, or a key that was withdrawn).",
  severalKeys: 'The receipt is not valid: several published keys match it; the JWKS is ambiguous.',
  signature:
    'The receipt is not valid: the signature does not match: it was altered after signing, or another key signed it.',
  payloadNotJson: 'The receipt is signed, but its payload is not JSON.',
  claims: 'The receipt is signed, but does not state what a notice-response receipt states.',
} as const;

/** A compact JWS's shape: three base64url parts (the CLI and the page refuse anything else before decoding). */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Up to ten "path: message" lines saying which claims are missing or wrong. */
export function claimsIssueLines(error: z.core.$ZodError): string[] {
  return error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
}

/** How a re-hashed file differs from the receipt's entry for it; undefined when it matches. */
export function fileMismatch(
  actual: { size: number; sha256?: string },
  stated: { size: number; sha256: string },
  formatBytes: (bytes: number) => string,
): string | undefined {
  if (actual.size !== stated.size) {
    return `is ${formatBytes(actual.size)} (${actual.size} bytes); the receipt says ${stated.size} bytes`;
  }
  if (actual.sha256 !== undefined && actual.sha256 !== stated.sha256) {
    return `has SHA-256 ${actual.sha256}; the receipt says ${stated.sha256}`;
  }
  return undefined;
}
