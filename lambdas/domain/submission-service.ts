import { createHash } from 'node:crypto';
import type { Actor, Caller } from './caller';
import { Conflict, type FieldIssue, NotFound, ValidationFailed } from './errors';
import { AWAITING_RESPONSE, type Notice } from './notice';
import { sealEvent } from './notice-event';
import { applyEvent, assertVisible, authorize } from './notice-lifecycle';
import type { NoticeStore } from './notice-store';
import { type PartRequest, partsToComplete, partsToPresign } from './part-checksums';
import type { PendingVerificationRef, VerificationProgress, VerificationReport } from './pending-verification';
import { type ResponseStorage, UploadGone, UploadRefused } from './response-storage';
import type { SigningKeyLookup } from './signing-key-lookup';
import { keyUnusableAt } from './signing-keys';
import {
  type Manifest,
  manifestIssues,
  manifestSha256,
  type OpenSubmissionRequest,
  type Receipt,
  type ReceiptSigner,
  receiptClaims,
  SIGNED_AT_SKEW_MS,
  SINGLE_PUT_MAX_BYTES,
  type Submission,
  type SubmissionFile,
  verifyManifestSignature,
} from './submission';
import { SubmissionReader } from './submission-reader';
import type { SubmissionStore } from './submission-store';

export interface SubmissionServiceDeps {
  notices: NoticeStore;
  submissions: SubmissionStore;
  /** The platforms' signing keys, read to verify a signature (they are managed by `SigningKeyService`). */
  keys: SigningKeyLookup;
  storage: ResponseStorage;
  receipts: ReceiptSigner;
  clock: () => Date;
  newSubmissionId: () => string;
  /** `{seq, hash}` of the latest complete signed checkpoint, which each receipt names. @default none named */
  latestCheckpoint?: () => Promise<{ seq: number; hash: string } | undefined>;
  /** @default 3600 */
  uploadUrlSeconds?: number;
  /** @default 300 */
  downloadUrlSeconds?: number;
  /**
   * A finalize hashes missing files itself (a lost S3 event, an S3 implementation that sends none, or an event
   * still on its way) up to this many bytes in all; the rest is left to the S3-event hasher and the
   * pending-verification job, out of the request path. @default 64 MiB
   */
  inlineHashMaxBytes?: number;
  /**
   * Told once for each submission this service filed, by whichever path committed it (a finalize, the S3-event
   * hasher, the pending-verification job); never for a replayed finalize or a filing found already recorded.
   */
  onFiled?: (submission: Submission, receipt: Receipt) => void;
}

export type UploadTarget =
  | { index: number; method: 'PUT'; url: string; headers: Record<string, string>; expiresAt: string }
  | {
      index: number;
      method: 'multipart';
      partSize: number;
      partCount: number;
      /** Set on uploads that check each part: every part URL binds that part's SHA-256. */
      checksumAlgorithm?: 'SHA256';
      /** Send each part's `headers` exactly as given: they are signed (the part's SHA-256). */
      parts: { partNumber: number; url: string; headers: Record<string, string> }[];
      expiresAt: string;
    };

export type FinalizeOutcome =
  | { status: 'filed'; submission: Submission; receipt: Receipt }
  | { status: 'verifying'; submission: Submission };

const MIB = 1024 ** 2;

export { MAX_PART_URLS } from './part-checksums';

/** A submission opened with an Idempotency-Key gets an id derived from it, so a retry finds the same one. */
function submissionIdForKey(noticeId: string, subject: string, key: string): string {
  const digest = createHash('sha256').update(`submission\n${noticeId}\n${subject}\n${key}`).digest();
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let id = '';
  for (const byte of digest.subarray(0, 26)) id += alphabet[byte % 32];
  return `sub_${id}`;
}

/** Part size for a multipart file: 16 MiB, or larger so that no file needs more than 1 000 parts. */
export function partSizeFor(size: number): number {
  return Math.max(16 * MIB, Math.ceil(size / 1000 / MIB) * MIB);
}

/**
 * Signed responses: opening a submission with upload targets straight to S3, verifying it against the platform's
 * signing keys and filing it, the receipt, and downloads.
 */
export class SubmissionService {
  private readonly uploadSeconds: number;
  private readonly downloadSeconds: number;
  /**
   * Files this process is hashing now. The pending-verification job and a finalize skip them rather than read the
   * same bytes twice (locally everything runs in one process; on AWS this only spares one container's work).
   * Correctness never depends on it: recording a hash and filing are idempotent.
   */
  private readonly hashing = new Set<string>();

