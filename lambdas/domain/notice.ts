import { ActorSchema, PlatformIdSchema } from './caller';
import { AIA_HOLIDAY_TYPES, DeadlinePeriodSchema, DeadlineRuleSchema, HOLIDAY_TYPES } from './deadline-engine';
import type { FieldIssue } from './errors';
import { type Catalogue, findCatalogueEntry, NoticeTypeIdSchema, ReminderPolicySchema } from './notice-catalogue';
import { multilineText, text } from './text';
import * as z from './zod';
import { isValidTimeZone } from './zoned-time';

/**
 * A notice and the fields the law requires it to carry (shared/domain.md, "What a notice must contain"). These zod
 * schemas are the single source of truth: the TypeScript types, request validation and the OpenAPI document are
 * all derived from them.
 */

/** `ntc_` + 26 Crockford base-32 characters (a ULID, or a hash of an idempotency key). */
export const NoticeIdSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^ntc_[0-9A-HJKMNP-TV-Z]{26}$/, 'is not a notice id')))();

/**
 * Every instant the portal accepts or records lies in [2000-01-01T00:00:00Z, 2100-01-01T00:00:00Z): wide enough for
 * any notice, deadline, payment or key validity window, and far from the edges where date arithmetic (a due time
 * plus ten years of extensions) would leave the four-digit years of ISO 8601 and RFC 3339. Year 0000 is refused.
 */
export const EARLIEST_INSTANT = '2000-01-01T00:00:00Z';
export const LATEST_INSTANT_EXCLUSIVE = '2100-01-01T00:00:00Z';
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);
const LATEST_MS = Date.parse(LATEST_INSTANT_EXCLUSIVE);

export const IsoInstantSchema = /* @__PURE__ */ (() =>
  z.iso.datetime({ offset: true }).check(
    z.refine((value) => {
      const ms = Date.parse(value);
      // Not a date at all is the format check's issue; one issue per field.
      return Number.isNaN(ms) || (ms >= EARLIEST_MS && ms < LATEST_MS);
    }, 'must be an instant from 2000-01-01T00:00:00Z up to (not including) 2100-01-01T00:00:00Z'),
  ))();

export const TimeZoneSchema = /* @__PURE__ */ (() =>
  z.described(
    text({ min: 1, max: 64, trim: false }).check(
      z.refine(isValidTimeZone, 'must be an IANA time zone such as "Australia/Sydney"'),
    ),
    { examples: ['Australia/Sydney'] },
  ))();

export const QuestionSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    /** As numbered in the notice's schedule: "1", "12", "3(a)", "4.2". */
    number: z.string().check(z.regex(/^\d{1,3}(\.\d{1,3})*(\([a-z]{1,4}\))?$/, 'must look like "1", "3(a)" or "4.2"')),
    text: multilineText({ min: 1, max: 4000, tooShort: 'must not be empty' }),
  }))();
export type Question = z.infer<typeof QuestionSchema>;

export const RequirementsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    questions: z.optional(z.array(QuestionSchema).check(z.maxLength(500))),
    requiredAction: z.optional(multilineText({ min: 1, max: 10_000 })),
  }))();
export type Requirements = z.infer<typeof RequirementsSchema>;

/** Amounts are decimal strings, never floats: "610500.00". */
export const MoneySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "AUD"')),
    amount: z.string().check(z.regex(/^\d{1,12}(\.\d{2})?$/, 'must be a decimal amount such as "16500.00"')),
  }))();

/**
 * What an infringement notice must state beyond any notice (Regulatory Powers Act s 104): the provision, the
 * maximum penalty, the amount payable and the place for payment. Its unique number is the notice id; the day it
 * is given is `givenAt`; the time and day for payment are its `dueAt`.
 */
/**
 * The contravention an infringement notice is given for, stated explicitly when it does not follow from an
 * overdue notice in this portal (e.g. one given on paper before the portal existed).
 */
