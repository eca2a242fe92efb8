import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { EMAIL_ID_TAG, emailDeliveryKey, isValidEmailId } from '../adapters/ses-mailer';
import { config } from '../config';
import { logger } from '../http/logger';

/**
 * Records SES sending events (published by the mailer's configuration set to the default EventBridge bus) as the
 * witness `SesMailer.wasSent` reads. EventBridge delivers them at least once, best-effort and possibly out of
 * order, so every write is idempotent and order-independent:
 * - `firstSeenAt` is set only once (`if_not_exists`);
 * - `eventTypes` and `messageIds` are string sets, grown with `ADD` (adding a member twice changes nothing);
 * - `last<Type>At` keeps the latest occurrence of each event type, written only if newer than the one stored.
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
  detail: z
    .object({
      // Letters and spaces only: the type also names an attribute (`last<Type>At`).
      eventType: z.string().regex(/^[A-Za-z][A-Za-z ]{0,63}$/),
      mail: z.object({
        messageId: z.string().min(1),
        timestamp: z.string().optional(),
        tags: z.record(z.string(), z.array(z.string())).optional(),
      }),
    })
    .catchall(z.unknown()),
});
type SesEmailEvent = z.infer<typeof SesEmailEvent>;

const Timestamped = z.object({ timestamp: z.string() });

export type RecordResult =
  | { recorded: true; emailId: string; eventType: string; messageId: string }
  | { recorded: false; reason: string; messageId: string };

/**
 * Records one SES event under the e-mail's delivery key. Returns `recorded: false` (and writes nothing) for an event
 * without our `emailId` tag, e.g. mail sent through the same configuration set by something else. Throws only for
 * input that is not an SES sending event at all, or when DynamoDB fails: both are worth a retry and, failing that,
 * the dead-letter queue.
 */
export async function recordDelivery(
  doc: DynamoDBDocumentClient,
  tableName: string,
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

  // What every event adds, whatever its order: set members and a first-seen time, each idempotent.
  const key = emailDeliveryKey(emailId);
  const facts = {
    set: '#emailId = :emailId, #firstSeenAt = if_not_exists(#firstSeenAt, :now)',
    add: 'ADD #eventTypes :eventTypes, #messageIds :messageIds',
    names: {
      '#emailId': 'emailId',
      '#firstSeenAt': 'firstSeenAt',
      '#eventTypes': 'eventTypes',
      '#messageIds': 'messageIds',
    },
    values: {
      ':emailId': emailId,
      ':now': now().toISOString(),
      ':eventTypes': new Set([eventType]),
      ':messageIds': new Set([mail.messageId]),
    },
  };
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${facts.set}, #latest = :occurredAt ${facts.add}`,
        ConditionExpression: 'attribute_not_exists(#latest) OR #latest < :occurredAt',
        ExpressionAttributeNames: { ...facts.names, '#latest': latestAttribute(eventType) },
        ExpressionAttributeValues: { ...facts.values, ':occurredAt': occurredAt(event) },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // An event of this type at the same time or later is already recorded: this one is a redelivery or arrived out
    // of order. Its set-valued facts are still added (a no-op for a redelivery), so that a second SES message
    // carrying the same id (a duplicate send) shows up in `messageIds` whatever the order.
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${facts.set} ${facts.add}`,
        ExpressionAttributeNames: facts.names,
        ExpressionAttributeValues: facts.values,
      }),
    );
  }
  return { recorded: true, emailId, eventType, messageId: mail.messageId };
}

/** `Delivery` → `lastDeliveryAt`, `Rendering Failure` → `lastRenderingFailureAt`. */
function latestAttribute(eventType: string): string {
  return `last${eventType.replace(/ /g, '')}At`;
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

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

// One client per container; the endpoint comes from the SDK's standard variables (AWS_ENDPOINT_URL_DYNAMODB).
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** EventBridge target for SES events of the mailer's configuration set. */
export const handler = async (event: unknown): Promise<RecordResult> => {
  const result = await recordDelivery(doc, config().tableName, event);
  if (result.recorded) {
    logger.info('email event recorded', result);
  } else {
    logger.warn('email event ignored', result);
  }
  return result;
};
