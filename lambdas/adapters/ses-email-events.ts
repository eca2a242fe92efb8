import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmailDeliveryLog } from '../domain/email-delivery-log';
import * as z from '../domain/zod';
import { DynamoDbEmailDeliveryLog } from './dynamodb-email-delivery-log';
import { EMAIL_ID_TAG, isValidEmailId } from './ses-mailer';

/**
 * SES sending events (published by the mailer's configuration set to the default EventBridge bus), read as facts
 * for the e-mail delivery log. EventBridge delivers them at least once, best-effort and possibly out of order;
 * the log's writes are idempotent and order-independent (see DynamoDbEmailDeliveryLog).
 *
 * Event shape (Amazon SES Developer Guide, "Monitoring SES events using Amazon EventBridge" and "Contents of event
 * data that Amazon SES publishes"): `source` `aws.ses`, `detail-type` `Email Sent` | `Email Delivered` | …, and
 * `detail` is the event publishing record: `eventType` (`Send`, `Delivery`, `Bounce`, `Complaint`, `Reject`,
 * `DeliveryDelay`, `Rendering Failure`, …), `mail.messageId`, `mail.timestamp`, `mail.tags` (each message tag as
 * a list of values, including SES's own `ses:configuration-set`), and one object named after the type (`delivery`,
 * `bounce`, …) that usually carries its own `timestamp`.
 */
const SesEmailEvent = z.object({
  source: z.literal('aws.ses'),
  'detail-type': z.string(),
  time: z.string(),
  detail: z.catchall(
    z.object({
      // Letters and spaces only: the type also names an attribute (`last<Type>At`).
      eventType: z.string().check(z.regex(/^[A-Za-z][A-Za-z ]{0,63}$/)),
      mail: z.object({
        messageId: z.string().check(z.minLength(1)),
        timestamp: z.optional(z.string()),
        tags: z.optional(z.record(z.string(), z.array(z.string()))),
      }),
    }),
    z.unknown(),
  ),
});
type SesEmailEvent = z.infer<typeof SesEmailEvent>;

const Timestamped = z.object({ timestamp: z.string() });

export type RecordResult =
  | { recorded: true; emailId: string; eventType: string; messageId: string }
  | { recorded: false; reason: string; messageId: string };

/**
 * Records one SES event in the delivery log. Returns `recorded: false` (and writes nothing) for an event without
 * our `emailId` tag, e.g. mail sent through the same configuration set by something else. Throws only for input
 * that is not an SES sending event at all, or when the log fails: both are worth a retry and, failing that, the
 * dead-letter queue.
 */
export async function recordSesEmailEvent(
  log: EmailDeliveryLog,
  input: unknown,
  now: () => Date = () => new Date(),
): Promise<RecordResult> {
  const parsed = SesEmailEvent.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Not an SES sending event: ${problems}`);
  }
  const event = parsed.data;
  const { eventType, mail } = event.detail;
  const emailId = mail.tags?.[EMAIL_ID_TAG]?.[0];
  if (emailId === undefined) return { recorded: false, reason: `no ${EMAIL_ID_TAG} tag`, messageId: mail.messageId };
  if (!isValidEmailId(emailId)) {
    return { recorded: false, reason: `${EMAIL_ID_TAG} tag is not one of ours`, messageId: mail.messageId };
  }
  await log.record({
    emailId,
    eventType,
    messageId: mail.messageId,
    seenAt: now().toISOString(),
    occurredAt: occurredAt(event),
  });
  return { recorded: true, emailId, eventType, messageId: mail.messageId };
}

/** {@link recordSesEmailEvent} into the delivery log of `tableName`, for callers that hold a document client. */
export function recordDelivery(
  doc: DynamoDBDocumentClient,
  tableName: string,
  input: unknown,
  now?: () => Date,
): Promise<RecordResult> {
  return recordSesEmailEvent(new DynamoDbEmailDeliveryLog(doc, tableName), input, now);
}

/**
 * When the event happened, normalised to millisecond ISO so that stored values compare as strings: the event's own
 * object's timestamp (`delivery.timestamp`, …), else the message's (`Send` and `Reject` carry none of their own),
 * else EventBridge's `time`.
 */
function occurredAt(event: SesEmailEvent): string {
  const { eventType, mail } = event.detail;
  const ownKey = eventType.charAt(0).toLowerCase() + eventType.slice(1).replace(/ /g, '');
  const own = Timestamped.safeParse(event.detail[ownKey]);
  for (const candidate of [own.success ? own.data.timestamp : undefined, mail.timestamp, event.time]) {
    const ms = candidate === undefined ? Number.NaN : Date.parse(candidate);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  throw new Error(`SES event for message ${mail.messageId} has no valid timestamp`);
}
