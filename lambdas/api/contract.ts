import { PlatformIdSchema } from '../domain/caller';
import { InclusionProofSchema } from '../domain/checkpoint';
import { DirectoryEventSchema } from '../domain/directory-chain';
import {
  CreateDraftRequestSchema,
  IsoInstantSchema,
  MoneySchema,
  NOTICE_STATUSES,
  NoticeIdSchema,
  NoticeSchema,
  NoticeStatusSchema,
} from '../domain/notice';
import { NoticeTypeIdSchema } from '../domain/notice-catalogue';
import { NoticeEventSchema } from '../domain/notice-event';
import { SigningKeySchema } from '../domain/signing-keys';
import { ReceiptSchema, Sha256HexSchema, SubmissionIdSchema, SubmissionSchema } from '../domain/submission';
import { multilineText, text } from '../domain/text';
import * as z from '../domain/zod';

/**
 * Request and response shapes of the HTTP API beyond the domain's own schemas. Handlers parse with these and the
 * OpenAPI document is generated from them, so the two cannot drift apart.
 */

export const NoticePathSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ noticeId: NoticeIdSchema }), {
    id: 'NoticePath',
  }))();

export const ExtensionPathSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      noticeId: NoticeIdSchema,
      extensionId: z.string().check(z.regex(/^ext_\d{1,4}$/, 'is not an extension id')),
    }),
    { id: 'ExtensionPath' },
  ))();

export const ExtensionRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      requestedDueAt: z.described(IsoInstantSchema, { description: 'The due time the platform asks for.' }),
      reason: multilineText({
        min: 10,
        max: 4000,
        tooShort: 'must explain why more time is needed (at least 10 characters)',
      }),
    }),
    { id: 'ExtensionRequest' },
  ))();

export const ExtensionGrantSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      dueAt: z.described(z.optional(IsoInstantSchema), {
        description: 'The new due time; defaults to the one requested.',
      }),
      reason: z.optional(multilineText({ min: 1, max: 4000 })),
      legalBasis: z.optional(text({ min: 1, max: 500 })),
    }),
    { id: 'ExtensionGrant' },
  ))();

export const FurtherInformationRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      dueAt: z.described(IsoInstantSchema, { description: 'When the further information is due.' }),
      reason: multilineText({ min: 10, max: 10_000, tooShort: 'must say what further information is needed' }),
    }),
    { id: 'FurtherInformationRequest' },
  ))();

export const OptionalReasonSchema = /* @__PURE__ */ (() =>
  z.described(z.strictObject({ reason: z.optional(multilineText({ min: 3, max: 4000 })) }), {
    id: 'OptionalReason',
  }))();

export const ReasonSchema = /* @__PURE__ */ (() =>
  z.described(z.strictObject({ reason: multilineText({ min: 3, max: 4000, tooShort: 'must give a reason' }) }), {
    id: 'Reason',
  }))();

export const PaymentRecordRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      paidAt: IsoInstantSchema,
      amount: MoneySchema,
      reference: text({ min: 1, max: 200 }),
    }),
    { id: 'PaymentRecordRequest' },
  ))();

/** `{"reason", "void": true}` voids a payment entry; `{"reason", paidAt?, amount?, reference?}` corrects it. */
export const PaymentCorrectionRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z
      .strictObject({
        reason: multilineText({ min: 3, max: 2000 }),
        void: z.optional(z.literal(true)),
        paidAt: z.optional(IsoInstantSchema),
        amount: z.optional(MoneySchema),
        reference: z.optional(text({ min: 1, max: 200 })),
      })
      .check(
        z.superRefine((c, ctx) => {
          const fields = (['paidAt', 'amount', 'reference'] as const).filter((f) => c[f] !== undefined);
          if (c.void && fields.length > 0) {
            for (const f of fields)
              ctx.addIssue({ code: 'custom', path: [f], message: 'a voided payment has nothing to correct' });
          } else if (!c.void && fields.length === 0) {
            ctx.addIssue({
              code: 'custom',
              path: ['void'],
              message: 'give the fields to correct (paidAt, amount, reference), or void: true',
            });
          }
        }),
      ),
    { id: 'PaymentCorrectionRequest' },
  ))();

