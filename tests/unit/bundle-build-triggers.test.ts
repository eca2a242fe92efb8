import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InProcessBundleBuilds } from '../../lambdas/adapters/in-process-bundle-builds';
import { LambdaEventTrigger } from '../../lambdas/adapters/lambda-bundle-build-trigger';

/** Lambda's Invoke API as a local server: what the trigger sends, and what it does with Lambda's answer. */
async function fakeLambda(status: number) {
  const seen: { request: IncomingMessage; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({ request, body });
      response.writeHead(status).end(status === 202 ? '' : '{"Message":"denied"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, endpoint, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });

describe('starting a bundle build', () => {
  it('invokes the builder asynchronously (InvocationType Event), signed for Lambda in the region', async () => {
    const lambda = await fakeLambda(202);
    try {
      const trigger = new LambdaEventTrigger('portal-bundle-builder', 'ap-southeast-2', credentials, lambda.endpoint);
      await trigger.start({ noticeId: 'ntc_1', bundleId: 'bdl_1' });
      const [call] = lambda.seen;
      expect(call?.request.method).toBe('POST');
      expect(call?.request.url).toBe('/2015-03-31/functions/portal-bundle-builder/invocations');
      expect(call?.request.headers['x-amz-invocation-type']).toBe('Event');
      expect(call?.request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-2\/lambda\/aws4_request, SignedHeaders=[^ ]*x-amz-invocation-type/,
      );
      expect(JSON.parse(call?.body ?? '')).toEqual({ noticeId: 'ntc_1', bundleId: 'bdl_1' });
    } finally {
      await lambda.close();
    }
  });

  it('fails when Lambda does not accept the event, so the service can report it (the sweep then builds)', async () => {
    const lambda = await fakeLambda(403);
    try {
      const trigger = new LambdaEventTrigger('portal-bundle-builder', 'ap-southeast-2', credentials, lambda.endpoint);
      await expect(trigger.start({ noticeId: 'ntc_1', bundleId: 'bdl_1' })).rejects.toThrow(/denied/);
    } finally {
      await lambda.close();
    }
  });

  it('runs builds in the background in process, and waits for them when asked to settle', async () => {
    const errors: unknown[] = [];
    const builds = new InProcessBundleBuilds((error) => errors.push(error));
    let finish: () => void = () => {};
    const ran: string[] = [];
    builds.runWith(async (ref) => {
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      ran.push(ref.bundleId);
    });
    await builds.start({ noticeId: 'ntc_1', bundleId: 'bdl_1' });
    expect(ran).toEqual([]);
    const settled = builds.settle();
    finish();
    await settled;
    expect(ran).toEqual(['bdl_1']);
    expect(errors).toEqual([]);
  });
});