  private readonly reader: SubmissionReader;

  constructor(private readonly deps: SubmissionServiceDeps) {
    this.reader = new SubmissionReader(deps);
    this.uploadSeconds = deps.uploadUrlSeconds ?? 3600;
    this.downloadSeconds = deps.downloadUrlSeconds ?? 300;
  }

  // ---- submissions -------------------------------------------------------------------------------------------

  async open(
    caller: Caller,
    noticeId: string,
    request: OpenSubmissionRequest,
    idempotencyKey?: string,
  ): Promise<{ submission: Submission; uploads: UploadTarget[]; created: boolean }> {
    // The role before the notice: 403 for a caller who may never submit, whatever the id.
    const actor = authorize(caller, 'submit');
    const notice = assertVisible(caller, await this.deps.notices.load(noticeId), noticeId);
    this.assertAcceptsResponses(notice);
    const submissionId = idempotencyKey
      ? submissionIdForKey(noticeId, caller.subject, idempotencyKey)
      : this.deps.newSubmissionId();
    if (idempotencyKey) {
      // A retried open (its response lost) gets the same submission back, with fresh upload URLs.
      const existing = await this.deps.submissions.getSubmission(noticeId, submissionId);
      if (existing) return this.reopened(existing, request);
    }
    const { storage } = this.deps;
    const files: SubmissionFile[] = [];
    for (const [index, file] of request.files.entries()) {
      const key = storage.objectKey(noticeId, submissionId, index);
      const declared = { index, name: file.name, size: file.size, contentType: file.contentType, key };
      if (file.size <= SINGLE_PUT_MAX_BYTES) {
        files.push({ ...declared, declaredSha256: file.sha256, upload: { kind: 'single' } });
      } else {
        const partSize = partSizeFor(file.size);
        const uploadId = await storage.createMultipartUpload(key, file.contentType);
        const partCount = Math.ceil(file.size / partSize);
        files.push({
          ...declared,
          declaredSha256: file.sha256,
          upload: { kind: 'multipart', uploadId, partSize, partCount, checksumAlgorithm: 'SHA256' },
        });
      }
    }
    const submission: Submission = {
      submissionId,
      noticeId,
      platformId: notice.platformId,
      status: 'open',
      version: 1,
      openedAt: this.deps.clock().toISOString(),
      openedBy: actor,
      files,
    };
    if (!(await this.deps.submissions.createSubmission(submission))) {
      const existing = idempotencyKey && (await this.deps.submissions.getSubmission(noticeId, submissionId));
      if (existing) return this.reopened(existing, request);
      throw new Conflict('concurrent-update', 'A submission with this id already exists; try again.');
    }
    return { submission, uploads: await Promise.all(files.map((f) => this.uploadTarget(f))), created: true };
  }

  private async reopened(existing: Submission, request: OpenSubmissionRequest) {
    const same =
      existing.files.length === request.files.length &&
      existing.files.every((f, i) => {
        const asked = request.files[i];
        return (
          asked !== undefined && f.name === asked.name && f.size === asked.size && f.declaredSha256 === asked.sha256
        );
      });
    if (!same) {
      throw new Conflict('idempotency-key-reused', 'This Idempotency-Key opened a submission with other files.');
    }
    const uploads =
      existing.status === 'open' ? await Promise.all(existing.files.map((f) => this.uploadTarget(f))) : [];
    return { submission: existing, uploads, created: false };
  }

  get(caller: Caller, noticeId: string, submissionId: string): Promise<Submission> {
    return this.reader.get(caller, noticeId, submissionId);
  }

  async uploadUrls(
    caller: Caller,
    noticeId: string,
    submissionId: string,
    index: number,
    parts?: PartRequest[],
  ): Promise<UploadTarget> {
    const { submission } = await this.ownOpenSubmission(caller, noticeId, submissionId);
    return this.uploadTarget(fileOf(submission, index), parts ?? 'default');
  }

