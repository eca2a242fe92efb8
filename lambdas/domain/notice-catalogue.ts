import { DeadlineRuleSchema } from './deadline-engine';
import * as z from './zod';

/**
 * The kinds of notice the portal can issue. What a notice *demands* is fixed in code, because the portal's
 * behaviour depends on it (questions need answers, an infringement notice needs payment details); everything else
 * (names, legal basis, default clock, consequences) is configuration, so another regulator can load its own.
 */
export const DEMANDS = ['answers', 'action', 'payment', 'none'] as const;
export type Demand = (typeof DEMANDS)[number];

export const REMINDER_UNITS = ['minutes', 'hours', 'days'] as const;
export const ReminderOffsetSchema = /* @__PURE__ */ (() =>
  z.strictObject({
    amount: z.number().check(z.int(), z.gte(0), z.lte(365 * 24 * 60)),
    unit: z.enum(REMINDER_UNITS),
  }))();
export type ReminderOffset = z.infer<typeof ReminderOffsetSchema>;

/** When a notice of this type reminds the platform, and when it escalates to the issuing officer. */
export const ReminderPolicySchema = /* @__PURE__ */ (() =>
  z.strictObject({
    /** Reminders to the platform this long before the due time, e.g. 7 days, 2 days, 1 day. */
    beforeDue: z.array(ReminderOffsetSchema).check(z.maxLength(10)),
    /** A last reminder to the platform at the due time itself. */
    atDue: z.boolean(),
    /** Escalation to the issuing officer once this long overdue; null for none. */
    escalateAfter: z.nullable(ReminderOffsetSchema),
  }))();
export type ReminderPolicy = z.infer<typeof ReminderPolicySchema>;

export const NO_REMINDERS: ReminderPolicy = { beforeDue: [], atDue: false, escalateAfter: null };

