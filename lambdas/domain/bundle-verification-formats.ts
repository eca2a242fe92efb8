import {
  type CheckpointPayload,
  CheckpointPayloadSchema,
  type InclusionProof,
  InclusionProofSchema,
} from './checkpoint';
import { DirectoryEventSchema } from './directory-chain';
import { HashSchema } from './notice-event';
import * as z from './zod';

/**
 * The entries of an evidence bundle (docs/evidence.md) as the verifier reads them: one zod schema per JSON entry,
 * so a malformed entry is a named failure, never a crash. These are the reader's view; the exporter
 * writes them from the records themselves. docs/evidence.md describes every format.
 */
export const BUNDLE_FORMAT = 'notice-portal-evidence-bundle';
export const BUNDLE_VERSION = 1;

export const BUNDLE_PATHS = {
  notice: 'notice/notice.json',
  events: 'notice/events.json',
  signedNotice: 'notice/signed-notice.jws',
  regulatorKeys: 'keys/regulator-keys.json',
  platformKeys: 'keys/platform-keys.json',
  checkpoints: 'checkpoints/checkpoints.json',
  proofs: 'checkpoints/proofs.json',
  rule: 'deadline/rule.json',
  holidays: 'deadline/holidays.json',
  manifest: 'manifest.json',
} as const;

/** Entries every bundle has (the signed notice is absent for notices issued before signing existed). */
export const REQUIRED_ENTRIES = [
  BUNDLE_PATHS.notice,
  BUNDLE_PATHS.events,
  BUNDLE_PATHS.regulatorKeys,
  BUNDLE_PATHS.platformKeys,
  BUNDLE_PATHS.checkpoints,
  BUNDLE_PATHS.proofs,
  BUNDLE_PATHS.rule,
  BUNDLE_PATHS.holidays,
] as const;

export const submissionPaths = (sid: string) => ({
  dir: `submissions/${sid}/`,
  record: `submissions/${sid}/submission.json`,
  manifest: `submissions/${sid}/manifest.json`,
  signature: `submissions/${sid}/signature.jws`,
  receipt: `submissions/${sid}/receipt.jws`,
  files: `submissions/${sid}/files/`,
  file: (name: string) => `submissions/${sid}/files/${name}`,
});

const Instant = /* @__PURE__ */ z.iso.datetime({ offset: true });
const CheckpointRef = /* @__PURE__ */ (() =>
  z.strictObject({
    seq: z.number().check(z.int(), z.gte(1)),
    hash: HashSchema,
  }))();

export const BundleManifestSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    format: z.literal(BUNDLE_FORMAT),
    version: z.literal(BUNDLE_VERSION),
    noticeId: z.string(),
    platformId: z.string(),
    createdAt: Instant,
    files: z.enum(['included', 'hashes-only']),
    checkpoint: z.nullable(CheckpointRef),
    entries: z.array(
      z.strictObject({
        path: z.string().check(z.minLength(1)),
        size: z.number().check(z.int(), z.gte(0)),
        sha256: HashSchema,
      }),
    ),
  }))();
export type BundleManifest = z.infer<typeof BundleManifestSchema>;

/** A public key as /.well-known/regulator-keys.json lists it (extra JWK members are allowed, as in any JWKS). */
const PublishedKeySchema = /* @__PURE__ */ (() =>
  z.looseObject({
    kty: z.string(),
    kid: z.string(),
    validFrom: z.optional(Instant),
    validUntil: z.optional(Instant),
  }))();

/** keys/regulator-keys.json, and what `--keys` takes (a bare JWKS without the log is accepted there). */
export const RegulatorKeysFileSchema = /* @__PURE__ */ (() =>
  z.object({
    keys: z.array(PublishedKeySchema),
    log: z.optional(z.array(DirectoryEventSchema)),
  }))();
export type RegulatorKeysFile = z.infer<typeof RegulatorKeysFileSchema>;

export const PlatformKeysFileSchema = /* @__PURE__ */ (() =>
  z.object({
    platformId: z.string(),
    log: z.array(DirectoryEventSchema),
  }))();

// The checkpoint payload and inclusion proof are exactly what the portal writes (checkpoint.ts).
export { type CheckpointPayload, CheckpointPayloadSchema, type InclusionProof, InclusionProofSchema };

/** A checkpoint as `GET /checkpoints/{seq}` returns it (other members, such as a status, are ignored). */
export const CheckpointRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    seq: z.number().check(z.int(), z.gte(1)),
    hash: HashSchema,
    payload: z.unknown(),
    jws: z.string(),
  }))();
export type CheckpointRecord = z.infer<typeof CheckpointRecordSchema>;

export const DeadlineRuleFileSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    timeZone: z.string(),
    jurisdiction: z.unknown(),
    deadlineRule: z.optional(z.unknown()),
    requestedDueAt: z.optional(Instant),
    givenAt: Instant,
  }))();

export const HolidaysFileSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    description: z.string(),
    dates: z.record(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)), z.string()),
  }))();

/** The payload of the notice as given (docs/evidence.md). */
export const SignedNoticePayloadSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    typ: z.literal('notice-as-given'),
    noticeId: z.string(),
    platformId: z.string(),
    type: z.string(),
    title: z.string(),
    legalBasis: z.string(),
    requirements: z.unknown(),
    mannerAndForm: z.string(),
    consequences: z.string(),
    timeZone: z.string(),
    jurisdiction: z.unknown(),
    deadlineRule: z.optional(z.unknown()),
    requestedDueAt: z.optional(Instant),
    contacts: z.array(z.string()),
    infringement: z.optional(z.unknown()),
    /** Not in the contract's list; compared when a signer includes it. */
    reminderPolicy: z.optional(z.unknown()),
    givenAt: Instant,
    dueAt: z.optional(Instant),
    dueExplanation: z.optional(z.array(z.string())),
    contentSeq: z.number().check(z.int(), z.gte(1)),
    contentHash: HashSchema,
    checkpoint: z.optional(CheckpointRef),
    signedAt: Instant,
  }))();
export type SignedNoticePayload = z.infer<typeof SignedNoticePayloadSchema>;

/** The content fields of the signed notice, compared one by one with the created/draft-revised event's data. */
export const SIGNED_CONTENT_FIELDS = [
  'platformId',
  'type',
  'title',
  'legalBasis',
  'requirements',
  'mannerAndForm',
  'consequences',
  'timeZone',
  'jurisdiction',
  'deadlineRule',
  'requestedDueAt',
  'contacts',
  'infringement',
] as const;

export const AcknowledgementPayloadSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    typ: z.literal('notice-acknowledgement'),
    noticeId: z.string(),
    platformId: z.string(),
    signedNoticeSha256: HashSchema,
    acknowledgedAt: Instant,
  }))();

/** What a receipt may say beyond ReceiptClaimsSchema: the checkpoint it names. */
export const ReceiptCheckpointSchema = /* @__PURE__ */ (() => z.object({ checkpoint: z.optional(CheckpointRef) }))();

/** Up to five "path: message" lines for a zod failure, for a report line. */
export function zodProblems(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`)
    .join('; ');
}
