import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { emailDeliveryKey, SesMailer } from '../../lambdas/adapters/ses-mailer';
import type { OutgoingEmail } from '../../lambdas/domain/mailer';

const TABLE = 'notice-portal-test';
const REMINDER_ID = 'rmd_0123456789abcdef0123456789abcdef';

/** A stand-in for an AWS client: records every command and answers with `reply`. */
function recordingClient<T>(reply: (command: unknown) => unknown) {
  const commands: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      commands.push(command);
      return reply(command);
    },
  } as unknown as T;
  return { client, commands };
}

function mailerWith(options: { messageId?: string; item?: Record<string, unknown> } = {}) {
  const ses = recordingClient<SESv2Client>(() => ({ MessageId: options.messageId ?? 'ses-message-1' }));
  const doc = recordingClient<DynamoDBDocumentClient>(() => ({ Item: options.item }));
  const mailer = new SesMailer({
    ses: ses.client,
    doc: doc.client,
    tableName: TABLE,
    sender: 'notices@regulator.example',
    configurationSet: 'NoticePortalReminders',
  });
  return { mailer, sesCommands: ses.commands, docCommands: doc.commands };
}

const reminder = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  id: REMINDER_ID,
  noticeId: 'ntc_01JQ3Z5X8W6V4T2R0P9N7M5K3H',
  to: ['legal@x-corp.example', 'compliance@x-corp.example'],
  subject: 'Reminder: Transparency notice is due 3 March 2026, 23:59 (Sydney)',
  text: 'This is a reminder that the notice … is due — réponse attendue.',
  ...overrides,
});

describe('SesMailer.send', () => {
  it('sends a plain-text UTF-8 message through the configuration set, tagged with the e-mail id', async () => {
    // Prepare
    const { mailer, sesCommands } = mailerWith({ messageId: '0100019abc-example-000000' });

    // Act
    const result = await mailer.send(reminder());

    // Assess
    expect(result).toEqual({ transportId: '0100019abc-example-000000' });
    expect(sesCommands).toHaveLength(1);
    expect(sesCommands[0]).toBeInstanceOf(SendEmailCommand);
    expect((sesCommands[0] as SendEmailCommand).input).toEqual({
      FromEmailAddress: 'notices@regulator.example',
      Destination: { ToAddresses: ['legal@x-corp.example', 'compliance@x-corp.example'] },
      Content: {
        Simple: {
          Subject: { Data: reminder().subject, Charset: 'UTF-8' },
          Body: { Text: { Data: reminder().text, Charset: 'UTF-8' } },
        },
      },
      ConfigurationSetName: 'NoticePortalReminders',
      EmailTags: [{ Name: 'emailId', Value: REMINDER_ID }],
    });
  });

  it('refuses a message without recipients and does not call SES', async () => {
    const { mailer, sesCommands } = mailerWith();

    await expect(mailer.send(reminder({ to: [] }))).rejects.toThrow(`E-mail ${REMINDER_ID} has no recipients`);

    expect(sesCommands).toEqual([]);
  });

  it('refuses more recipients than SES accepts in one message', async () => {
    const { mailer, sesCommands } = mailerWith();
    const to = Array.from({ length: 51 }, (_, i) => `person${i}@x-corp.example`);

    await expect(mailer.send(reminder({ to }))).rejects.toThrow(/51 recipients; SES accepts at most 50/);

    expect(sesCommands).toEqual([]);
  });

  it.each([['rmd 01'], ['rmd/01'], ['rmd#01'], [''], ['ü'], ['x'.repeat(257)]])(
    'refuses id %j, which SES cannot carry as a tag value',
    async (id) => {
      const { mailer, sesCommands } = mailerWith();

      await expect(mailer.send(reminder({ id }))).rejects.toThrow(/cannot be an SES message tag value/);

      expect(sesCommands).toEqual([]);
    },
  );

  it('accepts every character SES allows in a tag value', async () => {
    const { mailer, sesCommands } = mailerWith();

    await mailer.send(reminder({ id: 'esc_AZ-az.09@officer' }));

    expect((sesCommands[0] as SendEmailCommand).input.EmailTags).toEqual([
      { Name: 'emailId', Value: 'esc_AZ-az.09@officer' },
    ]);
  });

  it('fails loudly if SES returns no message id', async () => {
    const ses = recordingClient<SESv2Client>(() => ({}));
    const mailer = new SesMailer({
      ses: ses.client,
      doc: recordingClient<DynamoDBDocumentClient>(() => ({})).client,
      tableName: TABLE,
      sender: 'notices@regulator.example',
      configurationSet: 'NoticePortalReminders',
    });

    await expect(mailer.send(reminder())).rejects.toThrow(/returned no MessageId/);
  });
});

describe('SesMailer.wasSent', () => {
  it('reads the delivery record strongly consistently under the shared key', async () => {
    // Prepare
    const { mailer, docCommands } = mailerWith();

    // Act
    await mailer.wasSent(REMINDER_ID);

    // Assess
    expect(docCommands).toHaveLength(1);
    expect(docCommands[0]).toBeInstanceOf(GetCommand);
    expect((docCommands[0] as GetCommand).input).toEqual({
      TableName: TABLE,
      Key: { pk: `EMAIL#${REMINDER_ID}`, sk: 'DELIVERY' },
      ConsistentRead: true,
    });
    expect(emailDeliveryKey(REMINDER_ID)).toEqual({ pk: `EMAIL#${REMINDER_ID}`, sk: 'DELIVERY' });
  });

  it('says not sent when SES has witnessed nothing for the id', async () => {
    const { mailer } = mailerWith({ item: undefined });

    expect(await mailer.wasSent(REMINDER_ID)).toBe(false);
  });

  it('says sent once a Send event was recorded', async () => {
    const { mailer } = mailerWith({
      item: { ...emailDeliveryKey(REMINDER_ID), emailId: REMINDER_ID, eventTypes: new Set(['Send']) },
    });

    expect(await mailer.wasSent(REMINDER_ID)).toBe(true);
  });

  it('says sent when only a later event (a Delivery that overtook its Send) was recorded', async () => {
    const { mailer } = mailerWith({
      item: { ...emailDeliveryKey(REMINDER_ID), emailId: REMINDER_ID, eventTypes: new Set(['Delivery']) },
    });

    expect(await mailer.wasSent(REMINDER_ID)).toBe(true);
  });

  it('says not sent when the only event is a rendering failure, after which SES sent nothing', async () => {
    const { mailer } = mailerWith({
      item: { ...emailDeliveryKey(REMINDER_ID), emailId: REMINDER_ID, eventTypes: new Set(['Rendering Failure']) },
    });

    expect(await mailer.wasSent(REMINDER_ID)).toBe(false);
  });

  it('refuses an id that could never have been tagged', async () => {
    const { mailer, docCommands } = mailerWith();

    await expect(mailer.wasSent('rmd 01')).rejects.toThrow(/cannot be an SES message tag value/);

    expect(docCommands).toEqual([]);
  });
});
