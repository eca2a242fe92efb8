import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EmailDeliveryFact, EmailDeliveryLog } from '../domain/email-delivery-log';
import { isConditionFailure } from './dynamodb-items';
import { emailDeliveryKey } from './ses-mailer';

/**
 * The e-mail delivery witness as one item per e-mail (`EMAIL#<id>` / `DELIVERY`), which `SesMailer.wasSent`
 * reads. Reports arrive at least once, best-effort and possibly out of order, so every write is idempotent and
 * order-independent:
 * - `firstSeenAt` is set only once (`if_not_exists`);
 * - `eventTypes` and `messageIds` are string sets, grown with `ADD` (adding a member twice changes nothing);
 * - `last<Type>At` keeps the latest occurrence of each event type, written only if newer than the one stored.
 */
export class DynamoDbEmailDeliveryLog implements EmailDeliveryLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(fact: EmailDeliveryFact): Promise<void> {
    const { emailId, eventType, messageId } = fact;
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
        ':now': fact.seenAt,
        ':eventTypes': new Set([eventType]),
        ':messageIds': new Set([messageId]),
      },
    };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${facts.set}, #latest = :occurredAt ${facts.add}`,
          ConditionExpression: 'attribute_not_exists(#latest) OR #latest < :occurredAt',
          ExpressionAttributeNames: { ...facts.names, '#latest': latestAttribute(eventType) },
          ExpressionAttributeValues: { ...facts.values, ':occurredAt': fact.occurredAt },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // An event of this type at the same time or later is already recorded: this one is a redelivery or arrived
      // out of order. Its set-valued facts are still added (a no-op for a redelivery), so that a second SES message
      // carrying the same id (a duplicate send) shows up in `messageIds` whatever the order.
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `SET ${facts.set} ${facts.add}`,
          ExpressionAttributeNames: facts.names,
          ExpressionAttributeValues: facts.values,
        }),
      );
    }
  }
}

/** `Delivery` → `lastDeliveryAt`, `Rendering Failure` → `lastRenderingFailureAt`. */
function latestAttribute(eventType: string): string {
  return `last${eventType.replace(/ /g, '')}At`;
}
