import { z } from 'zod';
import { ActorSchema, PlatformIdSchema } from './caller';
import type { FieldIssue } from './errors';
import { type Catalogue, findCatalogueEntry, NoticeTypeIdSchema, PeriodSchema } from './notice-catalogue';
import { isValidTimeZone } from './zoned-time';

/**
 * A notice and the fields the law requires it to carry (shared/domain.md, "What a notice must contain"). These zod
 * schemas are the single source of truth: the TypeScript types, request validation and the OpenAPI document are
 * all derived from them.
 */

/** `ntc_` + 26 Crockford base-32 characters (a ULID, or a hash of an idempotency key). */
export const NoticeIdSchema = z.string().regex(/^ntc_[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a notice id');

export const IsoInstantSchema = z.iso.datetime({ offset: true });

export const TimeZoneSchema = z
  .string()
  .refine(isValidTimeZone, 'must be an IANA time zone such as "Australia/Sydney"')
  .meta({ examples: ['Australia/Sydney'] });

export const QuestionSchema = z
  .object({
    /** As numbered in the notice's schedule: "1", "12", "3(a)", "4.2". */
    number: z.string().regex(/^\d{1,3}(\.\d{1,3})*(\([a-z]{1,4}\))?$/, 'must look like "1", "3(a)" or "4.2"'),
    text: z.string().trim().min(1, 'must not be empty').max(4000),
  })
  .strict();
export type Question = z.infer<typeof QuestionSchema>;

export const RequirementsSchema = z
  .object({
    questions: z.array(QuestionSchema).max(500).optional(),
    requiredAction: z.string().trim().min(1).max(10_000).optional(),
  })
  .strict();
export type Requirements = z.infer<typeof RequirementsSchema>;

/** Amounts are decimal strings, never floats: "610500.00". */
export const MoneySchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "AUD"'),
    amount: z.string().regex(/^\d{1,12}(\.\d{2})?$/, 'must be a decimal amount such as "16500.00"'),
  })
  .strict();

/**
 * What an infringement notice must state beyond any notice (Regulatory Powers Act s 104): the provision, the
 * maximum penalty, the amount payable and the place for payment. Its unique number is the notice id; the day it
 * is given is `givenAt`; the time and day for payment are its `dueAt`.
 */
export const InfringementDetailsSchema = z
  .object({
    relatedNoticeId: NoticeIdSchema.optional(),
    provisionContravened: z.string().trim().min(1).max(500),
    maximumPenalty: MoneySchema,
    amountPayable: MoneySchema,
    paymentPlace: z.string().trim().min(1).max(2000).meta({
      description: 'Where and how payment is made: the place X Corp v eSafety turned on.',
    }),
  })
  .strict();
export type InfringementDetails = z.infer<typeof InfringementDetailsSchema>;

export const CreateDraftRequestSchema = z
  .object({
    type: NoticeTypeIdSchema.meta({ examples: ['transparency-notice'] }),
    platformId: PlatformIdSchema,
    title: z.string().trim().min(3).max(200),
    legalBasis: z.string().trim().min(1).max(500).optional(),
    requirements: RequirementsSchema.optional(),
    mannerAndForm: z.string().trim().min(1).max(4000),
    consequences: z.string().trim().min(1).max(4000).optional(),
    timeZone: TimeZoneSchema.optional(),
    responsePeriod: PeriodSchema.optional(),
    dueAt: IsoInstantSchema.optional(),
    infringement: InfringementDetailsSchema.optional(),
  })
  .strict()
  .meta({ id: 'CreateDraftRequest' });
export type CreateDraftRequest = z.infer<typeof CreateDraftRequestSchema>;

export const NOTICE_STATUSES = [
  'draft',
  'issued',
  'acknowledged',
  'submitted',
  'under-review',
  'further-information-requested',
  'accepted',
  'closed',
  'withdrawn',
] as const;
export const NoticeStatusSchema = z.enum(NOTICE_STATUSES);
export type NoticeStatus = z.infer<typeof NoticeStatusSchema>;

/** The draft's content once defaults from the catalogue are applied; fixed from creation on. */
export const NoticeContentSchema = z.object({
  type: NoticeTypeIdSchema,
  platformId: PlatformIdSchema,
  title: z.string(),
  legalBasis: z.string(),
  requirements: RequirementsSchema,
  mannerAndForm: z.string(),
  consequences: z.string(),
  timeZone: z.string(),
  responsePeriod: PeriodSchema.optional(),
  requestedDueAt: IsoInstantSchema.optional(),
  infringement: InfringementDetailsSchema.optional(),
});
export type NoticeContent = z.infer<typeof NoticeContentSchema>;

