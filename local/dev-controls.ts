import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { OutboxMailer } from '../lambdas/adapters/outbox-mailer';
import { advanceDevClock, devClockState } from './dev-clock';
import { writeJson } from './http-adapter';
import { parseJson } from './json-body';

/** Local-only controls (clock, outbox, reminder and checkpoint runs); none of them exists in the deployed API. */
export const DEV_PREFIX = '/dev';

/**
 * - `GET /dev/clock` → the portal's clock; `POST /dev/clock` `{"days": 21, "hours": 0, "minutes": 0}` moves it
 *   forward (never back, not even across a restart: see dev-clock.ts), so deadlines and reminders can be walked
 *   through in seconds.
 * - `GET /dev/outbox` → every e-mail the portal has sent, oldest first.
 * - `POST /dev/reminders/run` → runs the reminder handler now and returns its report.
 * - `POST /dev/checkpoints/run` → runs the checkpoint handler now and returns its report.
 */
export async function serveDevControls(
  method: string | undefined,
  url: URL,
  body: Buffer,
  response: ServerResponse,
  context: {
    outbox: OutboxMailer;
    runReminders?: () => Promise<unknown>;
    runCheckpoint?: () => Promise<unknown>;
    clockFile: string;
  },
): Promise<void> {
  const path = url.pathname.slice(DEV_PREFIX.length);
  if (path === '/clock' && method === 'GET') return writeJson(response, 200, devClockState());
  if (path === '/clock' && method === 'POST') {
    const parsed = ClockAdvanceSchema.safeParse(parseJson(body));
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      return writeJson(response, 400, {
        error: { code: 'validation-failed', message: 'Give days, hours and/or minutes to move forward.', issues },
      });
    }
    const { days = 0, hours = 0, minutes = 0 } = parsed.data;
    // Kept in DATA_DIR before the answer, so a restart right after it cannot go back.
    advanceDevClock(context.clockFile, ((days * 24 + hours) * 60 + minutes) * 60_000);
    return writeJson(response, 200, devClockState());
  }
  if (path === '/outbox' && method === 'GET') return writeJson(response, 200, { items: await context.outbox.list() });
  if (path === '/reminders/run' && method === 'POST' && context.runReminders) {
    return writeJson(response, 200, await context.runReminders());
  }
  if (path === '/checkpoints/run' && method === 'POST' && context.runCheckpoint) {
    return writeJson(response, 200, await context.runCheckpoint());
  }
  writeJson(response, 404, { error: { code: 'not-found', message: `No route ${method} ${url.pathname}.` } });
}

const ClockAdvanceSchema = z
  .object({
    days: z.number().int().min(0).max(3650).optional(),
    hours: z.number().int().min(0).max(87_600).optional(),
    minutes: z.number().int().min(0).max(525_600).optional(),
  })
  .strict();