export const NoticeTypeIdSchema = /* @__PURE__ */ (() =>
  z.string().check(z.regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be a lower-case slug')))();

export const CatalogueEntrySchema = /* @__PURE__ */ (() =>
  z.object({
    type: NoticeTypeIdSchema,
    label: z.string().check(z.minLength(1)),
    /** The provision a notice of this type is given under, unless the draft names another. */
    legalBasis: z.string().check(z.minLength(1)),
    demands: z.enum(DEMANDS),
    /** How the due time is computed from the moment the notice is given; null when nothing is due. */
    deadline: z.nullable(DeadlineRuleSchema),
    reminders: ReminderPolicySchema,
    /** Default statement of the consequences of not complying. */
    consequences: z.string().check(z.minLength(1)),
  }))();
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

export const CatalogueSchema = /* @__PURE__ */ (() =>
  z.array(CatalogueEntrySchema).check(
    z.minLength(1),
    z.refine((entries) => new Set(entries.map((e) => e.type)).size === entries.length, 'notice types must be unique'),
  ))();
export type Catalogue = z.infer<typeof CatalogueSchema>;

/** eSafety's notices under the Online Safety Act 2021 (Cth), as described in shared/domain.md. */
export const DEFAULT_CATALOGUE: Catalogue = [
  {
    type: 'transparency-notice',
    label: 'Transparency notice (Basic Online Safety Expectations)',
    legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
    demands: 'answers',
    deadline: {
      period: { amount: 28, unit: 'calendar-days' },
      cutOff: 'end-of-day',
      rollToBusinessDay: true,
      excludeDayOfGiving: true,
    },
    reminders: {
      beforeDue: [
        { amount: 7, unit: 'days' },
        { amount: 2, unit: 'days' },
        { amount: 1, unit: 'days' },
      ],
      atDue: true,
      escalateAfter: { amount: 0, unit: 'minutes' },
    },
    consequences:
      'Failure to comply is a contravention of a civil penalty provision (s 57); an infringement notice or civil penalty proceedings may follow.',
  },
  {
    type: 'information-request',
    label: 'Request for information',
    legalBasis: 'Online Safety Act 2021 (Cth) s 20',
    demands: 'answers',
    deadline: {
      period: { amount: 30, unit: 'calendar-days' },
      cutOff: 'end-of-day',
      rollToBusinessDay: true,
      excludeDayOfGiving: true,
    },
    reminders: {
      beforeDue: [
        { amount: 7, unit: 'days' },
        { amount: 2, unit: 'days' },
        { amount: 1, unit: 'days' },
      ],
      atDue: true,
      escalateAfter: { amount: 0, unit: 'minutes' },
    },
    consequences: 'Failure to provide the information may lead to enforcement action under the Act.',
  },
  {
    type: 'removal-notice',
    label: 'Removal notice',
    legalBasis: 'Online Safety Act 2021 (Cth) s 109',
    demands: 'action',
    // 24 hours means 24 elapsed hours: a removal notice does not wait for the next business day.
    deadline: {
      period: { amount: 24, unit: 'hours' },
      cutOff: 'end-of-day',
      rollToBusinessDay: false,
      excludeDayOfGiving: true,
    },
    reminders: {
      beforeDue: [
        { amount: 12, unit: 'hours' },
        { amount: 2, unit: 'hours' },
      ],
      atDue: true,
      escalateAfter: { amount: 0, unit: 'minutes' },
    },
    consequences:
      'Failure to comply is a contravention of a civil penalty provision; a formal warning, infringement notice or civil penalty proceedings may follow.',
  },
  {
    type: 'infringement-notice',
    label: 'Infringement notice',
    legalBasis: 'Regulatory Powers (Standard Provisions) Act 2014 (Cth) s 104',
    demands: 'payment',
    deadline: {
      period: { amount: 28, unit: 'calendar-days' },
      cutOff: 'end-of-day',
      rollToBusinessDay: true,
      excludeDayOfGiving: true,
    },
    reminders: {
      beforeDue: [
        { amount: 7, unit: 'days' },
        { amount: 1, unit: 'days' },
      ],
      atDue: false,
      escalateAfter: { amount: 1, unit: 'days' },
    },
    consequences:
      'If the amount is not paid within the time for payment, the Commissioner may commence civil penalty proceedings.',
  },
  {
    type: 'formal-warning',
    label: 'Formal warning',
    legalBasis: 'Online Safety Act 2021 (Cth) s 58',
    demands: 'none',
    deadline: null,
    reminders: NO_REMINDERS,
    consequences: 'A formal warning is a record of non-compliance; no response is required.',
  },
];

export function findCatalogueEntry(catalogue: Catalogue, type: string): CatalogueEntry | undefined {
  return catalogue.find((entry) => entry.type === type);
}

/** What each demand asks of the platform, in words for clients and the web app. */
const DEMAND_DESCRIPTIONS: Record<Demand, string> = {
  answers: 'written answers to numbered questions, filed as a signed response',
  action: 'a required action (e.g. removing material), confirmed through the portal',
  payment: 'payment of the amount payable, by the time and at the place for payment',
  none: 'nothing: the notice is a record',
};

/** Fields every draft must give, whatever its type. */
const COMMON_REQUIRED_FIELDS = ['type', 'platformId', 'title', 'mannerAndForm'];

const REQUIRED_BY_DEMAND: Record<Demand, { requiredFields: string[]; oneOfFields: string[][] }> = {
  answers: { requiredFields: ['requirements.questions'], oneOfFields: [] },
  action: { requiredFields: ['requirements.requiredAction'], oneOfFields: [] },
  payment: {
    requiredFields: [
      'infringement.provisionContravened',
      'infringement.maximumPenalty',
      'infringement.amountPayable',
      'infringement.paymentPlace',
    ],
    // The basis: the overdue notice it follows from, or an explicit statement of the contravention.
    oneOfFields: [['infringement.relatedNoticeId', 'infringement.contravention']],
  },
  none: { requiredFields: [], oneOfFields: [] },
};

/** A notice type as `GET /notice-types` describes it: enough for a client to draft one without guessing. */
export const NoticeTypeDescriptionSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      id: NoticeTypeIdSchema,
      label: z.string(),
      legalBasis: z.string(),
      demands: z.enum(DEMANDS),
      demandsDescription: z.string(),
      /** How the due time is computed from the moment of giving; null when nothing is due. */
      clock: z.nullable(DeadlineRuleSchema),
      reminders: ReminderPolicySchema,
      consequences: z.string(),
      /** Draft fields that must be present (dot paths into `CreateDraftRequest`). */
      requiredFields: z.array(z.string()),
      /** Groups of draft fields of which exactly one must be present. */
      oneOfFields: z.array(z.array(z.string())),
    }),
    { id: 'NoticeType' },
  ))();
export type NoticeTypeDescription = z.infer<typeof NoticeTypeDescriptionSchema>;

export function describeNoticeTypes(catalogue: Catalogue): NoticeTypeDescription[] {
  return catalogue.map((entry) => ({
    id: entry.type,
    label: entry.label,
    legalBasis: entry.legalBasis,
    demands: entry.demands,
    demandsDescription: DEMAND_DESCRIPTIONS[entry.demands],
    clock: entry.deadline,
    reminders: entry.reminders,
    consequences: entry.consequences,
    requiredFields: [...COMMON_REQUIRED_FIELDS, ...REQUIRED_BY_DEMAND[entry.demands].requiredFields],
    oneOfFields: REQUIRED_BY_DEMAND[entry.demands].oneOfFields,
  }));
}
