import type { BundleBuildTrigger, BundleRef } from '../domain/evidence-bundle';

/**
 * The local portal's builder: the same handler as on AWS, run in this process in the background. The portal hands
 * it the handler (`runWith`) once the handlers are loaded; the runtime cannot load it itself, which would be a cycle.
 */
export class InProcessBundleBuilds implements BundleBuildTrigger {
  private readonly running = new Set<Promise<unknown>>();
  private run: ((ref: BundleRef) => Promise<unknown>) | undefined;

  constructor(private readonly onError: (error: unknown) => void) {}

  runWith(run: (ref: BundleRef) => Promise<unknown>): void {
    this.run = run;
  }

  async start(ref: BundleRef): Promise<void> {
    const run = this.run;
    // No builder yet (a handler used outside the portal): the record's lease ends and the sweep builds it.
    if (!run) return;
    // Not awaited: the request answers 202 while the build goes on, as with an asynchronous invocation.
    const build = run(ref)
      .catch(this.onError)
      .finally(() => this.running.delete(build));
    this.running.add(build);
  }

  /** Waits for the builds under way, so the local portal stops only once they are done with its servers. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