  async uploadedParts(caller: Caller, noticeId: string, submissionId: string, index: number) {
    const { submission } = await this.ownOpenSubmission(caller, noticeId, submissionId);
    const file = fileOf(submission, index);
    if (file.upload.kind !== 'multipart')
      throw new Conflict('illegal-transition', `File ${index} is not a multipart upload.`);
    if (file.completedAt) return [];
    try {
      return await this.deps.storage.listParts(file.key, file.upload.uploadId);
    } catch (error) {
      if (!(error instanceof UploadGone)) throw error;
      // Completed in storage by a request that died before recording it: recorded now, and nothing is left to send.
      if (await this.recordStoredCompletion(noticeId, submissionId, file)) return [];
      throw uploadExpiredConflict(index);
    }
  }

  async completeFile(
    caller: Caller,
    noticeId: string,
    submissionId: string,
    index: number,
    parts: { partNumber: number; etag: string; sha256?: string }[],
  ) {
    const { submission } = await this.ownOpenSubmission(caller, noticeId, submissionId);
    const file = fileOf(submission, index);
    if (file.upload.kind !== 'multipart')
      throw new Conflict('illegal-transition', `File ${index} is a single upload; nothing to complete.`);
    if (file.completedAt) return submission;
    const numbers = parts.map((p) => p.partNumber);
    const expected = Array.from({ length: file.upload.partCount }, (_, i) => i + 1);
    if (numbers.length !== expected.length || numbers.some((n, i) => n !== expected[i])) {
      throw new ValidationFailed([
        { path: 'parts', message: `must list parts 1 to ${file.upload.partCount} in order` },
      ]);
    }
    const { key, upload } = file;
    // A repeated completion whose first attempt completed the upload in storage and died before recording it finds
    // the upload gone: the stored object is that completion.
    const gone = async () => {
      const recorded = await this.recordStoredCompletion(noticeId, submissionId, file);
      if (!recorded) throw uploadExpiredConflict(index);
      return recorded;
    };
    let listed: Awaited<ReturnType<typeof partsToComplete>>;
    try {
      listed = await partsToComplete(upload, parts, () => this.deps.storage.listParts(key, upload.uploadId));
    } catch (error) {
      if (error instanceof UploadGone) return gone();
      throw error;
    }
    try {
      await this.deps.storage.completeMultipartUpload(key, upload.uploadId, listed);
    } catch (error) {
      if (error instanceof UploadGone) return gone();
      // Storage may have completed the upload and every answer been lost (the client's retries then met no upload,
      // and lost those answers too): the stored object is that completion, not a refusal to report as the client's.
      const recorded = await this.recordStoredCompletion(noticeId, submissionId, file);
      if (recorded) return recorded;
      // Only storage's own refusal of these parts is the client's mistake; a store that failed or could not be
      // reached is a fault (5xx), which the client retries.
      if (!(error instanceof UploadRefused)) throw error;
      throw new ValidationFailed([{ path: 'parts', message: `S3 refused to complete the upload: ${error.reason}` }]);
    }
    return this.updateFile(noticeId, submissionId, index, (f) => ({
      ...f,
      completedAt: f.completedAt ?? this.deps.clock().toISOString(),
    }));
  }

  /**
   * Storage holds no upload any more for a multipart file the record says is not completed: either the bucket's
   * lifecycle rule aborted it, or this portal completed it and was killed (or lost its connection) before the
   * conditional write that records the completion. Only the portal completes a multipart upload, and no PUT URL is
   * ever issued for a multipart file's key, so an object of the declared size under the key is that completion:
   * it is recorded now (conditionally on the submission's version, like every change), and its bytes are hashed and
   * checked against the signed manifest before anything is filed, as for any upload. Undefined if it was aborted.
   */
  private async recordStoredCompletion(
    noticeId: string,
    submissionId: string,
    file: SubmissionFile,
  ): Promise<Submission | undefined> {
    const stored = await this.deps.storage.head(file.key);
    if (!stored || stored.size !== file.size) return undefined;
    return this.updateFile(noticeId, submissionId, file.index, (f) => ({
      ...f,
      completedAt: f.completedAt ?? this.deps.clock().toISOString(),
    }));
  }

