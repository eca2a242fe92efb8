import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { SignatureV4 } from '@smithy/signature-v4';
import type { BundleBuildTrigger, BundleRef } from '../domain/evidence-bundle';

/**
 * Starts a build by invoking the builder Lambda asynchronously (`InvocationType: Event`: Lambda queues the event
 * and answers 202 at once). A signed call of Lambda's Invoke API, made with the SDK's own signer and credential
 * chain because `@aws-sdk/client-lambda` is not a dependency; it is the same request `InvokeCommand` sends.
 */
export class LambdaEventTrigger implements BundleBuildTrigger {
  private readonly signer: SignatureV4;

  constructor(
    private readonly functionName: string,
    region: string,
    credentials: AwsCredentialIdentityProvider,
    private readonly endpoint = process.env.AWS_ENDPOINT_URL_LAMBDA ?? `https://lambda.${region}.amazonaws.com`,
  ) {
    this.signer = new SignatureV4({ service: 'lambda', region, credentials, sha256: NodeSha256 });
  }

  async start(ref: BundleRef): Promise<void> {
    const url = new URL(`/2015-03-31/functions/${encodeURIComponent(this.functionName)}/invocations`, this.endpoint);
    const body = JSON.stringify(ref);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
      body,
    });
    const response = await fetch(url, { method: 'POST', headers: signed.headers, body });
    if (response.status !== 202) {
      throw new Error(`Lambda refused the bundle build (${response.status}): ${await response.text()}`);
    }
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

/** node:crypto as the signer's hash (the SDK's `@aws-crypto` hashes are not a dependency here). */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret
      ? createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer))
      : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
