import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { OutboxMailer } from '../adapters/outbox-mailer';
import { SesMailer } from '../adapters/ses-mailer';
import { mailConfig } from '../config/mail';
import { sdkClientConfig } from '../config/sdk-clients';
import type { Mailer } from '../domain/mailer';
import { ReminderRunner } from '../domain/reminder-runner';
import { traced } from '../observability/tracer';
import { now } from './clock';
import { once } from './once';
import { reminderStore, table } from './stores';

/**
 * What only the reminder run needs: the mail transport and the runner. Kept out of the API functions' wiring so
 * their bundles do not carry the SES client.
 */
const mailer = once((): Mailer => {
  const mail = mailConfig();
  return mail.transport === 'ses'
    ? new SesMailer({
        ses: traced(new SESv2Client(sdkClientConfig('ses'))),
        ...table(),
        sender: mail.sender,
        configurationSet: mail.configurationSet,
      })
    : new OutboxMailer(mail.outboxDir, mail.sender, now);
});

export const reminderRunner = once(
  (): ReminderRunner =>
    new ReminderRunner({
      store: reminderStore(),
      mailer: mailer(),
      clock: now,
      newRunId: randomUUID,
      escalationEmail: mailConfig().escalationEmail,
    }),
);