export const ContraventionSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    description: multilineText({
      min: 20,
      max: 4000,
      tooShort: 'must state the contravention (at least 20 characters)',
    }),
    /** When the contravention began (for a continuing one, the first day; X Corp: 37 days). */
    occurredFrom: IsoInstantSchema,
    /** When a continuing contravention ended; absent for a single act. */
    occurredUntil: z.optional(IsoInstantSchema),
  }))();

export const InfringementDetailsSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    /** The overdue notice this infringement notice follows from (same platform, clock run out). */
    relatedNoticeId: z.optional(NoticeIdSchema),
    /** The contravention, stated explicitly; required when there is no `relatedNoticeId`. */
    contravention: z.optional(ContraventionSchema),
    provisionContravened: text({ min: 1, max: 500 }),
    maximumPenalty: MoneySchema,
    amountPayable: MoneySchema,
    paymentPlace: z.described(multilineText({ min: 1, max: 2000 }), {
      description: 'Where and how payment is made: the place X Corp v eSafety turned on.',
    }),
  }))();
export type InfringementDetails = z.infer<typeof InfringementDetailsSchema>;

/** Whose holidays count when a period is counted in business days or rolls past a holiday, and which kinds. */
export const JurisdictionSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    country: z.string().check(z.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "AU"')),
    state: z.optional(z.string().check(z.regex(/^[A-Z0-9]{1,3}$/, 'must be a state code such as "NSW"'))),
    holidayTypes: z.described(
      z.optional(
        z.array(z.enum(HOLIDAY_TYPES)).check(
          z.maxLength(HOLIDAY_TYPES.length),
          z.refine((types) => new Set(types).size === types.length, 'must not name a type twice'),
        ),
      ),
      {
        description: `Which kinds of holiday are not business days. Default ${JSON.stringify(AIA_HOLIDAY_TYPES)}: Acts Interpretation Act 1901 (Cth) s 36(2) names "a public holiday or bank holiday in the place".`,
      },
    ),
  }))();
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

export const CreateDraftRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strictObject({
      type: z.described(NoticeTypeIdSchema, { examples: ['transparency-notice'] }),
      platformId: PlatformIdSchema,
      title: text({ min: 3, max: 200 }),
      legalBasis: z.optional(text({ min: 1, max: 500 })),
      requirements: z.optional(RequirementsSchema),
      mannerAndForm: multilineText({ min: 1, max: 4000 }),
      consequences: z.optional(multilineText({ min: 1, max: 4000 })),
      timeZone: z.optional(TimeZoneSchema),
      /** Replaces the type's period; the type's cut-off and roll-forward rules still apply. */
      responsePeriod: z.optional(DeadlinePeriodSchema),
      dueAt: z.optional(IsoInstantSchema),
      jurisdiction: z.optional(JurisdictionSchema),
      /** E-mail addresses the notice is served on; reminders go to them. */
      contacts: z.optional(z.array(z.email()).check(z.maxLength(20))),
      infringement: z.optional(InfringementDetailsSchema),
    }),
    { id: 'CreateDraftRequest' },
  ))();
export type CreateDraftRequest = z.infer<typeof CreateDraftRequestSchema>;

/**
 * The fields of a draft that decide its due time, and the moment it would be given (default now): what the
 * due-time preview takes, so a form can show the due time and its explanation before anything is saved.
 */
export const DueTimePreviewRequestSchema = /* @__PURE__ */ (() =>
  z.described(
    z.strict(
      z.extend(
        z.pick(CreateDraftRequestSchema, {
          type: true,
          timeZone: true,
          responsePeriod: true,
          dueAt: true,
          jurisdiction: true,
        }),
        {
          givenAt: z.described(z.optional(IsoInstantSchema), {
            description: 'When the notice would be given; default now.',
          }),
        },
      ),
    ),
    { id: 'DueTimePreviewRequest' },
  ))();
export type DueTimePreviewRequest = z.infer<typeof DueTimePreviewRequestSchema>;

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
  'paid',
  'unpaid',
] as const;
export const NoticeStatusSchema = /* @__PURE__ */ z.enum(NOTICE_STATUSES);
export type NoticeStatus = z.infer<typeof NoticeStatusSchema>;

