import { createHash } from 'node:crypto';
import { decodeProtectedHeader, flattenedVerify, importJWK, type JWK } from 'jose';
import { answerIssues } from './answer-completeness';
import { ActorSchema, PlatformIdSchema } from './caller';
import { canonicalJson } from './canonical-json';
import { type FieldIssue, ValidationFailed } from './errors';
import { type DueBasis, IsoInstantSchema, type Notice, NoticeIdSchema } from './notice';
import { keyUnusableAt, SIGNING_ALGORITHMS, type SigningKey } from './signing-keys';
import { multilineText, text } from './text';
import * as z from './zod';

/**
 * A platform's response to a notice: files (none, for a response of answers only) uploaded straight to S3, then a manifest (each file's name, size and
 * SHA-256, an answer to every numbered question, who signed and when) signed with a registered key as a detached
 * JWS over its RFC 8785 canonical JSON. Everything here is pure: the checks that decide whether a response can be
 * accepted, and what its receipt says.
 */
export const MAX_FILE_BYTES = 5 * 1024 ** 3;
export const MAX_FILES = 100;
/** Files larger than this are uploaded in parts (S3's single PUT goes to 5 GiB, but parts resume and run in parallel). */
export const SINGLE_PUT_MAX_BYTES = 64 * 1024 ** 2;
/** Signing-time tolerance for clock skew between the platform's machine and the portal. */
export const SIGNED_AT_SKEW_MS = 5 * 60_000;

export const SubmissionIdSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^sub_[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a submission id')))();
export const Sha256HexSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256')))();

/** Control characters and invalid Unicode are refused by the text rule; what is left to refuse is a path. */
export const FileNameSchema = /* @__PURE__ */ (() =>
  text({ min: 1, max: 200, trim: false }).check(
    z.refine(isPlainFileName, 'must be a plain file name (no slashes, not "." or "..")'),
  ))();

function isPlainFileName(name: string): boolean {
  return !(name === '.' || name === '..' || name.includes('/') || name.includes('\\'));
}

const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const MEDIA_TYPE = new RegExp(
  `^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*"))*$`,
);

/**
 * A file's media type (RFC 9110 §8.3.1: `type/subtype`, optional parameters), in printable ASCII. It becomes the
 * Content-Type of the upload in storage, where any other character (`杓`, a control character) fails the storage
 * request itself, which surfaced as a 500 (found by the route fuzzer, tests/integration/fuzz-routes.test.ts).
 */
export const MediaTypeSchema = /* @__PURE__ */ (() =>
  z
    .string()
    .check(
      z.maxLength(200, 'must be at most 200 characters'),
      z.regex(MEDIA_TYPE, 'must be a media type such as application/pdf'),
    ))();

export const OpenSubmissionRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      files: z
        .array(
          z.strictObject({
            name: FileNameSchema,
            size: z
              .number()
              .check(
                z.int(),
                z.gte(1, 'an empty file cannot be filed'),
                z.lte(MAX_FILE_BYTES, `must be at most ${MAX_FILE_BYTES} bytes (5 GiB)`),
              ),
            /**
             * The file's SHA-256 as the platform computed it before uploading. A single PUT is presigned with it
             * bound, so storage refuses any other bytes under that URL (before or after filing), and the signed
             * manifest must name the same hash.
             */
            sha256: Sha256HexSchema,
            contentType: z.optional(MediaTypeSchema),
          }),
        )
        .check(
          z.maxLength(MAX_FILES),
          z.refine((files) => new Set(files.map((f) => f.name)).size === files.length, 'file names must be unique'),
        ),
    }),
    { id: 'OpenSubmissionRequest' },
  ))();
export type OpenSubmissionRequest = z.infer<typeof OpenSubmissionRequestSchema>;

