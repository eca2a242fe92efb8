import { InvokeCommand, LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { sdkClientConfig } from '../config/sdk-clients';
import type { BundleBuildTrigger, BundleRef } from '../domain/evidence-bundle';

/**
 * Starts a build by invoking the builder Lambda asynchronously (`InvocationType: Event`: Lambda queues the event
 * and answers 202 at once), so the request returns while the build goes on for up to the builder's 15 minutes.
 */
export class LambdaEventTrigger implements BundleBuildTrigger {
  private readonly lambda: LambdaClient;

  constructor(
    private readonly functionName: string,
    region: string,
    credentials?: LambdaClientConfig['credentials'],
    endpoint?: string,
    /** Wraps the client once it is built (the runtime passes its X-Ray instrumentation). */
    instrument: (client: LambdaClient) => LambdaClient = (client) => client,
  ) {
    // One attempt (sdk-clients.ts): a start that fails is reported, and the sweep builds the bundle when its lease ends.
    this.lambda = instrument(new LambdaClient({ ...sdkClientConfig('lambda'), region, credentials, endpoint }));
  }

  async start(ref: BundleRef): Promise<void> {
    const out = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(ref)),
      }),
    );
    if (out.StatusCode !== 202) throw new Error(`Lambda did not queue the bundle build (status ${out.StatusCode}).`);
  }
}

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