/** Statuses in which the platform's clock is running (a response, or payment, is awaited). */
export const AWAITING_RESPONSE: readonly NoticeStatus[] = ['issued', 'acknowledged', 'further-information-requested'];

/** The draft's content once defaults from the catalogue are applied; fixed from creation on. */
export const NoticeContentSchema = /* @__PURE__ */ (() =>
  z.object({
    type: NoticeTypeIdSchema,
    platformId: PlatformIdSchema,
    title: z.string(),
    legalBasis: z.string(),
    requirements: RequirementsSchema,
    mannerAndForm: z.string(),
    consequences: z.string(),
    timeZone: z.string(),
    jurisdiction: JurisdictionSchema,
    /** How the due time will be computed at issue (absent when the officer set `requestedDueAt`, or none is due). */
    deadlineRule: z.optional(DeadlineRuleSchema),
    requestedDueAt: z.optional(IsoInstantSchema),
    reminderPolicy: ReminderPolicySchema,
    contacts: z.array(z.string()),
    infringement: z.optional(InfringementDetailsSchema),
  }))();
export type NoticeContent = z.infer<typeof NoticeContentSchema>;

/**
 * An extension is an explicit record — who asked, who decided, the old and new due time, and on what basis —
 * never inferred from correspondence (X Corp v eSafety held follow-up e-mails were not extensions).
 */
export const ExtensionSchema = /* @__PURE__ */ (() =>
  z.object({
    id: z.string(),
    status: z.enum(['requested', 'granted', 'refused']),
    requestedAt: IsoInstantSchema,
    requestedBy: ActorSchema,
    requestedDueAt: IsoInstantSchema,
    reason: z.string(),
    decidedAt: z.optional(IsoInstantSchema),
    decidedBy: z.optional(ActorSchema),
    decisionReason: z.optional(z.string()),
    legalBasis: z.optional(z.string()),
    previousDueAt: z.optional(IsoInstantSchema),
    grantedDueAt: z.optional(IsoInstantSchema),
  }))();
export type Extension = z.infer<typeof ExtensionSchema>;

/**
 * What set the due time now in force: the notice type's rule (at issue), a due time the officer chose in the
 * draft, a granted extension, or a further-information request. It names the event that set it, so a receipt
 * (or anyone reading the record) can tell exactly which due time a response was judged against, and why.
 */
export const DueBasisSchema = /* @__PURE__ */ (() =>
  z.described(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('rule'), setAt: IsoInstantSchema, eventSeq: z.number().check(z.int()) }),
      z.object({ kind: z.literal('explicit'), setAt: IsoInstantSchema, eventSeq: z.number().check(z.int()) }),
      z.object({
        kind: z.literal('extension'),
        setAt: IsoInstantSchema,
        eventSeq: z.number().check(z.int()),
        extensionId: z.string(),
        previousDueAt: z.optional(IsoInstantSchema),
        legalBasis: z.optional(z.string()),
      }),
      z.object({
        kind: z.literal('further-information'),
        setAt: IsoInstantSchema,
        eventSeq: z.number().check(z.int()),
        previousDueAt: z.optional(IsoInstantSchema),
      }),
    ]),
    { id: 'DueBasis' },
  ))();
export type DueBasis = z.infer<typeof DueBasisSchema>;

/**
 * A recorded payment corrected or voided: a new event, never an edit of the old one. `previous` is the payment
 * as it stood; `corrected` the fields that changed (absent when voided).
 */
export const PaymentCorrectionSchema = /* @__PURE__ */ (() =>
  z.object({
    at: IsoInstantSchema,
    by: ActorSchema,
    reason: z.string(),
    voided: z.boolean(),
    previous: z.object({
      paidAt: z.optional(IsoInstantSchema),
      amount: z.optional(MoneySchema),
      reference: z.optional(z.string()),
    }),
    corrected: z.optional(
      z.object({
        paidAt: z.optional(IsoInstantSchema),
        amount: z.optional(MoneySchema),
        reference: z.optional(z.string()),
      }),
    ),
  }))();
export type PaymentCorrection = z.infer<typeof PaymentCorrectionSchema>;

