/**
 * What EventBridge schedules on AWS, run in-process on intervals: projection repair, pending verification and the
 * evidence bundle sweep (every `repairIntervalMs`), the reminder run and the checkpoint run. The handler modules are loaded here, so make and start this
 * only once the environment they read is in place.
 */
export class BackgroundJobs {
  private readonly pending = new PendingVerificationRuns();
  private repairTimer: NodeJS.Timeout | undefined;
  private reminderTimer: NodeJS.Timeout | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  /** Checkpoint runs under way: `stop` waits for them, so none meets a store that has gone. */
  private readonly checkpointRuns = new Set<Promise<unknown>>();
  /** Runs the reminder handler now; undefined until started. */
  runReminders: (() => Promise<unknown>) | undefined;
  /** Runs the checkpoint handler now; undefined until started. */
  runCheckpoint: (() => Promise<unknown>) | undefined;

  start(intervals: { repairIntervalMs: number; reminderIntervalMs: number; checkpointIntervalMs: number }): void {
    // Work a previous run left behind (killed mid-verification, an event lost while it was down) is picked up now.
    this.pending.request();
    const repair = require('../lambdas/handlers/repair-projections') as {
      handler: (event?: { minimumAgeMs: number }) => Promise<unknown>;
    };
    // So is a change committed but not projected (killed between the two): no request of this process can be
    // writing yet, so nothing is too young to finish. Left to the schedule, a list would show the old status for
    // up to two minutes (work younger than a minute waits for the next run).
    this.startupRepair = repair
      .handler({ minimumAgeMs: 0 })
      .catch((error) => process.stderr.write(`projection repair failed: ${error}\n`));
    this.bundleBuilder = require('../lambdas/handlers/build-evidence-bundle') as { handler: () => Promise<unknown> };
    this.repairTimer = setInterval(() => {
      repair.handler().catch((error) => process.stderr.write(`projection repair failed: ${error}\n`));
      this.pending.request();
      this.sweepBundles();
    }, intervals.repairIntervalMs);
    this.repairTimer.unref();
    // Builds a previous process left unfinished, once their lease has ended (a later interval, if not yet).
    void this.sweepBundles();
    const reminderModule = require('../lambdas/handlers/run-reminders') as { handler: () => Promise<unknown> };
    this.runReminders = reminderModule.handler;
    if (intervals.reminderIntervalMs > 0) {
      this.reminderTimer = setInterval(() => {
        reminderModule.handler().catch((error) => process.stderr.write(`reminder run failed: ${error}\n`));
      }, intervals.reminderIntervalMs);
      this.reminderTimer.unref();
    }
    const checkpointModule = require('../lambdas/handlers/run-checkpoint') as { handler: () => Promise<unknown> };
    this.runCheckpoint = checkpointModule.handler;
    if (intervals.checkpointIntervalMs > 0) {
      const runCheckpoint = () => {
        const run = checkpointModule
          .handler()
          .catch((error) => process.stderr.write(`checkpoint run failed: ${error}\n`))
          .finally(() => this.checkpointRuns.delete(run));
        this.checkpointRuns.add(run);
      };
      // One run at start: it publishes the regulator key (and covers what changed while the portal was down).
      void runCheckpoint();
      // Runs may overlap (a slow one and the next tick): the runner is safe for that, as on AWS.
      this.checkpointTimer = setInterval(runCheckpoint, intervals.checkpointIntervalMs);
      this.checkpointTimer.unref();
    }
  }

  /**
   * Settles when the repair run at start has finished: the portal says it is ready only then, so its first answers
   * already see every change a killed process committed (and a caller's own writes never race that run).
   */
  async startupRepairDone(): Promise<void> {
    await this.startupRepair;
  }

  /** The repair run at start: `stop` waits for it, so it never meets a store that has gone. */
  private startupRepair: Promise<unknown> | undefined;
  private bundleBuilder: { handler: () => Promise<unknown> } | undefined;
  private bundleSweep: Promise<unknown> | undefined;

  /** Restarts, in the background, evidence bundle builds whose run died (one sweep at a time). */
  sweepBundles(): Promise<unknown> {
    if (this.pending.stopping || !this.bundleBuilder) return Promise.resolve();
    this.bundleSweep ??= this.bundleBuilder
      .handler()
      .catch((error) => process.stderr.write(`evidence bundle sweep failed: ${error}\n`))
      .finally(() => {
        this.bundleSweep = undefined;
      });
    return this.bundleSweep;
  }

  /** Asks for a pending-verification run now, in the background. */
  verifyPending(): void {
    this.pending.request();
  }

  /** Stops the timers and waits for a verification run that is hashing to finish (or fail). */
  async stop(): Promise<void> {
    this.pending.stopping = true;
    if (this.repairTimer) clearInterval(this.repairTimer);
    if (this.reminderTimer) clearInterval(this.reminderTimer);
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    await Promise.allSettled([...this.checkpointRuns, this.startupRepair]);
    await this.pending.running;
    await this.bundleSweep;
    const { inProcessBundleBuilds } =
      require('../lambdas/runtime/evidence-bundle-dependencies') as typeof import('../lambdas/runtime/evidence-bundle-dependencies');
    await inProcessBundleBuilds().settle();
  }
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
