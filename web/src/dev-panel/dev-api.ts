import { z } from 'zod';

/**
 * The local portal's development controls (local/dev-controls.ts). They sit at the portal's root, not under /api,
 * take no token (they exist only on a laptop) and are not in the OpenAPI document, so their answers are checked
 * here with zod rather than typed from the generated schema.
 */
export const ClockSchema = z.object({ now: z.string(), offsetMs: z.number() });
export const OutboxSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      noticeId: z.string(),
      to: z.array(z.string()),
      from: z.string(),
      subject: z.string(),
      text: z.string(),
      acceptedAt: z.string(),
    }),
  ),
});
export type OutboxMessage = z.infer<typeof OutboxSchema>['items'][number];

async function call<T>(path: string, schema: z.ZodType<T>, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
    throw new Error(message ?? `The portal answered ${response.status}.`);
  }
  return schema.parse(body);
}

export const getClock = () => call('/dev/clock', ClockSchema);
/** Moves the clock forward by `minutes` (split into days, hours and minutes: each has its own limit there). */
export const advanceClock = (minutes: number) => {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  return call('/dev/clock', ClockSchema, {
    method: 'POST',
    body: JSON.stringify({ days, hours, minutes: minutes % 60 }),
  });
};
export const getOutbox = () => call('/dev/outbox', OutboxSchema);
export const runReminders = () => call('/dev/reminders/run', z.unknown(), { method: 'POST', body: '{}' });