export const NoticeSchema = NoticeContentSchema.extend({
  id: NoticeIdSchema,
  status: NoticeStatusSchema,
  /** Number of events applied; the next change must be event `version + 1`. */
  version: z.number().int().min(1),
  createdAt: IsoInstantSchema,
  createdBy: ActorSchema,
  updatedAt: IsoInstantSchema,
  /** The moment the notice was given. Recorded once, at issue, and never changed. */
  givenAt: IsoInstantSchema.optional(),
  issuedBy: ActorSchema.optional(),
  dueAt: IsoInstantSchema.optional(),
  dueExplanation: z.array(z.string()).optional(),
  acknowledgedAt: IsoInstantSchema.optional(),
  acknowledgedBy: ActorSchema.optional(),
  withdrawnAt: IsoInstantSchema.optional(),
  withdrawnBy: ActorSchema.optional(),
  withdrawalReason: z.string().optional(),
  /** Hash of the latest event: pins this state to a point in the notice's hash-chained history. */
  lastEventHash: z.string().regex(/^[0-9a-f]{64}$/),
}).meta({ id: 'Notice' });
export type Notice = z.infer<typeof NoticeSchema>;

export interface DraftDefaults {
  timeZone: string;
}

/**
 * Checks a draft against the catalogue (which is configuration, so zod alone cannot) and fills in the type's
 * defaults. Returns the content, or the list of field problems.
 */
export function prepareDraft(
  input: CreateDraftRequest,
  catalogue: Catalogue,
  defaults: DraftDefaults,
): { content: NoticeContent } | { issues: FieldIssue[] } {
  const entry = findCatalogueEntry(catalogue, input.type);
  if (!entry) {
    const known = catalogue.map((e) => e.type).join(', ');
    return { issues: [{ path: 'type', message: `unknown notice type "${input.type}"; known types: ${known}` }] };
  }
  const issues: FieldIssue[] = [];
  const requirements = input.requirements ?? {};
  const questions = requirements.questions ?? [];

  if (entry.demands === 'answers' && questions.length === 0) {
    issues.push({ path: 'requirements.questions', message: `a ${entry.label} must list at least one question` });
  }
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.number)) {
      issues.push({ path: `requirements.questions.${i}.number`, message: `question ${q.number} is numbered twice` });
    }
    seen.add(q.number);
  });
  if (entry.demands !== 'answers' && questions.length > 0) {
    issues.push({ path: 'requirements.questions', message: `a ${entry.label} does not ask questions` });
  }
  if (entry.demands === 'action' && !requirements.requiredAction) {
    issues.push({ path: 'requirements.requiredAction', message: `a ${entry.label} must state the required action` });
  }
  if (entry.demands === 'payment' && !input.infringement) {
    issues.push({
      path: 'infringement',
      message:
        'an infringement notice must state the provision contravened, maximum penalty, amount payable and place for payment',
    });
  }
  if (entry.demands !== 'payment' && input.infringement) {
    issues.push({ path: 'infringement', message: `only an infringement notice carries payment details` });
  }
  if (input.responsePeriod && input.dueAt) {
    issues.push({ path: 'dueAt', message: 'give either responsePeriod or dueAt, not both' });
  }
  if (entry.clock === null && (input.responsePeriod || input.dueAt)) {
    issues.push({ path: input.dueAt ? 'dueAt' : 'responsePeriod', message: `nothing is due under a ${entry.label}` });
  }
  if (issues.length > 0) return { issues };

  return {
    content: {
      type: entry.type,
      platformId: input.platformId,
      title: input.title,
      legalBasis: input.legalBasis ?? entry.legalBasis,
      requirements,
      mannerAndForm: input.mannerAndForm,
      consequences: input.consequences ?? entry.consequences,
      timeZone: input.timeZone ?? defaults.timeZone,
      responsePeriod: input.dueAt ? undefined : (input.responsePeriod ?? entry.clock ?? undefined),
      requestedDueAt: input.dueAt ? new Date(input.dueAt).toISOString() : undefined,
      infringement: input.infringement,
    },
  };
}
