import { IsoInstantSchema, MoneySchema, NoticeContentSchema } from './notice';
import * as z from './zod';

/**
 * What each kind of event records in its `data`, exactly as the services write it. Every object is strict: an
 * evidence bundle's verifier, and the store reading the log back, refuse a field nobody writes rather than drop it
 * (dropping one would change the event's canonical JSON, and so its hash).
 */

/**
 * One payload schema per event kind; `notice-event.ts` builds the event union from it. Built when that union is
 * first needed (a function reading events back), not when a function loads.
 */
export function eventPayloadSchemas() {
  const Sha256HexSchema = z.string().check(z.regex(/^[0-9a-f]{64}$/));
  const NothingSchema = z.strictObject({});

  /** The draft's content, fixed from creation on. */
  const CreatedDataSchema = z.strict(NoticeContentSchema);

  /**
   * A draft's content replaced while it is still a draft: the whole new content (as `created` records it), so the
   * log alone says what the draft said at every version, and what was issued.
   */
  const DraftRevisedDataSchema = z.strict(NoticeContentSchema);

  /**
   * The due time computed at issue, with its explanation (both absent when nothing is due), and the notice as given
   * signed by the regulator (compact JWS, typ nrp-notice+jws; absent on notices issued before notices were signed).
   */
  const IssuedDataSchema = z.strictObject({
    dueAt: z.optional(IsoInstantSchema),
    dueExplanation: z.optional(z.array(z.string())),
    signedNotice: z.optional(z.string()),
  });

  /**
   * The platform's countersignature over the signed notice, when it gave one: the compact JWS (typ
   * nrp-acknowledgement+jws) and the registered key it was made with. Both absent for a plain acknowledgement.
   */
  const AcknowledgedDataSchema = z.strictObject({ signature: z.optional(z.string()), kid: z.optional(z.string()) });

  const ExtensionRequestedDataSchema = z.strictObject({ extensionId: z.string(), requestedDueAt: IsoInstantSchema });

  const ExtensionGrantedDataSchema = z.strictObject({
    extensionId: z.string(),
    previousDueAt: IsoInstantSchema,
    grantedDueAt: IsoInstantSchema,
    legalBasis: z.optional(z.string()),
  });

  const ExtensionRefusedDataSchema = z.strictObject({ extensionId: z.string() });

  /** A reminder handled by the reminder runner: to whom, and whether it was sent, already sent, or unsendable. */
  const ReminderSentDataSchema = z.strictObject({
    reminderId: z.string(),
    reminderKind: z.enum(['before-due', 'at-due', 'escalation']),
    label: z.string(),
    dueAt: IsoInstantSchema,
    fireAt: IsoInstantSchema,
    recipients: z.array(z.string()),
    delivery: z.enum(['sent', 'witnessed', 'no-recipients']),
  });

  const PaymentRecordedDataSchema = z.strictObject({
    paidAt: IsoInstantSchema,
    amount: MoneySchema,
    reference: z.string(),
  });

  /** Payment fields as they stood, or as corrected: any of them may be absent. */
  const PaymentFieldsSchema = z.strictObject({
    paidAt: z.optional(IsoInstantSchema),
    amount: z.optional(MoneySchema),
    reference: z.optional(z.string()),
  });

  /** A voided payment names only what it voided; a correction also names the fields it changed. */
  const PaymentCorrectedDataSchema = z.discriminatedUnion('voided', [
    z.strictObject({ voided: z.literal(true), previous: PaymentFieldsSchema }),
    z.strictObject({ voided: z.literal(false), previous: PaymentFieldsSchema, corrected: PaymentFieldsSchema }),
  ]);

  /** The commit point of a filed response: its receipt and what the platform signed. */
  const SubmittedDataSchema = z.strictObject({
    submissionId: z.string(),
    filedAt: IsoInstantSchema,
    onTime: z.boolean(),
    receiptNumber: z.string(),
    /** The regulator's signed receipt (compact JWS). */
    receipt: z.string(),
    manifestSha256: Sha256HexSchema,
    /** The platform's detached JWS over the manifest. */
    signature: z.string(),
    kid: z.string(),
    files: z.array(z.strictObject({ name: z.string(), size: z.number().check(z.int()), sha256: Sha256HexSchema })),
  });

  const FurtherInformationRequestedDataSchema = z.strictObject({ dueAt: IsoInstantSchema });

  return {
    created: CreatedDataSchema,
    'draft-revised': DraftRevisedDataSchema,
    issued: IssuedDataSchema,
    acknowledged: AcknowledgedDataSchema,
    withdrawn: NothingSchema,
    'extension-requested': ExtensionRequestedDataSchema,
    'extension-granted': ExtensionGrantedDataSchema,
    'extension-refused': ExtensionRefusedDataSchema,
    'reminder-sent': ReminderSentDataSchema,
    'payment-recorded': PaymentRecordedDataSchema,
    'non-payment-recorded': NothingSchema,
    'payment-corrected': PaymentCorrectedDataSchema,
    submitted: SubmittedDataSchema,
    'review-started': NothingSchema,
    'further-information-requested': FurtherInformationRequestedDataSchema,
    accepted: NothingSchema,
    closed: NothingSchema,
  } as const;
}
