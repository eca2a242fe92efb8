import { ActorSchema } from './caller';
import { IsoInstantSchema, NoticeIdSchema } from './notice';
import { Sha256HexSchema } from './submission';
import * as z from './zod';

/**
 * An evidence bundle: one ZIP per request holding everything a third party needs to verify a notice's record
 * offline (layout: evidence-bundle-layout.ts; plan section 4). Built asynchronously, stored in the response
 * bucket under `evidence-bundles/`, downloaded through a short-lived presigned GET.
 */

export const BUNDLE_FILE_MODES = ['included', 'hashes-only'] as const;
export type BundleFileMode = (typeof BUNDLE_FILE_MODES)[number];

export const BundleIdSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^bdl_[0-9A-HJKMNP-TV-Z]{26}$/, 'is not an evidence bundle id')))();

export const EvidenceBundleRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      files: z.described(z.enum(BUNDLE_FILE_MODES), {
        description: "`included`: each submitted file's bytes are in the bundle; `hashes-only`: only their hashes.",
      }),
    }),
    { id: 'EvidenceBundleRequest' },
  ))();
export type EvidenceBundleRequest = z.infer<typeof EvidenceBundleRequestSchema>;

export const BundleProgressSchema = /* @__PURE__ */ (() =>
  z.object({
    /** ZIP entries fully written so far (manifest.json, written last, included). */
    entriesWritten: z.number().check(z.int(), z.gte(0)),
    /** Bytes of ZIP output stored so far. */
    bytesWritten: z.number().check(z.int(), z.gte(0)),
  }))();
export type BundleProgress = z.infer<typeof BundleProgressSchema>;

/** What the API shows of a bundle. */
export const EvidenceBundleSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      bundleId: BundleIdSchema,
      noticeId: NoticeIdSchema,
      status: z.enum(['building', 'ready', 'failed']),
      files: z.enum(BUNDLE_FILE_MODES),
      requestedAt: IsoInstantSchema,
      requestedBy: ActorSchema,
      progress: BundleProgressSchema,
      /** Size of the ZIP in bytes, once ready. */
      size: z.optional(z.number().check(z.int())),
      /** SHA-256 (hex) of the whole ZIP, once ready. */
      sha256: z.optional(Sha256HexSchema),
      readyAt: z.optional(IsoInstantSchema),
      /** Presigned GET of the ZIP, valid for a few minutes; present only when ready. Fetch the record again for a new one. */
      downloadUrl: z.optional(z.string()),
      /** Why the build failed, in words for the requester (details are in the portal's logs). */
      error: z.optional(z.string()),
    }),
    { id: 'EvidenceBundle' },
  ))();
export type EvidenceBundle = z.infer<typeof EvidenceBundleSchema>;

/**
 * The stored record: the public fields and what the builder needs. `attempt` counts build runs that claimed the
 * bundle; `leaseUntil` is when a run that stops heartbeating (killed, timed out) is presumed dead, after which the
 * sweep restarts the build. Both are meaningful only while `building`.
 */
export interface EvidenceBundleRecord extends Omit<EvidenceBundle, 'downloadUrl'> {
  platformId: string;
  /** Incremented by every write; every write is conditional on the version read. */
  version: number;
  objectKey: string;
  attempt: number;
  leaseUntil?: string;
  /** The Idempotency-Key the bundle was requested with, if any (its id is derived from it). */
  idempotencyKey?: string;
}

export const BundlePathSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ noticeId: NoticeIdSchema, bundleId: BundleIdSchema }), { id: 'EvidenceBundlePath' }))();

/** A bundle the builder owes work, as the sweep lists it. */
export interface BundleRef {
  noticeId: string;
  bundleId: string;
}

/** Storage of bundle records, in their notice's partition. Every change is conditional on the version read. */
export interface EvidenceBundleStore {
  getBundle(noticeId: string, bundleId: string): Promise<EvidenceBundleRecord | undefined>;
  /** Writes a new record; false if the id is taken. */
  createBundle(record: EvidenceBundleRecord): Promise<boolean>;
  /** Replaces the record if it is still at `expectedVersion`; false if another writer changed it first. */
  replaceBundle(record: EvidenceBundleRecord, expectedVersion: number): Promise<boolean>;
  /** Bundles still `building` whose lease ended at or before `before`, oldest first (a sparse index, no Scan). */
  listExpiredBuilds(before: string, limit: number): Promise<BundleRef[]>;
}

/**
 * Starts a build elsewhere, without waiting for it: an asynchronous Lambda invocation on AWS, a background run in
 * the local portal's process. At-least-once is enough: a lost start is recovered by the sweep when the lease ends.
 */
export interface BundleBuildTrigger {
  start(ref: BundleRef): Promise<void>;
}