export const SubmissionFileSchema = /* @__PURE__ */ (() =>
  z.object({
    index: z.number().check(z.int(), z.gte(0)),
    name: z.string(),
    size: z.number().check(z.int()),
    contentType: z.optional(z.string()),
    key: z.string(),
    /** The SHA-256 the platform declared at open; its single PUT URL only accepts bytes with this hash. */
    declaredSha256: Sha256HexSchema,
    upload: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('single') }),
      z.object({
        kind: z.literal('multipart'),
        uploadId: z.string(),
        partSize: z.number().check(z.int()),
        partCount: z.number().check(z.int()),
        /**
         * `SHA256`: the upload was created with S3's SHA-256 checksums, so each part URL binds that part's SHA-256 and
         * the completion lists them (an Object Lock bucket refuses parts without a checksum). Absent on uploads opened
         * before checksums were bound, whose part URLs carry none.
         */
        checksumAlgorithm: z.optional(z.literal('SHA256')),
      }),
    ]),
    completedAt: z.optional(IsoInstantSchema),
    /** Computed by the portal from the stored bytes; never taken from the client. */
    sha256: z.optional(Sha256HexSchema),
    hashedEtag: z.optional(z.string()),
    hashedSize: z.optional(z.number().check(z.int())),
    /**
     * The storage version that was hashed (a versioned bucket; none locally). Downloads of a filed response name it,
     * so they serve exactly the bytes the receipt states even if a newer version is ever written under the key.
     */
    hashedVersionId: z.optional(z.string()),
    hashedAt: z.optional(IsoInstantSchema),
  }))();
export type SubmissionFile = z.infer<typeof SubmissionFileSchema>;

export const AnswerSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    question: text({ min: 1, max: 20, trim: false }),
    answer: z.optional(multilineText({ min: 1, max: 100_000, trim: false })),
    cannotAnswer: z.optional(z.strictObject({ reason: multilineText({ min: 1, max: 10_000, trim: false }) })),
  }))();

/** The signed document. Its canonical JSON (RFC 8785) is the JWS payload, so no field can change unnoticed. */
export const ManifestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      noticeId: NoticeIdSchema,
      submissionId: SubmissionIdSchema,
      files: z
        .array(
          z.strictObject({
            name: text({ max: 200, trim: false }),
            size: z.number().check(z.int()),
            sha256: Sha256HexSchema,
          }),
        )
        .check(z.maxLength(MAX_FILES)),
      answers: z.array(AnswerSchema).check(z.maxLength(1000)),
      signer: z.strictObject({
        name: text({ min: 1, max: 200, trim: false }),
        title: z.optional(text({ max: 200, trim: false })),
        email: z.optional(text({ max: 320, trim: false })),
      }),
      signedAt: IsoInstantSchema,
    }),
    { id: 'Manifest' },
  ))();
export type Manifest = z.infer<typeof ManifestSchema>;

export const FinalizeRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      manifest: ManifestSchema,
      /** Detached compact JWS (`<header>..<signature>`) over the manifest's canonical JSON, base64url-encoded. */
      signature: text({ max: 4096, trim: false }),
    }),
    { id: 'FinalizeRequest' },
  ))();

export const ReceiptSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      number: z.string(),
      filedAt: IsoInstantSchema,
      onTime: z.boolean(),
      /** Compact JWS signed with the regulator's receipt key; verify with GET /.well-known/receipt-keys.json. */
      jws: z.string(),
    }),
    { id: 'Receipt' },
  ))();
export type Receipt = z.infer<typeof ReceiptSchema>;

export const SubmissionSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      submissionId: SubmissionIdSchema,
      noticeId: NoticeIdSchema,
      platformId: PlatformIdSchema,
      status: z.enum(['open', 'finalizing', 'filed']),
      version: z.number().check(z.int()),
      openedAt: IsoInstantSchema,
      openedBy: ActorSchema,
      files: z.array(SubmissionFileSchema),
      finalize: z.optional(
        z.object({
          requestedAt: IsoInstantSchema,
          manifest: ManifestSchema,
          signature: z.string(),
          manifestSha256: Sha256HexSchema,
          kid: z.string(),
        }),
      ),
      lastError: z.optional(
        z.object({ at: IsoInstantSchema, issues: z.array(z.object({ path: z.string(), message: z.string() })) }),
      ),
      receipt: z.optional(ReceiptSchema),
    }),
    { id: 'Submission' },
  ))();
export type Submission = z.infer<typeof SubmissionSchema>;

export function manifestSha256(manifest: unknown): string {
  return createHash('sha256').update(canonicalJson(manifest)).digest('hex');
}

