import { InvokeCommand, LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { sdkClientConfig } from '../config/sdk-clients';
import type { BundleBuildTrigger, BundleRef } from '../domain/evidence-bundle';

/**
 * Starts a build by invoking the builder Lambda asynchronously (`InvocationType: Event`: Lambda queues the event
 * and answers 202 at once), so the request returns while the build goes on for up to the builder's 15 minutes.
 * A file of its own so that only the function that starts builds carries the Lambda client (~110 KiB of bundle).
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
