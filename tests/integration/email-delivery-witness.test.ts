import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { recordDelivery } from '../../lambdas/adapters/ses-email-events';
import { emailDeliveryKey, SesMailer } from '../../lambdas/adapters/ses-mailer';
import { ensureTable, type RunningService, startDynalite } from '../../local/embedded-services';
import { sesEvent } from '../fixtures/ses-events';

/**
 * The exactly-once witness end to end on a real DynamoDB protocol: SES events recorded by the recorder are what
 * SesMailer.wasSent reads, whatever order EventBridge delivers them in and however often.
 */
const TABLE = 'notice-portal-witness';
let dataDir: string;
let dynamodb: RunningService;
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let mailer: SesMailer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'email-witness-'));
  dynamodb = await startDynalite(join(dataDir, 'dynamodb'), 0);
  client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, TABLE);
  doc = DynamoDBDocumentClient.from(client);
  const unusedSes = { send: () => Promise.reject(new Error('SES is not part of this test')) } as unknown as SESv2Client;
  mailer = new SesMailer({
    ses: unusedSes,
    doc,
    tableName: TABLE,
    sender: 'notices@regulator.example',
    configurationSet: 'NoticePortalReminders',
  });
});

afterAll(async () => {
  client.destroy();
  await dynamodb.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

let sequence = 0;
/** A reminder id of the real shape, unique per test so the tests share the table without interfering. */
const newReminderId = () => `rmd_${String(++sequence).padStart(32, '0')}`;

async function stored(id: string): Promise<Record<string, any>> {
  const { Item } = await doc.send(
    new GetCommand({ TableName: TABLE, Key: emailDeliveryKey(id), ConsistentRead: true }),
  );
  if (!Item) throw new Error(`no delivery record for ${id}`);
  return Item;
}

it('flips wasSent from false to true once the Send event is recorded', async () => {
  // Prepare
  const id = newReminderId();
  const before = await mailer.wasSent(id);

  // Act
  await recordDelivery(doc, TABLE, sesEvent({ eventType: 'Send', emailId: id }));

  // Assess
  expect(before).toBe(false);
  expect(await mailer.wasSent(id)).toBe(true);
});

it('records the same event delivered twice exactly as if it came once', async () => {
  // Prepare
  const id = newReminderId();
  const send = sesEvent({ eventType: 'Send', emailId: id, sentAt: '2026-03-02T22:00:00.512Z' });
  await recordDelivery(doc, TABLE, send, () => new Date('2026-03-02T22:00:01.000Z'));
  const once = await stored(id);

  // Act
  await recordDelivery(doc, TABLE, send, () => new Date('2026-03-02T22:05:00.000Z'));

  // Assess
  expect(await stored(id)).toEqual(once);
  expect(once).toMatchObject({
    emailId: id,
    firstSeenAt: '2026-03-02T22:00:01.000Z',
    lastSendAt: '2026-03-02T22:00:00.512Z',
    eventTypes: new Set(['Send']),
  });
  expect(await mailer.wasSent(id)).toBe(true);
});

it('accepts a Delivery that overtook its Send and ends in the same state as in order', async () => {
  // Prepare: the same two events for two reminders, one pair delivered in order and one reversed
  const inOrder = newReminderId();
  const reversed = newReminderId();
  const events = (id: string) => ({
    send: sesEvent({ eventType: 'Send', emailId: id, sentAt: '2026-03-02T22:00:00.512Z' }),
    delivery: sesEvent({
      eventType: 'Delivery',
      emailId: id,
      sentAt: '2026-03-02T22:00:00.512Z',
      at: '2026-03-02T22:00:02.385Z',
    }),
  });
  const now = () => new Date('2026-03-02T22:00:03.000Z');
  await recordDelivery(doc, TABLE, events(inOrder).send, now);
  await recordDelivery(doc, TABLE, events(inOrder).delivery, now);

  // Act
  await recordDelivery(doc, TABLE, events(reversed).delivery, now);
  const afterDeliveryOnly = await mailer.wasSent(reversed);
  await recordDelivery(doc, TABLE, events(reversed).send, now);

  // Assess
  expect(afterDeliveryOnly).toBe(true);
  const { pk: _a, emailId: _b, ...expected } = await stored(inOrder);
  const { pk: _c, emailId: _d, ...actual } = await stored(reversed);
  expect(actual).toEqual(expected);
  expect(actual).toMatchObject({
    lastSendAt: '2026-03-02T22:00:00.512Z',
    lastDeliveryAt: '2026-03-02T22:00:02.385Z',
    eventTypes: new Set(['Send', 'Delivery']),
  });
});

it('keeps the latest time of a type when an older event of that type arrives last', async () => {
  // Prepare
  const id = newReminderId();
  const later = sesEvent({ eventType: 'DeliveryDelay', emailId: id, at: '2026-03-02T23:00:00.000Z' });
  const earlier = sesEvent({ eventType: 'DeliveryDelay', emailId: id, at: '2026-03-02T22:30:00.000Z' });

  // Act
  await recordDelivery(doc, TABLE, later);
  await recordDelivery(doc, TABLE, earlier);

  // Assess
  expect((await stored(id)).lastDeliveryDelayAt).toBe('2026-03-02T23:00:00.000Z');
});

it('exposes a duplicate send: a second SES message with the same id is added to messageIds', async () => {
  // Prepare
  const id = newReminderId();
  const first = sesEvent({
    eventType: 'Send',
    emailId: id,
    messageId: 'first-ses-message',
    sentAt: '2026-03-02T22:00:00.000Z',
  });
  const second = sesEvent({
    eventType: 'Send',
    emailId: id,
    messageId: 'second-ses-message',
    sentAt: '2026-03-02T21:59:59.000Z',
  });

  // Act: the second arrives last although it is older, so only its set members are added
  await recordDelivery(doc, TABLE, first);
  await recordDelivery(doc, TABLE, second);

  // Assess
  expect((await stored(id)).messageIds).toEqual(new Set(['first-ses-message', 'second-ses-message']));
});

it('writes nothing for an event without our tag', async () => {
  const result = await recordDelivery(doc, TABLE, sesEvent({ eventType: 'Send', messageId: 'untagged-message' }));

  expect(result).toMatchObject({ recorded: false, messageId: 'untagged-message' });
});