/** Checks that the manifest belongs to this notice and submission, and lists exactly the files uploaded. */
export function manifestIssues(manifest: Manifest, notice: Notice, submission: Submission): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (manifest.noticeId !== notice.id) {
    issues.push({
      path: 'manifest.noticeId',
      message: `the manifest was made for notice ${manifest.noticeId}, not ${notice.id}`,
    });
  }
  if (manifest.submissionId !== submission.submissionId) {
    issues.push({
      path: 'manifest.submissionId',
      message: `the manifest was made for submission ${manifest.submissionId}, not ${submission.submissionId}`,
    });
  }
  const declared = new Map(submission.files.map((f) => [f.name, f]));
  const listed = new Set<string>();
  manifest.files.forEach((file, i) => {
    listed.add(file.name);
    const upload = declared.get(file.name);
    if (!upload)
      issues.push({ path: `manifest.files.${i}.name`, message: `"${file.name}" was not uploaded in this submission` });
    else if (upload.size !== file.size) {
      issues.push({
        path: `manifest.files.${i}.size`,
        message: `"${file.name}" was declared as ${upload.size} bytes, not ${file.size}`,
      });
    } else if (upload.declaredSha256 !== file.sha256) {
      issues.push({
        path: `manifest.files.${i}.sha256`,
        message: `"${file.name}" was declared with SHA-256 ${upload.declaredSha256} when the submission was opened, not ${file.sha256}`,
      });
    }
  });
  for (const name of declared.keys()) {
    if (!listed.has(name))
      issues.push({ path: 'manifest.files', message: `"${name}" was uploaded but is missing from the manifest` });
  }
  return [...issues, ...completenessIssues(manifest, notice)];
}

/** The completeness gate (answer-completeness.ts, shared with the web app's live check), on the manifest's answers. */
export function completenessIssues(manifest: Manifest, notice: Notice): FieldIssue[] {
  return answerIssues(manifest.answers, notice.requirements.questions ?? []).map((issue) => ({
    ...issue,
    path: `manifest.${issue.path}`,
  }));
}

/**
 * Verifies the detached JWS over the manifest's canonical JSON: an accepted algorithm (never `none` or HMAC), a
 * key of this platform valid and unrevoked at the signing time — and, for a filing, when the portal received it —
 * and a signature that matches. Returns the key id.
 */
