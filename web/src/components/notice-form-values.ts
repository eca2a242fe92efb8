import { z } from 'zod';
import type { Notice, Schemas } from '../api/types';
import type { NoticeType } from './reference-data';
import { instantToWallTime, wallTimeToInstant } from './zoned-time';

/**
 * The create-a-notice form's own values (what the inputs hold), and the conversions to and from the API's
 * CreateDraftRequest. Checks here are only those a person can fix before sending; the API remains the judge and
 * its field errors are shown on the same fields (see `formFieldForApiPath`).
 */
export const PORTAL_DEFAULT_TIME_ZONE = 'Australia/Sydney';

const money = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{2})?$/, 'Enter an amount such as 16500.00');

export function noticeFormSchema(types: NoticeType[] | undefined) {
  return z
    .object({
      type: z.string().min(1, 'Choose the type of notice'),
      platformIds: z.array(z.string()).min(1, 'Choose at least one platform'),
      title: z.string().trim().min(3, 'Enter a title of at least 3 characters').max(200),
      legalBasis: z.string().trim().max(500),
      questions: z.array(z.object({ text: z.string() })),
      requiredAction: z.string(),
      mannerAndForm: z.string().trim().min(1, 'Say how the platform must respond (manner and form)'),
      consequences: z.string().trim(),
      contacts: z
        .string()
        .refine(
          (value) => contactList(value).every((c) => z.email().safeParse(c).success),
          'Enter e-mail addresses, one a line',
        ),
      timeZone: z.string().min(1, 'Choose a time zone'),
      country: z
        .string()
        .trim()
        .regex(/^[A-Za-z]{2}$/, 'Enter a two-letter country code such as AU'),
      state: z
        .string()
        .trim()
        .regex(/^([A-Za-z0-9]{1,3})?$/, 'Enter a state code such as NSW, or leave it empty'),
      dueMode: z.enum(['rule', 'explicit']),
      dueAtLocal: z.string(),
      infringement: z.object({
        provisionContravened: z.string(),
        maximumPenalty: z.string(),
        amountPayable: z.string(),
        paymentPlace: z.string(),
        relatedNoticeId: z.string(),
        contraventionDescription: z.string(),
        occurredFrom: z.string(),
      }),
    })
    .superRefine((values, ctx) => {
      const demands = types?.find((t) => t.id === values.type)?.demands;
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      if (demands === 'answers') {
        if (values.questions.length === 0) issue(['questions'], 'Add at least one question');
        values.questions.forEach((q, i) => {
          if (!q.text.trim()) issue(['questions', i, 'text'], `Enter question ${i + 1}, or remove it`);
        });
      }
      if (demands === 'action' && !values.requiredAction.trim()) {
        issue(['requiredAction'], 'Say what the platform must do');
      }
      if (demands === 'payment') paymentIssues(values.infringement, issue);
      if (values.dueMode === 'explicit' && !wallTimeToInstant(values.dueAtLocal, values.timeZone)) {
        issue(['dueAtLocal'], 'Enter the due date and time');
      }
    });
}

function paymentIssues(
  inf: NoticeFormValues['infringement'],
  issue: (path: (string | number)[], message: string) => void,
) {
  if (!inf.provisionContravened.trim())
    issue(['infringement', 'provisionContravened'], 'Enter the provision contravened');
  for (const field of ['maximumPenalty', 'amountPayable'] as const) {
    if (!money.safeParse(inf[field]).success) issue(['infringement', field], 'Enter an amount such as 16500.00');
  }
  if (!inf.paymentPlace.trim()) issue(['infringement', 'paymentPlace'], 'Say where and how payment is made');
  if (!inf.relatedNoticeId.trim() && !inf.contraventionDescription.trim()) {
    issue(
      ['infringement', 'relatedNoticeId'],
      'Give the overdue notice this follows from, or describe the contravention',
    );
  }
}