  /**
   * Checks everything that can be checked now (binding, signature, files listed, completeness), records the
   * request — its arrival is the filed-at instant if it is accepted — and files it at once if every file's hash is
   * known, or when the last hash arrives (`recordFileHash`).
   */
  async finalize(
    caller: Caller,
    noticeId: string,
    submissionId: string,
    request: { manifest: Manifest; signature: string },
    receivedAt: Date,
  ): Promise<FinalizeOutcome> {
    authorize(caller, 'submit');
    const { notice, submission } = await this.visibleSubmission(caller, noticeId, submissionId);
    const filed = await this.filedResponse(noticeId, submissionId);
    if (filed) {
      const receipt = sameFiling(filed, request, submissionId);
      return { status: 'filed', submission: { ...submission, status: 'filed', receipt }, receipt };
    }
    this.assertAcceptsResponses(notice);

    const issues = manifestIssues(request.manifest, notice, submission);
    if (issues.length > 0)
      throw new ValidationFailed(issues, 'The manifest does not match this notice and submission.');
    const signedAt = Date.parse(request.manifest.signedAt);
    if (signedAt > receivedAt.getTime() + SIGNED_AT_SKEW_MS) {
      throw new ValidationFailed([{ path: 'manifest.signedAt', message: 'is in the future' }]);
    }
    if (signedAt < Date.parse(submission.openedAt) - SIGNED_AT_SKEW_MS) {
      // A signature older than the submission it names cannot be genuine (and would dodge a later revocation).
      throw new ValidationFailed([{ path: 'manifest.signedAt', message: 'is earlier than the submission was opened' }]);
    }
    const { kid } = await verifyManifestSignature({
      manifest: request.manifest,
      signature: request.signature,
      findKey: (id) => this.deps.keys.getKey(notice.platformId, id),
      receivedAt: receivedAt.toISOString(),
    });

    const notUploaded: FieldIssue[] = [];
    for (const file of submission.files) {
      if (file.upload.kind === 'multipart' && !file.completedAt) {
        notUploaded.push({
          path: `files.${file.index}`,
          message: `"${file.name}" is a multipart upload that was not completed`,
        });
      } else if (!(await this.deps.storage.head(file.key))) {
        notUploaded.push({ path: `files.${file.index}`, message: `"${file.name}" has not been uploaded` });
      }
    }
    if (notUploaded.length > 0)
      throw new ValidationFailed(notUploaded, 'Some files have not been uploaded; nothing was filed.');

    const hash = manifestSha256(request.manifest);
    if (submission.status === 'finalizing' && submission.finalize && submission.finalize.manifestSha256 !== hash) {
      throw new Conflict('illegal-transition', 'Another manifest is already being filed for this submission.');
    }
    const pending: Submission =
      submission.status === 'finalizing'
        ? submission
        : {
            ...submission,
            status: 'finalizing',
            version: submission.version + 1,
            finalize: {
              requestedAt: receivedAt.toISOString(),
              manifest: request.manifest,
              signature: request.signature,
              manifestSha256: hash,
              kid,
            },
            lastError: undefined,
          };
    if (pending !== submission && !(await this.deps.submissions.replaceSubmission(pending, submission.version))) {
      return this.finalize(caller, noticeId, submissionId, request, receivedAt);
    }
    return this.commitIfReady(noticeId, submissionId, { hashInline: true });
  }

  /** Called for every stored object (S3 event): records the hash of its bytes, then files the submission if ready. */
  async recordFileHash(noticeId: string, submissionId: string, index: number): Promise<FinalizeOutcome | undefined> {
    if (!(await this.hashAndRecord(noticeId, submissionId, index))) return undefined;
    return this.commitIfReady(noticeId, submissionId);
  }

  /**
   * The pending-verification job: for each submission the portal owes work (oldest first, from the sparse index),
   * hashes every missing file from the stored bytes and files the submission if a finalize is waiting. It finds
   * what a lost S3 event, an S3 that sends none, or a crash mid-verification left behind. Filed-at stays the
   * accepted finalize's arrival. Idempotent, so it may run beside the S3-event hasher or another run.
   */
  async verifyPending(options: {
    /** Leave work younger than this to the request or S3 event that is doing it. */
    olderThanMs: number;
    /**
     * Leave a file stored less than this long ago to its S3 event's hasher, which may still be streaming it (up to
     * its function's timeout), rather than read a large file twice; 0 where no such hasher runs elsewhere.
     * @default 0
     */
    leaveToS3EventsMs?: number;
    limit: number;
    /** Asked before each submission; false ends the run (e.g. the function's time is running out). */
    continueWhile?: () => boolean;
    log?: (progress: VerificationProgress) => void;
  }): Promise<VerificationReport> {
    const log = options.log ?? (() => {});
    const before = new Date(this.deps.clock().getTime() - options.olderThanMs).toISOString();
    const pending = await this.deps.submissions.listPendingVerification(before, options.limit);
    const report: VerificationReport = { examined: 0, filed: [], failed: [], oldestPendingSince: pending[0]?.since };
    for (const ref of pending) {
      if (options.continueWhile && !options.continueWhile()) break;
      report.examined += 1;
      try {
        const outcome = await this.verifyOne(ref, options.leaveToS3EventsMs ?? 0, log);
        if (outcome?.status === 'filed') {
          report.filed.push(ref.submissionId);
          log({ step: 'filed', ...ref, receiptNumber: outcome.receipt.number, filedAt: outcome.receipt.filedAt });
        }
      } catch (error) {
        if (error instanceof ValidationFailed) {
          log({ step: 'not-filed', ...ref, issues: error.issues });
        } else {
          // One submission's trouble (S3 unreachable, a notice that changed) must not hold up the others; it stays
          // pending and the next run tries again.
          report.failed.push(ref.submissionId);
          log({ step: 'failed', ...ref, error: (error as Error).message });
        }
      }
    }
    return report;
  }

