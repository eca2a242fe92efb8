import * as z from '../domain/zod';
import { once } from '../runtime/once';
import { ENV, parseEnvironment, requiredWhen } from './env';

/** How reminders and escalations are sent. */
export type MailConfig =
  | { transport: 'ses'; sender: string; configurationSet: string; escalationEmail?: string }
  | { transport: 'outbox'; sender: string; outboxDir: string; escalationEmail?: string };

const MailEnv = z.object({
  // No defaults: a deployed function must never fall back to writing mail into a folder (fail closed).
  [ENV.mailTransport]: z.enum(['ses', 'outbox']),
  [ENV.mailSender]: z.email(),
  [ENV.mailConfigurationSet]: z.optional(z.string().check(z.minLength(1))),
  [ENV.outboxDir]: z.optional(z.string().check(z.minLength(1))),
  [ENV.escalationEmail]: z.optional(z.email()),
});

export function parseMailConfig(env: NodeJS.ProcessEnv): MailConfig {
  const e = parseEnvironment(MailEnv, env);
  const common = { sender: e[ENV.mailSender], escalationEmail: e[ENV.escalationEmail] };
  if (e[ENV.mailTransport] === 'outbox') {
    const outboxDir = e[ENV.outboxDir];
    if (!outboxDir) throw requiredWhen(ENV.outboxDir, `${ENV.mailTransport}=outbox`);
    return { transport: 'outbox', outboxDir, ...common };
  }
  const configurationSet = e[ENV.mailConfigurationSet];
  if (!configurationSet) throw requiredWhen(ENV.mailConfigurationSet, `${ENV.mailTransport}=ses`);
  return { transport: 'ses', configurationSet, ...common };
}

/** The mail settings of this process, parsed on first use. */
export const mailConfig = once(() => parseMailConfig(process.env));