export type NoticeFormValues = z.infer<ReturnType<typeof noticeFormSchema>>;

export const EMPTY_NOTICE_FORM: NoticeFormValues = {
  type: '',
  platformIds: [],
  title: '',
  legalBasis: '',
  questions: [{ text: '' }],
  requiredAction: '',
  mannerAndForm: 'Answer each question in writing through this portal.',
  consequences: '',
  contacts: '',
  timeZone: PORTAL_DEFAULT_TIME_ZONE,
  country: 'AU',
  state: 'NSW',
  dueMode: 'rule',
  dueAtLocal: '',
  infringement: {
    provisionContravened: '',
    maximumPenalty: '',
    amountPayable: '',
    paymentPlace: '',
    relatedNoticeId: '',
    contraventionDescription: '',
    occurredFrom: '',
  },
};

export function contactList(value: string): string[] {
  return value
    .split(/[\n,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** The jurisdiction as the API takes it (upper-case codes; no state when none is given). */
export function jurisdictionOf(values: Pick<NoticeFormValues, 'country' | 'state'>) {
  const state = values.state.trim().toUpperCase();
  return { country: values.country.trim().toUpperCase(), ...(state ? { state } : {}) };
}

export function explicitDueAt(values: Pick<NoticeFormValues, 'dueMode' | 'dueAtLocal' | 'timeZone'>) {
  return values.dueMode === 'explicit' ? wallTimeToInstant(values.dueAtLocal, values.timeZone) : undefined;
}

/** The form, for one platform, as the API's draft request. Only the fields this type demands are sent. */
export function toCreateDraftRequest(
  values: NoticeFormValues,
  platformId: string,
  type: NoticeType | undefined,
): Schemas['CreateDraftRequest'] {
  const contacts = contactList(values.contacts);
  const demands = type?.demands;
  return {
    type: values.type,
    platformId,
    title: values.title.trim(),
    ...(values.legalBasis.trim() ? { legalBasis: values.legalBasis.trim() } : {}),
    ...(demands === 'answers'
      ? {
          requirements: { questions: values.questions.map((q, i) => ({ number: String(i + 1), text: q.text.trim() })) },
        }
      : {}),
    ...(demands === 'action' ? { requirements: { requiredAction: values.requiredAction.trim() } } : {}),
    mannerAndForm: values.mannerAndForm.trim(),
    ...(values.consequences.trim() ? { consequences: values.consequences.trim() } : {}),
    timeZone: values.timeZone,
    jurisdiction: jurisdictionOf(values),
    ...(explicitDueAt(values) ? { dueAt: explicitDueAt(values) } : {}),
    ...(contacts.length ? { contacts } : {}),
    ...(demands === 'payment' ? { infringement: infringementOf(values) } : {}),
  };
}

function infringementOf(values: NoticeFormValues): NonNullable<Schemas['CreateDraftRequest']['infringement']> {
  const inf = values.infringement;
  const occurredFrom = inf.occurredFrom ? wallTimeToInstant(`${inf.occurredFrom}T00:00`, values.timeZone) : undefined;
  return {
    provisionContravened: inf.provisionContravened.trim(),
    maximumPenalty: { currency: 'AUD', amount: inf.maximumPenalty.trim() },
    amountPayable: { currency: 'AUD', amount: inf.amountPayable.trim() },
    paymentPlace: inf.paymentPlace.trim(),
    ...(inf.relatedNoticeId.trim() ? { relatedNoticeId: inf.relatedNoticeId.trim() } : {}),
    ...(inf.contraventionDescription.trim()
      ? { contravention: { description: inf.contraventionDescription.trim(), occurredFrom: occurredFrom ?? '' } }
      : {}),
  };
}

/** A saved draft back into the form (its "Change" links, when this tab no longer holds what was typed). */
export function fromNotice(notice: Notice): NoticeFormValues {
  const inf = notice.infringement;
  return {
    ...EMPTY_NOTICE_FORM,
    type: notice.type,
    platformIds: [notice.platformId],
    title: notice.title,
    legalBasis: notice.legalBasis,
    questions: notice.requirements.questions?.map((q) => ({ text: q.text })) ?? [{ text: '' }],
    requiredAction: notice.requirements.requiredAction ?? '',
    mannerAndForm: notice.mannerAndForm,
    consequences: notice.consequences,
    contacts: notice.contacts.join('\n'),
    timeZone: notice.timeZone,
    country: notice.jurisdiction.country,
    state: notice.jurisdiction.state ?? '',
    dueMode: notice.requestedDueAt ? 'explicit' : 'rule',
    dueAtLocal: notice.requestedDueAt ? instantToWallTime(notice.requestedDueAt, notice.timeZone) : '',
    infringement: {
      provisionContravened: inf?.provisionContravened ?? '',
      maximumPenalty: inf?.maximumPenalty.amount ?? '',
      amountPayable: inf?.amountPayable.amount ?? '',
      paymentPlace: inf?.paymentPlace ?? '',
      relatedNoticeId: inf?.relatedNoticeId ?? '',
      contraventionDescription: inf?.contravention?.description ?? '',
      occurredFrom: inf?.contravention?.occurredFrom.slice(0, 10) ?? '',
    },
  };
}

/** An API field path (`requirements.questions.0.text`) → the form field that holds it, or undefined. */
export function formFieldForApiPath(path: string): string | undefined {
  const question = /^requirements\.questions\.(\d+)/.exec(path);
  if (question) return `questions.${question[1]}.text`;
  const exact: Record<string, string> = {
    'requirements.questions': 'questions',
    'requirements.requiredAction': 'requiredAction',
    requirements: 'questions',
    platformId: 'platformIds',
    dueAt: 'dueAtLocal',
    responsePeriod: 'dueAtLocal',
    jurisdiction: 'country',
    'jurisdiction.country': 'country',
    'jurisdiction.state': 'state',
    'jurisdiction.holidayTypes': 'country',
    'infringement.contravention': 'infringement.contraventionDescription',
    'infringement.contravention.description': 'infringement.contraventionDescription',
    'infringement.contravention.occurredFrom': 'infringement.occurredFrom',
    infringement: 'infringement.provisionContravened',
  };
  if (exact[path]) return exact[path];
  if (path.startsWith('contacts')) return 'contacts';
  const money = /^infringement\.(maximumPenalty|amountPayable)/.exec(path);
  if (money) return `infringement.${money[1]}`;
  const direct = ['type', 'title', 'legalBasis', 'mannerAndForm', 'consequences', 'timeZone'];
  if (direct.includes(path) || /^infringement\.(provisionContravened|paymentPlace|relatedNoticeId)$/.test(path))
    return path;
  return undefined;
}

/** Labels for the error summary, by form field name. */
export function labelForField(name: string): string {
  const question = /^questions\.(\d+)/.exec(name);
  if (question) return `Question ${Number(question[1]) + 1}`;
  const labels: Record<string, string> = {
    type: 'Type of notice',
    platformIds: 'Platforms',
    title: 'Title',
    legalBasis: 'Legal basis',
    questions: 'Questions',
    requiredAction: 'Required action',
    mannerAndForm: 'Manner and form',
    consequences: 'Consequences',
    contacts: 'Contacts',
    timeZone: 'Time zone',
    country: 'Country',
    state: 'State or territory',
    dueAtLocal: 'Due time',
    'infringement.provisionContravened': 'Provision contravened',
    'infringement.maximumPenalty': 'Maximum penalty',
    'infringement.amountPayable': 'Amount payable',
    'infringement.paymentPlace': 'Place for payment',
    'infringement.relatedNoticeId': 'Overdue notice',
    'infringement.contraventionDescription': 'Contravention',
    'infringement.occurredFrom': 'Contravention began',
  };
  return labels[name] ?? name;
}