  private async verifyOne(
    ref: PendingVerificationRef,
    leaveToS3EventsMs: number,
    log: (progress: VerificationProgress) => void,
  ): Promise<FinalizeOutcome | undefined> {
    const { noticeId, submissionId } = ref;
    const submission = await this.deps.submissions.getSubmission(noticeId, submissionId);
    if (!submission || submission.status === 'filed') return undefined;
    const owed = submission.files.filter(
      (f) => !f.sha256 && (submission.status === 'finalizing' || (f.upload.kind === 'multipart' && f.completedAt)),
    );
    log({ step: 'picked-up', ...ref, missingHashes: owed.length });
    const storedBefore = this.deps.clock().getTime() - leaveToS3EventsMs;
    for (const file of owed) {
      if (this.hashing.has(file.key)) continue;
      if (leaveToS3EventsMs > 0) {
        const stored = await this.deps.storage.head(file.key);
        if (stored?.lastModified && stored.lastModified.getTime() > storedBefore) continue;
      }
      await this.hashAndRecord(noticeId, submissionId, file.index);
    }
    if (submission.status !== 'finalizing') {
      log({ step: 'hashed', ...ref, status: submission.status });
      return undefined;
    }
    const outcome = await this.commitIfReady(noticeId, submissionId);
    if (outcome.status === 'verifying') log({ step: 'waiting', ...ref, reason: 'a hash is still being computed' });
    return outcome;
  }

  /** Hashes one stored file and records the hash; false if there is nothing (any more) to record it on. */
  private async hashAndRecord(noticeId: string, submissionId: string, index: number): Promise<boolean> {
    const submission = await this.deps.submissions.getSubmission(noticeId, submissionId);
    if (!submission) return false;
    // What was filed stays as filed: a late upload through a still-valid URL cannot rewrite the record.
    if (submission.status === 'filed' || submission.receipt) return false;
    const file = fileOf(submission, index);
    this.hashing.add(file.key);
    let hashed: Awaited<ReturnType<ResponseStorage['hash']>>;
    try {
      hashed = await this.deps.storage.hash(file.key);
    } finally {
      this.hashing.delete(file.key);
    }
    await this.updateFile(noticeId, submissionId, index, (f) => ({
      ...f,
      completedAt: f.completedAt ?? this.deps.clock().toISOString(),
      sha256: hashed.sha256,
      hashedEtag: hashed.etag,
      hashedSize: hashed.size,
      hashedVersionId: hashed.versionId,
      hashedAt: this.deps.clock().toISOString(),
    }));
    return true;
  }

