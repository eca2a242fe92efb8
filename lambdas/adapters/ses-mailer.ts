import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Mailer, OutgoingEmail } from '../domain/mailer';

/**
 * The message tag that carries our id through SES. SES event publishing copies every message tag into each event
 * (`detail.mail.tags.emailId: [id]`), which is how the recorder (handlers/record-email-delivery.ts) ties an SES
 * event back to the reminder that caused it.
 */
export const EMAIL_ID_TAG = 'emailId';

/** SES accepts message tag values of at most 256 characters from this alphabet, and nothing else. */
const SES_TAG_VALUE = /^[A-Za-z0-9_\-.@]{1,256}$/;

/** SES refuses a message with more than 50 recipients (To, Cc and Bcc together). */
const MAX_RECIPIENTS = 50;

/**
 * SES event types that prove SES accepted the message. Everything SES publishes except a rendering failure (which
 * only templated sends produce, and which means nothing was sent) happens after acceptance: a Reject, too, is a
 * message SES took and then refused to deliver, and sending it again would not be "once".
 */
const NOT_ACCEPTED = new Set(['Rendering Failure', 'RenderingFailure']);

/** Whether `id` can travel as an SES message tag value (and so be witnessed by SES events). */
export function isValidEmailId(id: string): boolean {
  return SES_TAG_VALUE.test(id);
}

function assertValidEmailId(id: string): void {
  if (!isValidEmailId(id)) {
    throw new Error(
      `E-mail id ${JSON.stringify(id)} cannot be an SES message tag value: use 1-256 characters of A-Z a-z 0-9 _ - . @`,
    );
  }
}

/** Partition keys of e-mail delivery records start with this; the recorder's IAM grant is limited to them. */
export const EMAIL_PARTITION_PREFIX = 'EMAIL#';

/** The table key of the delivery record of e-mail `id`; shared by the mailer (reads) and the recorder (writes). */
export function emailDeliveryKey(id: string): { pk: string; sk: string } {
  return { pk: `${EMAIL_PARTITION_PREFIX}${id}`, sk: 'DELIVERY' };
}

/** The delivery record the recorder keeps per e-mail id (besides the key). */
export interface EmailDeliveryRecord {
  emailId: string;
  /** SES message ids (what `send` returned as `transportId`) carrying this id: more than one means a duplicate. */
  messageIds: Set<string>;
  /** When the recorder first saw any event of this message. */
  firstSeenAt: string;
  /** Every SES event type seen for the message, e.g. `Send`, `Delivery`. */
  eventTypes: Set<string>;
  /** `lastSendAt`, `lastDeliveryAt`, …: the latest occurrence of each event type (ISO 8601, milliseconds). */
  [latest: `last${string}At`]: string;
}

/** Props of {@link SesMailer}. */
export interface SesMailerProps {
  ses: SESv2Client;
  /** Reads the delivery records written by the recorder. */
  doc: DynamoDBDocumentClient;
  tableName: string;
  /** The From address; an SES-verified identity (address or its domain). */
  sender: string;
  /** The configuration set whose EventBridge destination feeds the recorder. */
  configurationSet: string;
}

/**
 * Sends through SES v2 and answers `wasSent` from an independent witness: SES publishes a `Send` event (with our
 * `emailId` tag) to EventBridge once it has accepted a message, and the recorder stores it under
 * {@link emailDeliveryKey}. So a reminder run that crashed between sending and recording its own claim can ask
 * before sending again. The witness lags the send by the event delivery time (usually seconds) and is best-effort
 * on AWS's side, so callers must only ask after a claim's lease has expired, not right after sending.
 */
export class SesMailer implements Mailer {
  constructor(private readonly props: SesMailerProps) {}

  async send(email: OutgoingEmail): Promise<{ transportId: string }> {
    assertValidEmailId(email.id);
    if (email.to.length === 0) {
      throw new Error(`E-mail ${email.id} has no recipients; SES was not called`);
    }
    if (email.to.length > MAX_RECIPIENTS) {
      throw new Error(`E-mail ${email.id} has ${email.to.length} recipients; SES accepts at most ${MAX_RECIPIENTS}`);
    }
    const result = await this.props.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.props.sender,
        Destination: { ToAddresses: [...email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: email.text, Charset: 'UTF-8' } },
          },
        },
        ConfigurationSetName: this.props.configurationSet,
        EmailTags: [{ Name: EMAIL_ID_TAG, Value: email.id }],
      }),
    );
    if (!result.MessageId) throw new Error(`SES accepted e-mail ${email.id} but returned no MessageId`);
    return { transportId: result.MessageId };
  }

  async wasSent(id: string): Promise<boolean> {
    assertValidEmailId(id);
    const { Item } = await this.props.doc.send(
      new GetCommand({ TableName: this.props.tableName, Key: emailDeliveryKey(id), ConsistentRead: true }),
    );
    if (!Item) return false;
    const types = (Item as Partial<EmailDeliveryRecord>).eventTypes;
    // A record always carries at least one type; one holding only a rendering failure was never sent.
    return types === undefined || [...types].some((type) => !NOT_ACCEPTED.has(type));
  }
}