export const PaymentRecordSchema = /* @__PURE__ */ (() =>
  z.object({
    status: z.enum(['paid', 'unpaid']),
    recordedAt: IsoInstantSchema,
    recordedBy: ActorSchema,
    paidAt: z.optional(IsoInstantSchema),
    amount: z.optional(MoneySchema),
    reference: z.optional(z.string()),
    reason: z.optional(z.string()),
  }))();

export const NoticeSchema = /* @__PURE__ */ (() =>
  z.described(
    z.extend(NoticeContentSchema, {
      id: NoticeIdSchema,
      status: NoticeStatusSchema,
      /** Number of events applied; the next change must be event `version + 1`. */
      version: z.number().check(z.int(), z.gte(1)),
      createdAt: IsoInstantSchema,
      createdBy: ActorSchema,
      updatedAt: IsoInstantSchema,
      /** The moment the notice was given. Recorded once, at issue, and never changed. */
      givenAt: z.optional(IsoInstantSchema),
      issuedBy: z.optional(ActorSchema),
      dueAt: z.optional(IsoInstantSchema),
      dueExplanation: z.optional(z.array(z.string())),
      /** When the current due time was set (issue, or the grant of an extension): reminders count from it. */
      dueSetAt: z.optional(IsoInstantSchema),
      /** What set the current due time (absent while nothing is due, and on projections older than this field). */
      dueBasis: z.optional(DueBasisSchema),
      extensions: z.array(ExtensionSchema),
      lastReminder: z.optional(
        z.object({
          id: z.string(),
          kind: z.string(),
          dueAt: IsoInstantSchema,
          fireAt: IsoInstantSchema,
          sentAt: IsoInstantSchema,
        }),
      ),
      /** The escalation to the regulator, once sent for the current due time. */
      escalation: z.optional(z.object({ id: z.string(), dueAt: IsoInstantSchema, sentAt: IsoInstantSchema })),
      nextReminderAt: z.optional(IsoInstantSchema),
      payment: z.optional(PaymentRecordSchema),
      /** Every correction or voiding of a recorded payment, oldest first. */
      paymentCorrections: z.optional(z.array(PaymentCorrectionSchema)),
      /** The response filed for the notice: when (filed-at), on time or late, and its receipt number. */
      response: z.optional(
        z.object({
          submissionId: z.string(),
          filedAt: IsoInstantSchema,
          onTime: z.boolean(),
          receiptNumber: z.string(),
          filedBy: ActorSchema,
        }),
      ),
      /**
       * The notice as given, signed by the regulator at issue (compact JWS, typ nrp-notice+jws); verify it with
       * GET /.well-known/regulator-keys.json or `notice-portal verify-notice`. Absent on notices issued before signing.
       */
      signedNotice: z.optional(z.string()),
      acknowledgedAt: z.optional(IsoInstantSchema),
      acknowledgedBy: z.optional(ActorSchema),
      /** The platform's countersignature over the signed notice, when it acknowledged with one. */
      acknowledgementSignature: z.optional(z.object({ signature: z.string(), kid: z.string() })),
      withdrawnAt: z.optional(IsoInstantSchema),
      withdrawnBy: z.optional(ActorSchema),
      withdrawalReason: z.optional(z.string()),
      /** Hash of the latest event: pins this state to a point in the notice's hash-chained history. */
      lastEventHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    }),
    { id: 'Notice' },
  ))();
export type Notice = z.infer<typeof NoticeSchema>;

export interface DraftDefaults {
  timeZone: string;
  jurisdiction: Jurisdiction;
  /** The time of drafting: a contravention cannot have occurred after it. */
  now?: Date;
}

/** A decimal amount ("16500", "16500.00") in cents, exactly. */
export function amountInCents(amount: string): bigint {
  // split always yields at least one piece, so `whole` is never the default.
  const [whole = '', cents = '00'] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(cents);
}

/**
 * An infringement notice needs a basis — the overdue notice it follows from (checked against the store by the
 * service) or an explicit statement of the contravention — and an amount payable within the maximum penalty.
 */
