import * as z from 'zod';
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

/**
 * Request and response shapes of the HTTP API beyond the domain's own schemas. Handlers parse with these and the
 * OpenAPI document is generated from them, so the two cannot drift apart.
 */

export const NoticePathSchema = /* @__PURE__ */ z.object({ noticeId: NoticeIdSchema }).meta({ id: 'NoticePath' });

export const ExtensionPathSchema = /* @__PURE__ */ z
  .object({ noticeId: NoticeIdSchema, extensionId: z.string().regex(/^ext_\d{1,4}$/, 'is not an extension id') })
  .meta({ id: 'ExtensionPath' });

export const ExtensionRequestSchema = /* @__PURE__ */ z
  .object({
    requestedDueAt: IsoInstantSchema.meta({ description: 'The due time the platform asks for.' }),
    reason: multilineText({
      min: 10,
      max: 4000,
      tooShort: 'must explain why more time is needed (at least 10 characters)',
    }),
  })
  .strict()
  .meta({ id: 'ExtensionRequest' });

export const ExtensionGrantSchema = /* @__PURE__ */ z
  .object({
    dueAt: IsoInstantSchema.optional().meta({ description: 'The new due time; defaults to the one requested.' }),
    reason: multilineText({ min: 1, max: 4000 }).optional(),
    legalBasis: text({ min: 1, max: 500 }).optional(),
  })
  .strict()
  .meta({ id: 'ExtensionGrant' });

export const FurtherInformationRequestSchema = /* @__PURE__ */ z
  .object({
    dueAt: IsoInstantSchema.meta({ description: 'When the further information is due.' }),
    reason: multilineText({ min: 10, max: 10_000, tooShort: 'must say what further information is needed' }),
  })
  .strict()
  .meta({ id: 'FurtherInformationRequest' });

export const OptionalReasonSchema = /* @__PURE__ */ z
  .object({ reason: multilineText({ min: 3, max: 4000 }).optional() })
  .strict()
  .meta({ id: 'OptionalReason' });

export const ReasonSchema = /* @__PURE__ */ z
  .object({ reason: multilineText({ min: 3, max: 4000, tooShort: 'must give a reason' }) })
  .strict()
  .meta({ id: 'Reason' });

export const PaymentRecordRequestSchema = /* @__PURE__ */ z
  .object({
    paidAt: IsoInstantSchema,
    amount: MoneySchema,
    reference: text({ min: 1, max: 200 }),
  })
  .strict()
  .meta({ id: 'PaymentRecordRequest' });

/** `{"reason", "void": true}` voids a payment entry; `{"reason", paidAt?, amount?, reference?}` corrects it. */
export const PaymentCorrectionRequestSchema = /* @__PURE__ */ z
  .object({
    reason: multilineText({ min: 3, max: 2000 }),
    void: z.literal(true).optional(),
    paidAt: IsoInstantSchema.optional(),
    amount: MoneySchema.optional(),
    reference: text({ min: 1, max: 200 }).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
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
  })
  .meta({ id: 'PaymentCorrectionRequest' });

export const UserPathSchema = /* @__PURE__ */ z
  .object({ subject: z.string().regex(/^[A-Za-z0-9-]{1,128}$/, 'is not a user subject') })
  .meta({ id: 'UserPath' });

export const ListUsersQuerySchema = /* @__PURE__ */ z.object({ platformId: PlatformIdSchema.optional() }).strict();

export const ApiClientPathSchema = /* @__PURE__ */ z
  .object({
    platformId: PlatformIdSchema,
    clientId: z.string().regex(/^pac_[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a client id'),
  })
  .meta({ id: 'ApiClientPath' });

/** RFC 6749 §4.4: the client-credentials grant, form-encoded; credentials in HTTP Basic or in the form. */
export const TokenRequestSchema = /* @__PURE__ */ z
  .object({
    grant_type: z.literal('client_credentials', { error: 'must be "client_credentials"' }),
    client_id: text({ max: 100, trim: false }).optional(),
    client_secret: text({ max: 200, trim: false }).optional(),
    scope: text({ max: 200, trim: false }).optional(),
  })
  .strict()
  .meta({ id: 'TokenRequest' });

export const TokenResponseSchema = /* @__PURE__ */ z
  .object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() })
  .meta({ id: 'TokenResponse' });

export const PlatformPathSchema = /* @__PURE__ */ z
  .object({ platformId: PlatformIdSchema })
  .meta({ id: 'PlatformPath' });

export const SigningKeyPathSchema = /* @__PURE__ */ z
  .object({
    platformId: PlatformIdSchema,
    kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a key id (RFC 7638 thumbprint)'),
  })
  .meta({ id: 'SigningKeyPath' });

export const SigningKeyListSchema = /* @__PURE__ */ z
  .object({ items: z.array(SigningKeySchema) })
  .meta({ id: 'SigningKeyList' });

export const SubmissionPathSchema = /* @__PURE__ */ z
  .object({ noticeId: NoticeIdSchema, submissionId: SubmissionIdSchema })
  .meta({ id: 'SubmissionPath' });