export async function verifyManifestSignature(input: {
  manifest: Manifest;
  signature: string;
  findKey: (kid: string) => Promise<SigningKey | undefined>;
  /**
   * When the portal received the filing. `signedAt` is the signer's own claim and may be minutes before that, so
   * a key revoked (or expired) in between would otherwise still file by back-dating; the key must be usable at
   * both instants. Omitted only where nothing is being filed (a client checking its own signature).
   */
  receivedAt?: string;
}): Promise<{ kid: string }> {
  const fail = (message: string): never => {
    throw new ValidationFailed([{ path: 'signature', message }]);
  };
  const [protectedHeader, payload, signature, ...extra] = input.signature.split('.');
  if (extra.length > 0 || payload !== '' || !protectedHeader || !signature) {
    return fail('is not a detached compact JWS (expected "<header>..<signature>")');
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(input.signature) as Record<string, unknown>;
  } catch {
    return fail('has a header that is not base64url-encoded JSON');
  }
  const alg = header.alg;
  if (typeof alg !== 'string' || !(SIGNING_ALGORITHMS as readonly string[]).includes(alg)) {
    fail(`uses algorithm ${JSON.stringify(alg)}; only ${SIGNING_ALGORITHMS.join(' and ')} are accepted`);
  }
  if (header.crit !== undefined || header.b64 !== undefined) fail('uses JWS extensions this portal does not accept');
  if (typeof header.kid !== 'string') fail('has no "kid" naming the registered key it was made with');
  const kid = header.kid as string;
  const key = await input.findKey(kid);
  if (!key) return fail(`was made with key ${kid}, which is not registered for this platform`);
  const unusable = keyUnusableAt(key, input.manifest.signedAt);
  if (unusable) fail(`cannot be accepted: ${unusable}`);
  const unusableOnReceipt = input.receivedAt === undefined ? undefined : keyUnusableAt(key, input.receivedAt);
  if (unusableOnReceipt) {
    fail(`cannot be accepted: when the filing was received (${input.receivedAt}), ${unusableOnReceipt}`);
  }
  if (key.alg !== alg) fail(`says ${alg} but key ${kid} is an ${key.alg} key`);
  try {
    await flattenedVerify(
      {
        protected: protectedHeader,
        payload: Buffer.from(canonicalJson(input.manifest), 'utf8').toString('base64url'),
        signature,
      },
      await importJWK(key.jwk as JWK, key.alg),
      { algorithms: [...SIGNING_ALGORITHMS] },
    );
  } catch {
    fail('does not match the manifest: the manifest was changed after signing, or another key signed it');
  }
  return { kid };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `NRP-2026-7K3F-9Q2M-XA`: derived from the submission, so a retried finalize can only ever name one number. */
export function receiptNumber(noticeId: string, submissionId: string, filedAt: string): string {
  const digest = createHash('sha256').update(`${noticeId}|${submissionId}`).digest();
  let chars = '';
  for (const byte of digest.subarray(0, 10)) chars += CROCKFORD[byte % 32];
  return `NRP-${filedAt.slice(0, 4)}-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** What a receipt states; signed by the regulator's key, so it verifies offline with the public JWKS. */
export interface ReceiptClaims {
  typ: 'notice-response-receipt';
  receiptNumber: string;
  noticeId: string;
  submissionId: string;
  platformId: string;
  legalBasis: string;
  /** The instant the portal received the finalize request that was accepted (see README, "Filed-at"). */
  filedAt: string;
  /** The due time in force when the response was filed, which `onTime` was judged against. */
  dueAt?: string;
  /**
   * What set `dueAt`: the notice type's rule, the officer's explicit due time, a granted extension, or a
   * further-information request; each names the event that set it. Nothing earlier (a superseded extension) is
   * stated, because it did not decide whether this response was on time.
   */
  dueBasis?: ReceiptDueBasis;
  onTime: boolean;
  files: { name: string; size: number; sha256: string }[];
  manifestSha256: string;
  signedBy: { kid: string; name: string; signedAt: string };
  issuedAt: string;
  /**
   * The latest complete signed checkpoint when the receipt was issued (docs/checkpoints.md): the record up to it is
   * committed, so a later rewrite of it shows against any checkpoint from this one on. Absent before the first.
   */
  checkpoint?: { seq: number; hash: string };
}

/** The receipt's statement of what set the due time: ids and times only. */
export type ReceiptDueBasis =
  | { kind: 'rule' | 'explicit'; setAt: string; eventSeq: number }
  | { kind: 'extension'; setAt: string; eventSeq: number; extensionId: string; legalBasis?: string }
  | { kind: 'further-information'; setAt: string; eventSeq: number };

function receiptDueBasis(basis: DueBasis): ReceiptDueBasis {
  const { kind, setAt, eventSeq } = basis;
  if (basis.kind === 'extension') {
    return { kind: 'extension', setAt, eventSeq, extensionId: basis.extensionId, legalBasis: basis.legalBasis };
  }
  return { kind, setAt, eventSeq } as ReceiptDueBasis;
}

export function receiptClaims(input: {
  notice: Notice;
  submission: Submission;
  manifest: Manifest;
  kid: string;
  filedAt: string;
  issuedAt: string;
  checkpoint?: { seq: number; hash: string };
}): ReceiptClaims {
  const { notice, submission, manifest, kid, filedAt, issuedAt, checkpoint } = input;
  return {
    typ: 'notice-response-receipt',
    receiptNumber: receiptNumber(notice.id, submission.submissionId, filedAt),
    noticeId: notice.id,
    submissionId: submission.submissionId,
    platformId: notice.platformId,
    legalBasis: notice.legalBasis,
    filedAt,
    dueAt: notice.dueAt,
    dueBasis: notice.dueAt && notice.dueBasis ? receiptDueBasis(notice.dueBasis) : undefined,
    onTime: notice.dueAt === undefined || Date.parse(filedAt) <= Date.parse(notice.dueAt),
    files: manifest.files.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
    manifestSha256: manifestSha256(manifest),
    signedBy: { kid, name: manifest.signer.name, signedAt: manifest.signedAt },
    issuedAt,
    ...(checkpoint && { checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash } }),
  };
}

/** The regulator's receipt key: KMS on AWS, a key file locally. */
export interface ReceiptSigner {
  /**
   * Resolves once the key is the one the regulator's key log names (lambdas/domain/regulator-key-service.ts);
   * the receipt's issuedAt is read after it, so it lies in the key's published window.
   */
  ready?(): Promise<void>;
  sign(claims: ReceiptClaims): Promise<string>;
  publicJwks(): Promise<{ keys: JWK[] }>;
}