export const UserPathSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ subject: z.string().check(z.regex(/^[A-Za-z0-9-]{1,128}$/, 'is not a user subject')) }), {
    id: 'UserPath',
  }))();

export const ListUsersQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({ platformId: z.optional(PlatformIdSchema) }))();

export const ApiClientPathSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      platformId: PlatformIdSchema,
      clientId: z.string().check(z.regex(/^pac_[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a client id')),
    }),
    { id: 'ApiClientPath' },
  ))();

/** RFC 6749 §4.4: the client-credentials grant, form-encoded; credentials in HTTP Basic or in the form. */
export const TokenRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      grant_type: z.literal('client_credentials', { error: 'must be "client_credentials"' }),
      client_id: z.optional(text({ max: 100, trim: false })),
      client_secret: z.optional(text({ max: 200, trim: false })),
      scope: z.optional(text({ max: 200, trim: false })),
    }),
    { id: 'TokenRequest' },
  ))();

export const TokenResponseSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().check(z.int()) }),
    { id: 'TokenResponse' },
  ))();

export const PlatformPathSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ platformId: PlatformIdSchema }), {
    id: 'PlatformPath',
  }))();

export const SigningKeyPathSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      platformId: PlatformIdSchema,
      kid: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'is not a key id (RFC 7638 thumbprint)')),
    }),
    { id: 'SigningKeyPath' },
  ))();

export const SigningKeyListSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ items: z.array(SigningKeySchema) }), {
    id: 'SigningKeyList',
  }))();

export const SubmissionPathSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ noticeId: NoticeIdSchema, submissionId: SubmissionIdSchema }), { id: 'SubmissionPath' }))();

export const CheckpointPathSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      // Digits only: `z.coerce` alone would read "1e3" as checkpoint 1000 and " 7" as 7.
      seq: z.pipe(
        z.string().check(z.regex(/^[1-9]\d{0,9}$/, 'must be a checkpoint number: 1, 2, 3 …')),
        z.transform(Number),
      ),
    }),
    { id: 'CheckpointPath' },
  ))();

/** A chain's inclusion proofs, one per checkpoint that covers a change to it, oldest first. */
export const InclusionProofListSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ proofs: z.array(InclusionProofSchema) }), { id: 'InclusionProofList' }))();

/** A notice's submissions, newest first. */
export const SubmissionListSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ items: z.array(SubmissionSchema) }), {
    id: 'SubmissionList',
  }))();

export const FilePathSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      noticeId: NoticeIdSchema,
      submissionId: SubmissionIdSchema,
      fileIndex: z.coerce.number().check(z.int(), z.gte(0), z.lte(99)),
    }),
    { id: 'FilePath' },
  ))();

/** Where and how to upload one file: a presigned PUT, or presigned parts of a multipart upload. */
export const UploadTargetSchema = /* @__PURE__ */ (() =>
  z.described(
    z.discriminatedUnion('method', [
      z.object({
        index: z.number().check(z.int()),
        method: z.literal('PUT'),
        url: z.string(),
        /** Send these headers with the PUT exactly as given: they are signed (the SHA-256 declared at open). */
        headers: z.record(z.string(), z.string()),
        expiresAt: IsoInstantSchema,
      }),
      z.object({
        index: z.number().check(z.int()),
        method: z.literal('multipart'),
        partSize: z.number().check(z.int()),
        partCount: z.number().check(z.int()),
        /**
         * `SHA256` on every upload opened since part checksums were bound: S3 stores a part only with the SHA-256 its
         * URL binds, so part URLs are issued only for parts asked for with their `sha256` (none at open).
         */
        checksumAlgorithm: z.optional(z.literal('SHA256')),
        parts: z.array(
          z.object({
            partNumber: z.number().check(z.int()),
            url: z.string(),
            /** Send these headers with the part's PUT exactly as given: they are signed (the part's SHA-256). */
            headers: z.record(z.string(), z.string()),
          }),
        ),
        expiresAt: IsoInstantSchema,
      }),
    ]),
    { id: 'UploadTarget' },
  ))();