export const CheckpointPathSchema = /* @__PURE__ */ z
  .object({
    // Digits only: `z.coerce` alone would read "1e3" as checkpoint 1000 and " 7" as 7.
    seq: z
      .string()
      .regex(/^[1-9]\d{0,9}$/, 'must be a checkpoint number: 1, 2, 3 …')
      .transform(Number),
  })
  .meta({ id: 'CheckpointPath' });

/** A chain's inclusion proofs, one per checkpoint that covers a change to it, oldest first. */
export const InclusionProofListSchema = /* @__PURE__ */ z
  .object({ proofs: z.array(InclusionProofSchema) })
  .meta({ id: 'InclusionProofList' });

/** A notice's submissions, newest first. */
export const SubmissionListSchema = /* @__PURE__ */ z
  .object({ items: z.array(SubmissionSchema) })
  .meta({ id: 'SubmissionList' });

export const FilePathSchema = /* @__PURE__ */ z
  .object({
    noticeId: NoticeIdSchema,
    submissionId: SubmissionIdSchema,
    fileIndex: z.coerce.number().int().min(0).max(99),
  })
  .meta({ id: 'FilePath' });

/** Where and how to upload one file: a presigned PUT, or presigned parts of a multipart upload. */
export const UploadTargetSchema = /* @__PURE__ */ z
  .discriminatedUnion('method', [
    z.object({
      index: z.number().int(),
      method: z.literal('PUT'),
      url: z.string(),
      /** Send these headers with the PUT exactly as given: they are signed (the SHA-256 declared at open). */
      headers: z.record(z.string(), z.string()),
      expiresAt: IsoInstantSchema,
    }),
    z.object({
      index: z.number().int(),
      method: z.literal('multipart'),
      partSize: z.number().int(),
      partCount: z.number().int(),
      /**
       * `SHA256` on every upload opened since part checksums were bound: S3 stores a part only with the SHA-256 its
       * URL binds, so part URLs are issued only for parts asked for with their `sha256` (none at open).
       */
      checksumAlgorithm: z.literal('SHA256').optional(),
      parts: z.array(
        z.object({
          partNumber: z.number().int(),
          url: z.string(),
          /** Send these headers with the part's PUT exactly as given: they are signed (the part's SHA-256). */
          headers: z.record(z.string(), z.string()),
        }),
      ),
      expiresAt: IsoInstantSchema,
    }),
  ])
  .meta({ id: 'UploadTarget' });

export const OpenedSubmissionSchema = /* @__PURE__ */ z
  .object({ submission: SubmissionSchema, uploads: z.array(UploadTargetSchema) })
  .meta({ id: 'OpenedSubmission' });

const PartNumberSchema = /* @__PURE__ */ z.number().int().min(1).max(10_000);

/**
 * The parts to presign. For an upload with `checksumAlgorithm: SHA256` each is `{partNumber, sha256}` (the hex
 * SHA-256 of that part's bytes, which its URL then binds) and the list is required; a bare part number is accepted
 * only for uploads without checksums.
 */
export const UploadUrlsRequestSchema = /* @__PURE__ */ z
  .object({
    parts: z
      .array(z.union([PartNumberSchema, z.object({ partNumber: PartNumberSchema, sha256: Sha256HexSchema }).strict()]))
      .max(10_000)
      .optional(),
  })
  .strict()
  .meta({ id: 'UploadUrlsRequest' });

export const UploadedPartsSchema = /* @__PURE__ */ z
  .object({
    parts: z.array(
      z.object({
        partNumber: z.number().int(),
        etag: z.string(),
        size: z.number().int(),
        /** The SHA-256 (hex) S3 verified when it stored the part; absent for a part stored without a checksum. */
        sha256: Sha256HexSchema.optional(),
      }),
    ),
  })
  .meta({ id: 'UploadedParts' });

