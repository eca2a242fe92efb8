import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { OutboxMailer } from '../adapters/outbox-mailer';
import { SesMailer } from '../adapters/ses-mailer';
import type { Mailer } from '../domain/mailer';
import { ReminderRunner } from '../domain/reminder-runner';
import { now } from './clock';
import { dependencies } from './dependencies';

/**
 * What only the reminder run needs: the mail transport and the runner. Kept out of `dependencies.ts` so the API
 * functions' bundles do not carry the SES client.
 */
let built: { mailer: Mailer; reminders: ReminderRunner } | undefined;

export function reminderDependencies(): { mailer: Mailer; reminders: ReminderRunner } {
  if (built) return built;
  const { config, store, doc } = dependencies();
  const mail = config.mail;
  const mailer: Mailer =
    mail.transport === 'ses'
      ? new SesMailer({
          ses: new SESv2Client({}),
          doc,
          tableName: config.tableName,
          sender: mail.sender,
          configurationSet: mail.configurationSet,
        })
      : new OutboxMailer(mail.outboxDir, mail.sender, now);
  const reminders = new ReminderRunner({
    store,
    mailer,
    clock: now,
    newRunId: randomUUID,
    escalationEmail: mail.escalationEmail,
  });
  built = { mailer, reminders };
  return built;
}