  /**
   * A short-lived link to a file. Once the response is being filed or filed, the link names the version that was
   * hashed, so it serves exactly the bytes the receipt states whatever is written under the key later. (Finalizing
   * counts: a crash between the commit and marking the submission filed leaves it there, and its hashed versions
   * are the filed ones.) While the submission is open it serves what is stored now: an upload, not yet evidence.
   */
  async download(caller: Caller, noticeId: string, submissionId: string, index: number) {
    const { submission } = await this.visibleSubmission(caller, noticeId, submissionId);
    const file = fileOf(submission, index);
    const stored = await this.deps.storage.head(file.key);
    if (!stored) throw new NotFound(`File ${index} of submission ${submissionId} has not been uploaded.`);
    const pinned = submission.status === 'open' ? undefined : file.hashedVersionId;
    const url = await this.deps.storage.presignGet(file.key, file.name, this.downloadSeconds, pinned);
    return { url, expiresAt: new Date(this.deps.clock().getTime() + this.downloadSeconds * 1000).toISOString() };
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  /**
   * Files the submission when every file is hashed: re-checks that the stored objects are still the bytes that were
   * hashed, that the hashes match the manifest, and commits one `submitted` event carrying the signed receipt. A
   * mismatch sends the submission back to `open` with the reasons, so nothing is half-accepted.
   */
  private async commitIfReady(
    noticeId: string,
    submissionId: string,
    { hashInline = false }: { hashInline?: boolean } = {},
  ): Promise<FinalizeOutcome> {
    let submission = await this.deps.submissions.getSubmission(noticeId, submissionId);
    if (!submission) throw new NotFound(`Submission ${submissionId} was not found.`);
    const filed = await this.filedReceipt(noticeId, submissionId);
    // Filed, but a crash may have come before the submission was marked so: mark it (which ends its pending work).
    if (filed) return this.markFiled(submission, filed);
    if (submission.status !== 'finalizing' || !submission.finalize) return { status: 'verifying', submission };
    if (hashInline) {
      // Not waiting for an S3 event that may never come: small files are hashed here at once (bytes that an
      // event's hasher is reading right now are left to it). Anything beyond the budget is hashed out of the
      // request path, by the S3-event hasher or the pending-verification job.
      let budget = this.deps.inlineHashMaxBytes ?? SINGLE_PUT_MAX_BYTES;
      for (const file of submission.files.filter((f) => !f.sha256 && !this.hashing.has(f.key))) {
        if (file.size > budget) continue;
        budget -= file.size;
        await this.hashAndRecord(noticeId, submissionId, file.index);
      }
      submission = (await this.deps.submissions.getSubmission(noticeId, submissionId)) ?? submission;
      if (submission.status !== 'finalizing' || !submission.finalize) return this.commitIfReady(noticeId, submissionId);
    }
    if (submission.files.some((f) => !f.sha256)) return { status: 'verifying', submission };

    const { manifest } = submission.finalize;
    const issues: FieldIssue[] = [];
    for (const file of submission.files) {
      const listed = manifest.files.findIndex((m) => m.name === file.name);
      const stored = await this.deps.storage.head(file.key);
      // A versioned store names the exact version that was hashed; otherwise ETag and size stand in for it.
      const changed =
        !stored ||
        (file.hashedVersionId !== undefined
          ? stored.versionId !== file.hashedVersionId
          : stored.etag !== file.hashedEtag || stored.size !== file.hashedSize);
      if (changed) {
        issues.push({
          path: `files.${file.index}`,
          message: `"${file.name}" changed after it was hashed; upload it again`,
        });
      } else if (file.hashedSize !== file.size) {
        issues.push({
          path: `manifest.files.${listed}.size`,
          message: `"${file.name}" is ${file.hashedSize} bytes, not the ${file.size} declared`,
        });
      } else if (manifest.files[listed]?.sha256 !== file.sha256) {
        issues.push({
          path: `manifest.files.${listed}.sha256`,
          message: `"${file.name}" hashes to ${file.sha256} as stored, not ${manifest.files[listed]?.sha256} as signed`,
        });
      }
    }
    // The key was usable when finalize was accepted, but a revocation recorded since (for a compromised key, with an
    // effect time back before the filing) must still stop a response that is only now being committed.
    const key = await this.deps.keys.getKey(submission.platformId, submission.finalize.kid);
    const unusable = key
      ? (keyUnusableAt(key, manifest.signedAt) ?? keyUnusableAt(key, submission.finalize.requestedAt))
      : `key ${submission.finalize.kid} is no longer registered`;
    if (unusable) issues.push({ path: 'signature', message: `cannot be accepted: ${unusable}` });
    if (issues.length > 0) {
      await this.reopen(submission, issues);
      throw new ValidationFailed(issues, 'The stored files do not match the signed manifest; nothing was filed.');
    }
    return this.commit(submission);
  }

  /** Sends a finalizing submission back to `open` with the reasons (which also ends its pending verification). */
  private async reopen(submission: Submission, issues: FieldIssue[]): Promise<void> {
    const reopened: Submission = {
      ...submission,
      status: 'open',
      version: submission.version + 1,
      finalize: undefined,
      lastError: { at: this.deps.clock().toISOString(), issues },
    };
    await this.deps.submissions.replaceSubmission(reopened, submission.version);
  }

  private async commit(submission: Submission): Promise<FinalizeOutcome> {
    const { notices, receipts, clock } = this.deps;
    const finalize = submission.finalize!;
    const idempotencyKey = `finalize:${submission.submissionId}`;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const notice = await notices.load(submission.noticeId);
      if (!notice) throw new NotFound(`Notice ${submission.noticeId} was not found.`);
      const already = await this.filedReceipt(notice.id, submission.submissionId);
      if (already) return this.markFiled(submission, already);
      if (!AWAITING_RESPONSE.includes(notice.status)) {
        // The notice moved on while the files were verified (withdrawn, or another response filed): this one can
        // no longer be filed, and must not stay pending for ever.
        const message = `Notice ${notice.id} is ${notice.status}; it does not accept a response.`;
        await this.reopen(submission, [{ path: 'noticeId', message }]);
        throw new Conflict('illegal-transition', message);
      }
      await receipts.ready?.();
      const claims = receiptClaims({
        notice,
        submission,
        manifest: finalize.manifest,
        kid: finalize.kid,
        filedAt: finalize.requestedAt,
        issuedAt: clock().toISOString(),
        checkpoint: await this.deps.latestCheckpoint?.(),
      });
      const receipt: Receipt = {
        number: claims.receiptNumber,
        filedAt: claims.filedAt,
        onTime: claims.onTime,
        jws: await receipts.sign(claims),
      };
      const event = sealEvent(notice.id, notice.version + 1, notice.lastEventHash, {
        kind: 'submitted',
        at: clock().toISOString(),
        actor: submission.openedBy as Actor,
        idempotencyKey,
        data: {
          submissionId: submission.submissionId,
          filedAt: claims.filedAt,
          onTime: claims.onTime,
          receiptNumber: receipt.number,
          receipt: receipt.jws,
          manifestSha256: finalize.manifestSha256,
          signature: finalize.signature,
          kid: finalize.kid,
          files: claims.files,
        },
      });
      try {
        await notices.append(event, applyEvent(notice, event));
        this.deps.onFiled?.(submission, receipt);
        return this.markFiled(submission, receipt);
      } catch (error) {
        // Lost the race: to the other finalize (the loop finds its receipt) or to an unrelated change (retry).
        if (!(error instanceof Conflict)) throw error;
      }
    }
    throw new Conflict('concurrent-update', 'The notice kept changing while the response was being filed; try again.');
  }