function infringementIssues(details: InfringementDetails, defaults: DraftDefaults): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { contravention } = details;
  if (!details.relatedNoticeId && !contravention) {
    issues.push({
      path: 'infringement',
      message:
        'an infringement notice must state its basis: relatedNoticeId (the overdue notice it follows from) or contravention (what was contravened, and when)',
    });
  }
  if (contravention) {
    const from = Date.parse(contravention.occurredFrom);
    const until = contravention.occurredUntil ? Date.parse(contravention.occurredUntil) : undefined;
    if (until !== undefined && until < from) {
      issues.push({ path: 'infringement.contravention.occurredUntil', message: 'must not be before occurredFrom' });
    }
    const now = defaults.now?.getTime();
    if (now !== undefined && from > now) {
      issues.push({ path: 'infringement.contravention.occurredFrom', message: 'is in the future' });
    }
    if (now !== undefined && until !== undefined && until > now) {
      issues.push({ path: 'infringement.contravention.occurredUntil', message: 'is in the future' });
    }
  }
  if (details.amountPayable.currency !== details.maximumPenalty.currency) {
    issues.push({
      path: 'infringement.amountPayable.currency',
      message: `must be the maximum penalty's currency, ${details.maximumPenalty.currency}`,
    });
  } else if (amountInCents(details.amountPayable.amount) > amountInCents(details.maximumPenalty.amount)) {
    issues.push({
      path: 'infringement.amountPayable.amount',
      message: `must not exceed the maximum penalty (${details.maximumPenalty.currency} ${details.maximumPenalty.amount})`,
    });
  }
  return issues;
}

/** The fields of a notice that decide when it falls due, once it is given. */
export type DueTerms = Pick<NoticeContent, 'timeZone' | 'jurisdiction' | 'deadlineRule' | 'requestedDueAt'>;

/**
 * How a draft of this type will fall due: its zone and jurisdiction (or the defaults), and either the officer's
 * explicit due time or the type's rule with any period the draft sets. Shared by drafting and the due-time
 * preview, so a preview is computed from exactly the terms a draft would store.
 */
export function dueTermsOf(
  entry: NonNullable<ReturnType<typeof findCatalogueEntry>>,
  input: Pick<CreateDraftRequest, 'timeZone' | 'jurisdiction' | 'responsePeriod' | 'dueAt'>,
  defaults: DraftDefaults,
): { terms: DueTerms } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (input.responsePeriod && input.dueAt) {
    issues.push({ path: 'dueAt', message: 'give either responsePeriod or dueAt, not both' });
  }
  if (entry.deadline === null && (input.responsePeriod || input.dueAt)) {
    issues.push({ path: input.dueAt ? 'dueAt' : 'responsePeriod', message: `nothing is due under a ${entry.label}` });
  }
  if (issues.length > 0) return { issues };
  return {
    terms: {
      timeZone: input.timeZone ?? defaults.timeZone,
      jurisdiction: input.jurisdiction ?? defaults.jurisdiction,
      deadlineRule:
        input.dueAt || !entry.deadline
          ? undefined
          : { ...entry.deadline, period: input.responsePeriod ?? entry.deadline.period },
      requestedDueAt: input.dueAt ? new Date(input.dueAt).toISOString() : undefined,
    },
  };
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
  if (entry.demands === 'payment' && input.infringement)
    issues.push(...infringementIssues(input.infringement, defaults));
  if (entry.demands !== 'payment' && input.infringement) {
    issues.push({ path: 'infringement', message: `only an infringement notice carries payment details` });
  }
  const due = dueTermsOf(entry, input, defaults);
  if ('issues' in due) issues.push(...due.issues);
  if (issues.length > 0 || 'issues' in due) return { issues };

  return {
    content: {
      type: entry.type,
      platformId: input.platformId,
      title: input.title,
      legalBasis: input.legalBasis ?? entry.legalBasis,
      requirements,
      mannerAndForm: input.mannerAndForm,
      consequences: input.consequences ?? entry.consequences,
      ...due.terms,
      reminderPolicy: entry.reminders,
      contacts: input.contacts ?? [],
      infringement: input.infringement,
    },
  };
}
