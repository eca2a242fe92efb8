import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { recordDelivery } from '../../lambdas/adapters/ses-email-events';
import { sesEvent } from '../fixtures/ses-events';

const TABLE = 'notice-portal-test';
const REMINDER_ID = 'rmd_0123456789abcdef0123456789abcdef';
const MESSAGE_ID = '0108019c5a4b3c2d-1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9-000000';
const NOW = new Date('2026-03-02T22:00:03.000Z');

/** A document client that records each command and fails the first `conditionFailures` conditional writes. */
function recordingDoc(conditionFailures = 0) {
  const commands: UpdateCommand[] = [];
  let failuresLeft = conditionFailures;
  const doc = {
    send: async (command: UpdateCommand) => {
      commands.push(command);
      if (command.input.ConditionExpression && failuresLeft > 0) {
        failuresLeft -= 1;
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      }
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, commands };
}

describe('recordDelivery', () => {
  it('records a Send event carrying our tag under the e-mail delivery key', async () => {
    // Prepare
    const { doc, commands } = recordingDoc();
    const event = sesEvent({ eventType: 'Send', emailId: REMINDER_ID, sentAt: '2026-03-02T22:00:00.512Z' });

    // Act
    const result = await recordDelivery(doc, TABLE, event, () => NOW);

    // Assess
    expect(result).toEqual({ recorded: true, emailId: REMINDER_ID, eventType: 'Send', messageId: MESSAGE_ID });
    expect(commands).toHaveLength(1);
    expect(commands[0]).toBeInstanceOf(UpdateCommand);
    expect(commands[0]!.input).toEqual({
      TableName: TABLE,
      Key: { pk: `EMAIL#${REMINDER_ID}`, sk: 'DELIVERY' },
      UpdateExpression:
        'SET #emailId = :emailId, #firstSeenAt = if_not_exists(#firstSeenAt, :now), #latest = :occurredAt ' +
        'ADD #eventTypes :eventTypes, #messageIds :messageIds',
      ConditionExpression: 'attribute_not_exists(#latest) OR #latest < :occurredAt',
      ExpressionAttributeNames: {
        '#emailId': 'emailId',
        '#firstSeenAt': 'firstSeenAt',
        '#eventTypes': 'eventTypes',
        '#messageIds': 'messageIds',
        '#latest': 'lastSendAt',
      },
      ExpressionAttributeValues: {
        ':emailId': REMINDER_ID,
        ':now': NOW.toISOString(),
        ':eventTypes': new Set(['Send']),
        ':messageIds': new Set([MESSAGE_ID]),
        ':occurredAt': '2026-03-02T22:00:00.512Z',
      },
    });
  });

  it('ignores an event without our tag, writing nothing and not throwing', async () => {
    const { doc, commands } = recordingDoc();

    const result = await recordDelivery(doc, TABLE, sesEvent({ eventType: 'Send' }), () => NOW);

    expect(result).toEqual({ recorded: false, reason: 'no emailId tag', messageId: MESSAGE_ID });
    expect(commands).toEqual([]);
  });

  it('ignores an event whose tag value is not an id we could have sent', async () => {
    const { doc, commands } = recordingDoc();
    const event = sesEvent({ eventType: 'Send', emailId: REMINDER_ID });
    (event.detail as any).mail.tags.emailId = ['rmd 0123'];

    const result = await recordDelivery(doc, TABLE, event, () => NOW);

    expect(result).toMatchObject({ recorded: false });
    expect(commands).toEqual([]);
  });

  it('records a Delivery after a Send under the same key, stamped with the delivery time', async () => {
    // Prepare
    const { doc, commands } = recordingDoc();
    const send = sesEvent({ eventType: 'Send', emailId: REMINDER_ID });
    const delivery = sesEvent({ eventType: 'Delivery', emailId: REMINDER_ID, at: '2026-03-02T22:00:02.385Z' });

    // Act
    await recordDelivery(doc, TABLE, send, () => NOW);
    await recordDelivery(doc, TABLE, delivery, () => new Date(NOW.getTime() + 1000));

    // Assess
    expect(commands).toHaveLength(2);
    const deliveryWrite = commands[1]!.input;
    expect(deliveryWrite.Key).toEqual(commands[0]!.input.Key);
    expect(deliveryWrite.ExpressionAttributeNames).toMatchObject({ '#latest': 'lastDeliveryAt' });
    expect(deliveryWrite.ExpressionAttributeValues).toMatchObject({
      ':eventTypes': new Set(['Delivery']),
      ':occurredAt': '2026-03-02T22:00:02.385Z',
    });
    // firstSeenAt is only ever set if absent, so the Delivery cannot move it.
    expect(deliveryWrite.UpdateExpression).toContain('#firstSeenAt = if_not_exists(#firstSeenAt, :now)');
  });

  it('on a redelivered or older event still adds its set members, without the condition or the latest time', async () => {
    // Prepare: the store already holds this Send (or a later one)
    const { doc, commands } = recordingDoc(1);
    const event = sesEvent({ eventType: 'Send', emailId: REMINDER_ID });

    // Act
    const result = await recordDelivery(doc, TABLE, event, () => NOW);

    // Assess
    expect(result).toMatchObject({ recorded: true });
    expect(commands).toHaveLength(2);
    expect(commands[1]!.input).toEqual({
      TableName: TABLE,
      Key: { pk: `EMAIL#${REMINDER_ID}`, sk: 'DELIVERY' },
      UpdateExpression:
        'SET #emailId = :emailId, #firstSeenAt = if_not_exists(#firstSeenAt, :now) ' +
        'ADD #eventTypes :eventTypes, #messageIds :messageIds',
      ExpressionAttributeNames: {
        '#emailId': 'emailId',
        '#firstSeenAt': 'firstSeenAt',
        '#eventTypes': 'eventTypes',
        '#messageIds': 'messageIds',
      },
      ExpressionAttributeValues: {
        ':emailId': REMINDER_ID,
        ':now': NOW.toISOString(),
        ':eventTypes': new Set(['Send']),
        ':messageIds': new Set([MESSAGE_ID]),
      },
    });
  });

  it.each([
    ['Bounce', 'lastBounceAt', '2026-03-02T22:00:04.000Z'],
    ['Complaint', 'lastComplaintAt', '2026-03-02T23:10:00.000Z'],
    ['DeliveryDelay', 'lastDeliveryDelayAt', '2026-03-02T22:10:00.250Z'],
  ] as const)('keeps the latest %s time in %s, from the event’s own timestamp', async (eventType, attribute, at) => {
    const { doc, commands } = recordingDoc();

    await recordDelivery(doc, TABLE, sesEvent({ eventType, emailId: REMINDER_ID, at }), () => NOW);

    expect(commands.at(0)?.input.ExpressionAttributeNames).toMatchObject({ '#latest': attribute });
    expect(commands.at(0)?.input.ExpressionAttributeValues).toMatchObject({ ':occurredAt': at });
  });

  it('stamps a Reject, which has no timestamp of its own, with the time the message was sent', async () => {
    const { doc, commands } = recordingDoc();
    const event = sesEvent({ eventType: 'Reject', emailId: REMINDER_ID, sentAt: '2026-03-02T22:00:00.512Z' });

    await recordDelivery(doc, TABLE, event, () => NOW);

    expect(commands.at(0)?.input.ExpressionAttributeValues).toMatchObject({
      ':occurredAt': '2026-03-02T22:00:00.512Z',
    });
  });

  it('records a rendering failure under an attribute name without spaces', async () => {
    const { doc, commands } = recordingDoc();
    const event = sesEvent({ eventType: 'Send', emailId: REMINDER_ID });
    const detail = event.detail as any;
    detail.eventType = 'Rendering Failure';
    delete detail.send;
    detail.failure = { errorMessage: "Attribute 'x' is not present in the rendering data.", templateName: 'T' };

    await recordDelivery(doc, TABLE, event, () => NOW);

    expect(commands.at(0)?.input.ExpressionAttributeNames).toMatchObject({ '#latest': 'lastRenderingFailureAt' });
  });

  it('rejects input that is not an SES sending event, so it is retried and then dead-lettered', async () => {
    const { doc, commands } = recordingDoc();
    const scheduled = { source: 'aws.events', 'detail-type': 'Scheduled Event', time: NOW.toISOString(), detail: {} };

    await expect(recordDelivery(doc, TABLE, scheduled, () => NOW)).rejects.toThrow(/Not an SES sending event/);

    expect(commands).toEqual([]);
  });

  it('lets a DynamoDB failure other than the condition propagate, so EventBridge retries the event', async () => {
    const doc = {
      send: async () => {
        throw Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' });
      },
    } as unknown as DynamoDBDocumentClient;

    await expect(
      recordDelivery(doc, TABLE, sesEvent({ eventType: 'Send', emailId: REMINDER_ID }), () => NOW),
    ).rejects.toThrow('Throughput exceeded');
  });
});
