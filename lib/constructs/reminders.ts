import { Duration, Stack, Token } from 'aws-cdk-lib';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigurationSet,
  type ConfigurationSetEventDestination,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EMAIL_PARTITION_PREFIX } from '../../lambdas/adapters/ses-mailer';
import { ENV } from '../../lambdas/config/env';
import { deadLetterQueue } from './dead-letter-queue';
import { type PortalSettings, portalEnvironment } from './function-environment';
import { handlerEntry, PortalFunction, type TableBinding } from './portal-function';

/**
 * The SES events the configuration set publishes, and the EventBridge `detail-type` of each (Amazon SES Developer
 * Guide, "Monitoring SES events using Amazon EventBridge"). Opens, clicks and subscriptions are left out: reminders
 * carry no tracking, and the witness only needs to know that SES accepted a message.
 */
export const PUBLISHED_EMAIL_EVENTS: ReadonlyArray<{ event: EmailSendingEvent; detailType: string }> = [
  { event: EmailSendingEvent.SEND, detailType: 'Email Sent' },
  { event: EmailSendingEvent.DELIVERY, detailType: 'Email Delivered' },
  { event: EmailSendingEvent.BOUNCE, detailType: 'Email Bounced' },
  { event: EmailSendingEvent.COMPLAINT, detailType: 'Email Complaint Received' },
  { event: EmailSendingEvent.REJECT, detailType: 'Email Rejected' },
  { event: EmailSendingEvent.RENDERING_FAILURE, detailType: 'Email Rendering Failed' },
  { event: EmailSendingEvent.DELIVERY_DELAY, detailType: 'Email Delivery Delayed' },
];

/** Props of {@link Reminders}. */
export interface RemindersProps {
  /** The notices table: notices to remind about, reminder claims, and the e-mail delivery records. */
  readonly data: TableBinding;
  /**
   * What every portal function is configured with (token issuer and audience, default time zone, deadline
   * jurisdiction), one object for the whole stack; see `portalEnvironment`.
   */
  readonly settings: PortalSettings;
  /**
   * The From address of every reminder. It (or its domain) must be a verified SES identity in the deployment's
   * account and region, and the account must be out of the SES sandbox to reach unverified recipients.
   */
  readonly senderAddress: string;
  /**
   * An extra address that receives every overdue escalation, besides the issuing officer.
   * @default - escalations go to the issuing officer only
   */
  readonly escalationEmail?: string;
  /**
   * How often the reminder run starts.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
  /**
   * How long the functions' logs are kept.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
}

/**
 * The reminder runtime: a scheduled run that claims, sends and records due reminders through SES, and the
 * independent witness of what SES accepted — an SES configuration set publishing its events to EventBridge and a
 * recorder function storing them in the table, which `SesMailer.wasSent` reads after a crashed run.
 */
export class Reminders extends Construct {
  /** Sends the reminders and escalations that are due. */
  public readonly runFunction: PortalFunction;
  /** Starts {@link runFunction} every `interval`. */
  public readonly schedule: Rule;
  /** Receives reminder runs that failed and schedule events EventBridge could not deliver. */
  public readonly runDeadLetterQueue: Queue;
  /** Every reminder is sent through this set; it publishes the SES events the witness is built from. */
  public readonly configurationSet: ConfigurationSet;
  /** Publishes the set's events to the default EventBridge bus. */
  public readonly eventDestination: ConfigurationSetEventDestination;
  /** Records SES events of the set in the table. */
  public readonly recorderFunction: PortalFunction;
  /** Routes the set's SES events to {@link recorderFunction}. */
  public readonly emailEventsRule: Rule;
  /** Receives SES events the recorder could not store, even after retries: replay them to restore the witness. */
  public readonly recorderDeadLetterQueue: Queue;