  private async markFiled(submission: Submission, receipt: Receipt): Promise<FinalizeOutcome> {
    const current =
      (await this.deps.submissions.getSubmission(submission.noticeId, submission.submissionId)) ?? submission;
    const filed: Submission = { ...current, status: 'filed', version: current.version + 1, receipt };
    if (current.status !== 'filed') await this.deps.submissions.replaceSubmission(filed, current.version);
    return { status: 'filed', submission: filed, receipt };
  }

  /** The receipt recorded in the notice's history for this submission, if it was filed. */
  private async filedReceipt(noticeId: string, submissionId: string): Promise<Receipt | undefined> {
    return (await this.filedResponse(noticeId, submissionId))?.receipt;
  }

  /** What the `submitted` event (the commit point) recorded for this submission: its receipt and what was signed. */
  private async filedResponse(
    noticeId: string,
    submissionId: string,
  ): Promise<{ receipt: Receipt; manifestSha256: string; signature: string } | undefined> {
    const event = await this.deps.notices.findEventByIdempotencyKey(noticeId, `finalize:${submissionId}`);
    // Only a `submitted` event carries this key; anything else under it would be a corrupt record, not a filing.
    if (event?.kind !== 'submitted') return undefined;
    const { data } = event;
    return {
      receipt: { number: data.receiptNumber, filedAt: data.filedAt, onTime: data.onTime, jws: data.receipt },
      manifestSha256: data.manifestSha256,
      signature: data.signature,
    };
  }

  private assertAcceptsResponses(notice: Notice): void {
    if (!AWAITING_RESPONSE.includes(notice.status)) {
      throw new Conflict(
        'illegal-transition',
        `Notice ${notice.id} is ${notice.status}; it does not accept a response.`,
      );
    }
  }

