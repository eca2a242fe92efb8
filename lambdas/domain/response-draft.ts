import { ActorSchema } from './caller';
import { IsoInstantSchema, NoticeIdSchema } from './notice';
import { SubmissionIdSchema } from './submission';
import { multilineText, text } from './text';
import * as z from './zod';

/**
 * A platform's response as it is being prepared, before anyone signs it: the answers so far, who is to sign, the
 * submission its files are uploaded into, and whether the preparer has marked it ready for signing. One per notice,
 * shared by every user of the platform, so one person can prepare a response and another sign and file it.
 *
 * It is working text, not evidence: it is never part of the notice's hash-chained record (see
 * response-draft-service.ts), and nothing in it binds the platform until a manifest built from it is signed and
 * filed. So partial text is allowed (a blank answer, both "answer" and "cannot answer" while the user switches);
 * the completeness gate (answer-completeness.ts) is what finalize applies, and the web app shows it live.
 */

/** The same text limits as a manifest's answers (`AnswerSchema`), without their minimums: a draft may be blank. */
export const DraftAnswerSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      question: text({ min: 1, max: 20, trim: false }),
      answer: z.optional(multilineText({ max: 100_000, trim: false })),
      cannotAnswer: z.optional(z.strictObject({ reason: multilineText({ max: 10_000, trim: false }) })),
    }),
    { id: 'DraftAnswer' },
  ))();
export type DraftAnswer = z.infer<typeof DraftAnswerSchema>;

/** Who is to sign: the manifest's `signer`, with its limits; the name may still be blank in a draft. */
export const DraftSignerSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      name: text({ max: 200, trim: false }),
      title: z.optional(text({ max: 200, trim: false })),
      email: z.optional(text({ max: 320, trim: false })),
    }),
    { id: 'DraftSigner' },
  ))();
export type DraftSigner = z.infer<typeof DraftSignerSchema>;

export const MAX_DRAFT_ANSWERS = 1000;

export const SaveResponseDraftRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      expectedVersion: z.described(z.number().check(z.int(), z.gte(0), z.lte(1_000_000)), {
        description:
          "The draft's `version` as the caller last read it (0 when nothing was saved yet); a draft saved since is refused with 409 (stale-version).",
      }),
      answers: z.array(DraftAnswerSchema).check(z.maxLength(MAX_DRAFT_ANSWERS)),
      signer: z.optional(DraftSignerSchema),
      submissionId: z.described(z.optional(SubmissionIdSchema), {
        description: 'The submission the files are uploaded into: one of this notice that has not been filed.',
      }),
      readyForSigning: z.described(z.optional(z.boolean()), {
        description:
          '`true`: the preparer marks the draft ready for someone to sign (recorded with who and when); absent or `false` clears the mark.',
      }),
    }),
    { id: 'SaveResponseDraftRequest' },
  ))();
export type SaveResponseDraftRequest = z.infer<typeof SaveResponseDraftRequestSchema>;

export const ResponseDraftSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      noticeId: NoticeIdSchema,
      /** 0 until the first save; each save adds one. */
      version: z.number().check(z.int()),
      answers: z.array(DraftAnswerSchema),
      signer: z.optional(DraftSignerSchema),
      submissionId: z.optional(SubmissionIdSchema),
      savedAt: z.optional(IsoInstantSchema),
      savedBy: z.optional(ActorSchema),
      readyForSigning: z.optional(z.object({ at: IsoInstantSchema, by: ActorSchema })),
    }),
    { id: 'ResponseDraft' },
  ))();
export type ResponseDraft = z.infer<typeof ResponseDraftSchema>;

/** The draft of a notice nobody has saved one for yet. */
export function emptyResponseDraft(noticeId: string): ResponseDraft {
  return { noticeId, version: 0, answers: [] };
}
