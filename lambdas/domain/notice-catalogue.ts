import { z } from 'zod';

/**
 * The kinds of notice the portal can issue. What a notice *demands* is fixed in code, because the portal's
 * behaviour depends on it (questions need answers, an infringement notice needs payment details); everything else
 * (names, legal basis, default clock, consequences) is configuration, so another regulator can load its own.
 */
export const DEMANDS = ['answers', 'action', 'payment', 'none'] as const;
export type Demand = (typeof DEMANDS)[number];

export const PERIOD_UNITS = ['hours', 'calendar-days'] as const;

export const PeriodSchema = z.object({
  amount: z.number().int().min(1).max(3650),
  unit: z.enum(PERIOD_UNITS),
});
export type Period = z.infer<typeof PeriodSchema>;

export const NoticeTypeIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be a lower-case slug');

export const CatalogueEntrySchema = z.object({
  type: NoticeTypeIdSchema,
  label: z.string().min(1),
  /** The provision a notice of this type is given under, unless the draft names another. */
  legalBasis: z.string().min(1),
  demands: z.enum(DEMANDS),
  /** Default time to respond, counted from the moment the notice is given; null when nothing is due. */
  clock: PeriodSchema.nullable(),
  /** Default statement of the consequences of not complying. */
  consequences: z.string().min(1),
});
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

export const CatalogueSchema = z
  .array(CatalogueEntrySchema)
  .min(1)
  .refine((entries) => new Set(entries.map((e) => e.type)).size === entries.length, 'notice types must be unique');
export type Catalogue = z.infer<typeof CatalogueSchema>;

/** eSafety's notices under the Online Safety Act 2021 (Cth), as described in shared/domain.md. */
export const DEFAULT_CATALOGUE: Catalogue = [
  {
    type: 'transparency-notice',
    label: 'Transparency notice (Basic Online Safety Expectations)',
    legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
    demands: 'answers',
    clock: { amount: 28, unit: 'calendar-days' },
    consequences:
      'Failure to comply is a contravention of a civil penalty provision (s 57); an infringement notice or civil penalty proceedings may follow.',
  },
  {
    type: 'information-request',
    label: 'Request for information',
    legalBasis: 'Online Safety Act 2021 (Cth) s 20',
    demands: 'answers',
    clock: { amount: 30, unit: 'calendar-days' },
    consequences: 'Failure to provide the information may lead to enforcement action under the Act.',
  },
  {
    type: 'removal-notice',
    label: 'Removal notice',
    legalBasis: 'Online Safety Act 2021 (Cth) s 109',
    demands: 'action',
    clock: { amount: 24, unit: 'hours' },
    consequences:
      'Failure to comply is a contravention of a civil penalty provision; a formal warning, infringement notice or civil penalty proceedings may follow.',
  },
  {
    type: 'infringement-notice',
    label: 'Infringement notice',
    legalBasis: 'Regulatory Powers (Standard Provisions) Act 2014 (Cth) s 104',
    demands: 'payment',
    clock: { amount: 28, unit: 'calendar-days' },
    consequences:
      'If the amount is not paid within the time for payment, the Commissioner may commence civil penalty proceedings.',
  },
  {
    type: 'formal-warning',
    label: 'Formal warning',
    legalBasis: 'Online Safety Act 2021 (Cth) s 58',
    demands: 'none',
    clock: null,
    consequences: 'A formal warning is a record of non-compliance; no response is required.',
  },
];

export function findCatalogueEntry(catalogue: Catalogue, type: string): CatalogueEntry | undefined {
  return catalogue.find((entry) => entry.type === type);
}