  private visibleSubmission(caller: Caller, noticeId: string, submissionId: string) {
    return this.reader.visible(caller, noticeId, submissionId);
  }

  private async ownOpenSubmission(caller: Caller, noticeId: string, submissionId: string) {
    authorize(caller, 'submit');
    const found = await this.visibleSubmission(caller, noticeId, submissionId);
    if (found.submission.status !== 'open') {
      throw new Conflict(
        'illegal-transition',
        `Submission ${submissionId} is ${found.submission.status}; its files can no longer change.`,
      );
    }
    return found;
  }

  private async updateFile(
    noticeId: string,
    submissionId: string,
    index: number,
    change: (f: SubmissionFile) => SubmissionFile,
  ) {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const current = await this.deps.submissions.getSubmission(noticeId, submissionId);
      if (!current) throw new NotFound(`Submission ${submissionId} was not found.`);
      const next: Submission = {
        ...current,
        version: current.version + 1,
        files: current.files.map((f) => (f.index === index ? change(f) : f)),
      };
      if (await this.deps.submissions.replaceSubmission(next, current.version)) return next;
    }
    throw new Conflict('concurrent-update', `Submission ${submissionId} kept changing; try again.`);
  }

  /**
   * `opening`: the target given when the submission is opened (or re-opened by a retry), before the client has said
   * what any part hashes to; an upload that checks parts then gets no part URLs yet (ask `uploadUrls` with them).
   * `default`: `uploadUrls` without a list of parts.
   */
  private async uploadTarget(
    file: SubmissionFile,
    asked: PartRequest[] | 'opening' | 'default' = 'opening',
  ): Promise<UploadTarget> {
    const { storage, clock } = this.deps;
    const expiresAt = new Date(clock().getTime() + this.uploadSeconds * 1000).toISOString();
    if (file.upload.kind === 'single') {
      const { url, headers } = await storage.presignPut(
        file.key,
        { contentType: file.contentType, sha256: file.declaredSha256 },
        this.uploadSeconds,
      );
      return { index: file.index, method: 'PUT', url, headers, expiresAt };
    }
    const { upload } = file;
    const { uploadId, partSize, partCount, checksumAlgorithm } = upload;
    const wanted =
      asked === 'opening' && checksumAlgorithm === 'SHA256'
        ? []
        : partsToPresign(upload, asked === 'opening' || asked === 'default' ? undefined : asked);
    const parts = await Promise.all(
      wanted.map(async (part) => ({
        partNumber: part.partNumber,
        ...(await storage.presignUploadPart(file.key, uploadId, part, this.uploadSeconds)),
      })),
    );
    return {
      index: file.index,
      method: 'multipart',
      partSize,
      partCount,
      ...(checksumAlgorithm ? { checksumAlgorithm } : {}),
      parts,
      expiresAt,
    };
  }
}

/**
 * The receipt of what was filed, for a retry of exactly that filing. Any other manifest (or a tampered one, or a
 * garbage signature) is a conflict: a platform must not be told, with a 200 and a receipt, that it filed what it
 * did not.
 */
function sameFiling(
  filed: { receipt: Receipt; manifestSha256: string; signature: string },
  request: { manifest: Manifest; signature: string },
  submissionId: string,
): Receipt {
  if (filed.manifestSha256 !== manifestSha256(request.manifest) || filed.signature !== request.signature) {
    throw new Conflict(
      'already-filed',
      `Submission ${submissionId} was already filed with another manifest (receipt ${filed.receipt.number}, ` +
        `filed at ${filed.receipt.filedAt}); a filed response cannot be replaced.`,
    );
  }
  return filed.receipt;
}

function fileOf(submission: Submission, index: number): SubmissionFile {
  const file = submission.files.find((f) => f.index === index);
  if (!file) throw new NotFound(`Submission ${submission.submissionId} has no file ${index}.`);
  return file;
}

/**
 * The 409 for a file whose multipart upload storage no longer holds. On AWS the bucket's lifecycle rule aborts an
 * upload not completed within a few days of its start (README "Deploying"), deleting its parts; a submission has
 * no expiry of its own, so the platform learns it here and opens a new one.
 */
function uploadExpiredConflict(index: number): Conflict {
  return new Conflict(
    'upload-expired',
    `Storage no longer holds the upload of file ${index}: an upload not completed within a few days of its start is ` +
      'aborted and its parts deleted. Open a new submission and upload the file again.',
  );
}
