/**
 * What EventBridge schedules on AWS, run in-process on intervals: projection repair and pending verification
 * (every `repairIntervalMs`), and the reminder run. The handler modules are loaded here, so call this only once the
 * environment they read is in place.
 */
export interface BackgroundJobs {
  /** Asks for a pending-verification run now, in the background. */
  verifyPending(): void;
  runReminders(): Promise<unknown>;
  /** Stops the timers and waits for a verification run that is hashing to finish (or fail). */
  stop(): Promise<void>;
}

export function startBackgroundJobs(intervals: {
  repairIntervalMs: number;
  reminderIntervalMs: number;
}): BackgroundJobs {
  const pending = new PendingVerificationRuns();
  // Work a previous run left behind (killed mid-verification, an event lost while it was down) is picked up now.
  pending.request();
  const repair = require('../lambdas/handlers/repair-projections') as { handler: () => Promise<unknown> };
  const repairTimer = setInterval(() => {
    repair.handler().catch((error) => process.stderr.write(`projection repair failed: ${error}\n`));
    pending.request();
  }, intervals.repairIntervalMs);
  repairTimer.unref();
  const reminderModule = require('../lambdas/handlers/run-reminders') as { handler: () => Promise<unknown> };
  let reminderTimer: NodeJS.Timeout | undefined;
  if (intervals.reminderIntervalMs > 0) {
    reminderTimer = setInterval(() => {
      reminderModule.handler().catch((error) => process.stderr.write(`reminder run failed: ${error}\n`));
    }, intervals.reminderIntervalMs);
    reminderTimer.unref();
  }
  return {
    verifyPending: () => pending.request(),
    runReminders: reminderModule.handler,
    stop: async () => {
      pending.stopping = true;
      clearInterval(repairTimer);
      if (reminderTimer) clearInterval(reminderTimer);
      await pending.running;
    },
  };
}

/**
 * One pending-verification run at a time; a request for another while one runs makes it go round once more when it
 * ends. Locally every hasher is in this process, so no work is left to anyone else: minimum age 0.
 */
class PendingVerificationRuns {
  stopping = false;
  running: Promise<void> | undefined;
  private again = false;
  private readonly verifier = require('../lambdas/handlers/verify-pending-submissions') as {
    handler: (event: { minimumAgeMs: number }) => Promise<unknown>;
  };

  request(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.verifier
          .handler({ minimumAgeMs: 0 })
          .catch((error) => process.stderr.write(`pending verification failed: ${error}\n`));
      } while (this.again && !this.stopping);
    })().finally(() => {
      this.running = undefined;
    });
  }
}