  public constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const sender = parseSender(this, props.senderAddress);
    const environment = portalEnvironment(props.settings);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Bounce and complaint rates in CloudWatch: SES pauses sending for an account whose rates stay high.
      reputationMetrics: true,
      // Reminders name legal notices and deadlines: never hand them to a recipient server over plain SMTP.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.eventDestination = this.configurationSet.addEventDestination('EventBridge', {
      // SES can only publish to the default bus.
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: PUBLISHED_EMAIL_EVENTS.map((e) => e.event),
    });

    // --- The reminder run -------------------------------------------------------------------------------------
    // The messages are scheduler events, no notice data: SQS-managed encryption is enough.
    this.runDeadLetterQueue = deadLetterQueue(this, 'RunDeadLetterQueue');
    this.runFunction = new PortalFunction(this, 'RunFunction', {
      entry: handlerEntry('run-reminders'),
      description: 'Sends the notice reminders and escalations that are due',
      environment: {
        ...environment,
        [ENV.mailTransport]: 'ses',
        [ENV.mailSender]: sender.address,
        [ENV.mailConfigurationSet]: this.configurationSet.configurationSetName,
        ...(props.escalationEmail ? { [ENV.escalationEmail]: props.escalationEmail } : {}),
      },
      // A run claims each reminder before sending it, so a slow run and the next one never send the same reminder.
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
      // No Lambda retry: a run is idempotent and the next scheduled run picks up whatever this one missed (an
      // expired claim is checked against the SES witness before sending again). A failed run is still recorded
      // in the dead-letter queue, so a run that keeps failing is visible.
      retryAttempts: 0,
      deadLetterQueue: this.runDeadLetterQueue,
    });
    this.runFunction.bindTable(props.data, 'read-write');
    this.runFunction.addToRolePolicy(sendEmailStatement(stack, sender, this.configurationSet.configurationSetName));

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Starts the notice reminder run',
      schedule: Schedule.rate(props.interval ?? Duration.minutes(5)),
      // Schedule events EventBridge could not deliver at all land in the same queue as failed runs.
      targets: [new LambdaFunction(this.runFunction, { deadLetterQueue: this.runDeadLetterQueue, retryAttempts: 2 })],
    });

    // --- The SES witness --------------------------------------------------------------------------------------
    const witness = addDeliveryWitness(this, props, environment, this.configurationSet.configurationSetName);
    this.recorderDeadLetterQueue = witness.deadLetterQueue;
    this.recorderFunction = witness.recorderFunction;
    this.emailEventsRule = witness.emailEventsRule;
  }
}

/**
 * The recorder of SES sending events (the witness that a reminder was sent), the rule that routes the
 * configuration set's events to it, and the queue for events it could not store.
 */
function addDeliveryWitness(
  scope: Construct,
  props: RemindersProps,
  environment: Record<string, string>,
  configurationSetName: string,
): { deadLetterQueue: Queue; recorderFunction: PortalFunction; emailEventsRule: Rule } {
  // The messages are SES events: recipient addresses and subjects, so they are encrypted, as the table is.
  const recorderDeadLetterQueue = deadLetterQueue(scope, 'RecorderDeadLetterQueue');
  const recorderFunction = new PortalFunction(scope, 'RecorderFunction', {
    entry: handlerEntry('record-email-delivery'),
    description: 'Records SES sending events of reminders: the witness that a reminder was sent',
    environment,
    logRetention: props.logRetention,
    // Recording is idempotent, so retries are safe; a lost event would let a crashed run send a reminder twice.
    retryAttempts: 2,
    deadLetterQueue: recorderDeadLetterQueue,
  });
  // Only the delivery records: the recorder reads nothing and cannot change a notice.
  recorderFunction.bindTableUpdates(props.data, EMAIL_PARTITION_PREFIX);

  const emailEventsRule = new Rule(scope, 'EmailEvents', {
    description: 'Routes SES sending events of the reminder configuration set to the delivery recorder',
    eventPattern: {
      source: ['aws.ses'],
      detailType: PUBLISHED_EMAIL_EVENTS.map((e) => e.detailType),
      // Every event SES publishes carries the configuration set among the message tags; other mail sent from
      // the account (other sets, or none) never reaches the recorder.
      detail: { mail: { tags: { 'ses:configuration-set': [configurationSetName] } } },
    },
    // EventBridge's own retry policy (up to 24 hours) covers throttling; events it still cannot deliver are kept.
    targets: [new LambdaFunction(recorderFunction, { deadLetterQueue: recorderDeadLetterQueue })],
  });
  return { deadLetterQueue: recorderDeadLetterQueue, recorderFunction, emailEventsRule };
}

/** Sending reminders: SES authorizes SendEmail on the sending identity and on the configuration set. */
function sendEmailStatement(
  stack: Stack,
  sender: { address: string; domain: string },
  configurationSetName: string,
): PolicyStatement {
  return new PolicyStatement({
    // SESv2 SendEmail with Simple content needs ses:SendEmail only (ses:SendRawEmail is for Raw content).
    actions: ['ses:SendEmail'],
    resources: [
      // Whichever of the address or its domain is the verified identity; the condition pins the address.
      identityArn(stack, sender.address),
      identityArn(stack, sender.domain),
      stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: configurationSetName }),
    ],
    conditions: { StringEquals: { 'ses:FromAddress': sender.address } },
  });
}

function identityArn(stack: Stack, identity: string): string {
  return stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
}

function parseSender(scope: Construct, address: string): { address: string; domain: string } {
  if (Token.isUnresolved(address)) {
    throw new Error(`${scope.node.path}: senderAddress must be a literal address, not a token`);
  }
  const domain = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(address)?.[1];
  if (domain === undefined) throw new Error(`${scope.node.path}: senderAddress "${address}" is not an e-mail address`);
  return { address, domain: domain.toLowerCase() };
}