export const OpenedSubmissionSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ submission: SubmissionSchema, uploads: z.array(UploadTargetSchema) }), {
    id: 'OpenedSubmission',
  }))();

const PartNumberSchema = /* @__PURE__ */ (() => z.number().check(z.int(), z.gte(1), z.lte(10_000)))();

/**
 * The parts to presign. For an upload with `checksumAlgorithm: SHA256` each is `{partNumber, sha256}` (the hex
 * SHA-256 of that part's bytes, which its URL then binds) and the list is required; a bare part number is accepted
 * only for uploads without checksums.
 */
export const UploadUrlsRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      parts: z.optional(
        z
          .array(z.union([PartNumberSchema, z.strictObject({ partNumber: PartNumberSchema, sha256: Sha256HexSchema })]))
          .check(z.maxLength(10_000)),
      ),
    }),
    { id: 'UploadUrlsRequest' },
  ))();

export const UploadedPartsSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      parts: z.array(
        z.object({
          partNumber: z.number().check(z.int()),
          etag: z.string(),
          size: z.number().check(z.int()),
          /** The SHA-256 (hex) S3 verified when it stored the part; absent for a part stored without a checksum. */
          sha256: z.optional(Sha256HexSchema),
        }),
      ),
    }),
    { id: 'UploadedParts' },
  ))();

export const CompleteFileRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      parts: z
        .array(
          z.strictObject({
            partNumber: PartNumberSchema,
            etag: text({ min: 1, max: 200, trim: false }),
            /**
             * The part's SHA-256 (hex), for an upload with checksums: S3 refuses the completion if it is not the
             * stored part's. When left out, the one S3 verified when it stored the part is sent.
             */
            sha256: z.optional(Sha256HexSchema),
          }),
        )
        .check(z.minLength(1), z.maxLength(10_000)),
    }),
    { id: 'CompleteFileRequest' },
  ))();

export const FinalizeResponseSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      status: z.enum(['filed', 'verifying']),
      submission: SubmissionSchema,
      receipt: z.optional(ReceiptSchema),
    }),
    { id: 'FinalizeResponse' },
  ))();

export const DownloadSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ url: z.string(), expiresAt: IsoInstantSchema }), {
    id: 'Download',
  }))();

export const JwksSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), {
    id: 'Jwks',
  }))();

/** `/.well-known/regulator-keys.json` (lambdas/domain/regulator-key-log.ts `regulatorKeySet`). */
export const RegulatorKeysSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      keys: z.array(
        z.catchall(
          z.object({
            kty: z.string(),
            kid: z.string(),
            alg: z.literal('ES256'),
            use: z.literal('sig'),
            validFrom: IsoInstantSchema,
            validUntil: z.optional(IsoInstantSchema),
          }),
          z.unknown(),
        ),
      ),
      log: z.array(DirectoryEventSchema),
    }),
    { id: 'RegulatorKeys' },
  ))();

/**
 * POST /notices/{noticeId}/acknowledge: optionally the platform's countersignature over the signed notice (compact
 * JWS, typ nrp-acknowledgement+jws, made with one of the platform's registered keys).
 */
export const AcknowledgeRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      signature: z.optional(
        z
          .string()
          .check(
            z.maxLength(20_000),
            z.regex(
              /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
              'is not a compact JWS ("<header>.<payload>.<signature>")',
            ),
          ),
      ),
    }),
    { id: 'AcknowledgeRequest' },
  ))();