export const CompleteFileRequestSchema = /* @__PURE__ */ z
  .object({
    parts: z
      .array(
        z
          .object({
            partNumber: PartNumberSchema,
            etag: text({ min: 1, max: 200, trim: false }),
            /**
             * The part's SHA-256 (hex), for an upload with checksums: S3 refuses the completion if it is not the
             * stored part's. When left out, the one S3 verified when it stored the part is sent.
             */
            sha256: Sha256HexSchema.optional(),
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
  })
  .strict()
  .meta({ id: 'CompleteFileRequest' });

export const FinalizeResponseSchema = /* @__PURE__ */ z
  .object({
    status: z.enum(['filed', 'verifying']),
    submission: SubmissionSchema,
    receipt: ReceiptSchema.optional(),
  })
  .meta({ id: 'FinalizeResponse' });

export const DownloadSchema = /* @__PURE__ */ z
  .object({ url: z.string(), expiresAt: IsoInstantSchema })
  .meta({ id: 'Download' });

export const JwksSchema = /* @__PURE__ */ z
  .object({ keys: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: 'Jwks' });

/** `/.well-known/regulator-keys.json` (lambdas/domain/regulator-key-log.ts `regulatorKeySet`). */
export const RegulatorKeysSchema = /* @__PURE__ */ z
  .object({
    keys: z.array(
      z
        .object({
          kty: z.string(),
          kid: z.string(),
          alg: z.literal('ES256'),
          use: z.literal('sig'),
          validFrom: IsoInstantSchema,
          validUntil: IsoInstantSchema.optional(),
        })
        .catchall(z.unknown()),
    ),
    log: z.array(DirectoryEventSchema),
  })
  .meta({ id: 'RegulatorKeys' });

/**
 * POST /notices/{noticeId}/acknowledge: optionally the platform's countersignature over the signed notice (compact
 * JWS, typ nrp-acknowledgement+jws, made with one of the platform's registered keys).
 */
export const AcknowledgeRequestSchema = /* @__PURE__ */ z
  .object({
    signature: z
      .string()
      .max(20_000)
      .regex(
        /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
        'is not a compact JWS ("<header>.<payload>.<signature>")',
      )
      .optional(),
  })
  .strict()
  .meta({ id: 'AcknowledgeRequest' });

export const ListNoticesQuerySchema = /* @__PURE__ */ z
  .object({
    status: NoticeStatusSchema.optional(),
    platformId: PlatformIdSchema.optional(),
    type: NoticeTypeIdSchema.optional().meta({ description: 'Only notices of this type.' }),
    dueBefore: IsoInstantSchema.optional().meta({ description: 'Only notices due strictly before this instant.' }),
    dueAfter: IsoInstantSchema.optional().meta({
      description: 'Only notices due strictly after this instant (notices with no due time are left out).',
    }),
    open: z.enum(['true', 'false']).optional().meta({
      description:
        '`true`: only notices the platform still owes a response or payment on by a due time (issued, acknowledged or further-information-requested, with a due time); with `dueBefore` now, the overdue ones.',
    }),
    extension: z.enum(['requested']).optional().meta({
      description: '`requested`: only notices with an extension request awaiting a decision.',
    }),
    order: z.enum(['asc', 'desc']).default('asc').meta({
      description:
        '`asc`: soonest due first (notices with no due time, then drafts, last); `desc`: the reverse, latest due first.',
    }),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: text({ max: 2048, trim: false }).optional().meta({ description: 'nextCursor from the previous page.' }),
  })
  .strict();

/** Revising a draft: the same fields as creating one, and the version of the draft they were made from. */
export const ReviseDraftRequestSchema = /* @__PURE__ */ CreateDraftRequestSchema.extend({
  expectedVersion: z.number().int().min(1).max(1_000_000).meta({
    description:
      "The draft's `version` as the caller last read it; a draft changed since is refused with 409 (stale-version).",
  }),
})
  .strict()
  .meta({ id: 'ReviseDraftRequest' });

/** The regulators' dashboard numbers, counted at `countedAt`. */
export const NoticeCountsSchema = /* @__PURE__ */ z
  .object({
    countedAt: IsoInstantSchema,
    byStatus: z.object(
      Object.fromEntries(NOTICE_STATUSES.map((s) => [s, z.number().int()])) as Record<
        (typeof NOTICE_STATUSES)[number],
        z.ZodNumber
      >,
    ),
    overdue: z.number().int().meta({
      description: 'Issued, acknowledged or further-information-requested notices whose due time has passed.',
    }),
    dueInNext7Days: z.number().int().meta({ description: 'The same statuses, due from now to seven days from now.' }),
    extensionRequests: z.number().int().meta({ description: 'Extension requests awaiting a decision.' }),
  })
  .meta({ id: 'NoticeCounts' });

export const HistoryQuerySchema = /* @__PURE__ */ z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(100),
    cursor: text({ max: 2048, trim: false }).optional(),
  })
  .strict();

export const WithdrawRequestSchema = /* @__PURE__ */ z
  .object({ reason: multilineText({ min: 3, max: 2000, tooShort: 'must say why the notice is withdrawn' }) })
  .strict()
  .meta({ id: 'WithdrawRequest' });

export const NoticePageSchema = /* @__PURE__ */ z
  .object({ items: z.array(NoticeSchema), nextCursor: z.string().optional() })
  .meta({ id: 'NoticePage' });

export const HistoryPageSchema = /* @__PURE__ */ z
  .object({ items: z.array(NoticeEventSchema), nextCursor: z.string().optional() })
  .meta({ id: 'HistoryPage' });

/** A due-time preview: what `issue` would record as `dueAt` and `dueExplanation` for a notice given at `givenAt`. */
export const DueTimePreviewSchema = /* @__PURE__ */ z
  .object({
    givenAt: IsoInstantSchema.meta({ description: 'The moment of giving the preview assumed.' }),
    dueAt: IsoInstantSchema.optional().meta({ description: 'Absent when nothing is due under the notice type.' }),
    dueExplanation: z.array(z.string()).optional(),
  })
  .meta({ id: 'DueTimePreview' });

export const HealthSchema = /* @__PURE__ */ z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const ErrorSchema = /* @__PURE__ */ z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'Error' });

export { IdempotencyKeySchema } from './idempotency-key';

export { IsoInstantSchema };