export const ListNoticesQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    status: z.optional(NoticeStatusSchema),
    platformId: z.optional(PlatformIdSchema),
    type: z.described(z.optional(NoticeTypeIdSchema), { description: 'Only notices of this type.' }),
    dueBefore: z.described(z.optional(IsoInstantSchema), {
      description: 'Only notices due strictly before this instant.',
    }),
    dueAfter: z.described(z.optional(IsoInstantSchema), {
      description: 'Only notices due strictly after this instant (notices with no due time are left out).',
    }),
    open: z.described(z.optional(z.enum(['true', 'false'])), {
      description:
        '`true`: only notices the platform still owes a response or payment on by a due time (issued, acknowledged or further-information-requested, with a due time); with `dueBefore` now, the overdue ones.',
    }),
    extension: z.described(z.optional(z.enum(['requested'])), {
      description: '`requested`: only notices with an extension request awaiting a decision.',
    }),
    order: z.described(z._default(z.enum(['asc', 'desc']), 'asc'), {
      description:
        '`asc`: soonest due first (notices with no due time, then drafts, last); `desc`: the reverse, latest due first.',
    }),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
    cursor: z.described(z.optional(text({ max: 2048, trim: false })), {
      description: 'nextCursor from the previous page.',
    }),
  }))();

/** Revising a draft: the same fields as creating one, and the version of the draft they were made from. */
export const ReviseDraftRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strict(
      z.extend(CreateDraftRequestSchema, {
        expectedVersion: z.described(z.number().check(z.int(), z.gte(1), z.lte(1_000_000)), {
          description:
            "The draft's `version` as the caller last read it; a draft changed since is refused with 409 (stale-version).",
        }),
      }),
    ),
    { id: 'ReviseDraftRequest' },
  ))();

/** The regulators' dashboard numbers, counted at `countedAt`. */
export const NoticeCountsSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      countedAt: IsoInstantSchema,
      byStatus: z.object(
        Object.fromEntries(NOTICE_STATUSES.map((s) => [s, z.number().check(z.int())])) as Record<
          (typeof NOTICE_STATUSES)[number],
          z.ZodMiniNumber
        >,
      ),
      overdue: z.described(z.number().check(z.int()), {
        description: 'Issued, acknowledged or further-information-requested notices whose due time has passed.',
      }),
      dueInNext7Days: z.described(z.number().check(z.int()), {
        description: 'The same statuses, due from now to seven days from now.',
      }),
      extensionRequests: z.described(z.number().check(z.int()), {
        description: 'Extension requests awaiting a decision.',
      }),
    }),
    { id: 'NoticeCounts' },
  ))();

export const HistoryQuerySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 100),
    cursor: z.optional(text({ max: 2048, trim: false })),
  }))();

export const WithdrawRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({ reason: multilineText({ min: 3, max: 2000, tooShort: 'must say why the notice is withdrawn' }) }),
    { id: 'WithdrawRequest' },
  ))();

export const NoticePageSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ items: z.array(NoticeSchema), nextCursor: z.optional(z.string()) }), { id: 'NoticePage' }))();

export const HistoryPageSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ items: z.array(NoticeEventSchema), nextCursor: z.optional(z.string()) }), {
    id: 'HistoryPage',
  }))();

/** A due-time preview: what `issue` would record as `dueAt` and `dueExplanation` for a notice given at `givenAt`. */
export const DueTimePreviewSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      givenAt: z.described(IsoInstantSchema, { description: 'The moment of giving the preview assumed.' }),
      dueAt: z.described(z.optional(IsoInstantSchema), {
        description: 'Absent when nothing is due under the notice type.',
      }),
      dueExplanation: z.optional(z.array(z.string())),
    }),
    { id: 'DueTimePreview' },
  ))();

export const HealthSchema = /* @__PURE__ */ (() =>
  z.described(z.object({ status: z.literal('ok') }), { id: 'Health' }))();

export const ErrorSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      error: z.object({
        code: z.string(),
        message: z.string(),
        issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
        requestId: z.optional(z.string()),
      }),
    }),
    { id: 'Error' },
  ))();

export { IdempotencyKeySchema } from './idempotency-key';

export { IsoInstantSchema };
