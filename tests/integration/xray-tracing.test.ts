import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type RunningService, startDynalite } from '../../local/embedded-services';

/**
 * The portal's own X-Ray sender end to end: real AWS SDK clients wrapped by `traced`, run inside
 * `inHandlerSegment` as a Lambda invocation would be (AWS_EXECUTION_ENV, the daemon's address and the invocation's
 * trace header set as Lambda sets them), against a real DynamoDB protocol (dynalite) and a real UDP socket standing
 * in for the X-Ray daemon. The datagrams that arrive are what X-Ray would get.
 */
type Tracer = typeof import('../../lambdas/observability/tracer');
type Document = Record<string, any>;

const ROOT = '1-6750f3a2-0123456789abcdef01234567';
const LAMBDA_SEGMENT = '53995c3f42cd8ad8';
const TABLE = 'xray-tracing-test';
const CONFIDENTIAL = 'the notice’s confidential text';

let dataDir: string;
let dynamodb: RunningService;
let daemon: Socket;
let datagrams: string[];
let tracer: Tracer;
let savedEnv: NodeJS.ProcessEnv;
const clients: DynamoDBClient[] = [];

function client(endpoint: string, extra: { maxAttempts?: number } = {}): DynamoDBDocumentClient {
  const raw = new DynamoDBClient({
    endpoint,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...extra,
  });
  clients.push(raw);
  return DynamoDBDocumentClient.from(raw);
}

function invocation(sampled: '0' | '1'): void {
  process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${LAMBDA_SEGMENT};Sampled=${sampled};Lineage=a87bd80c:0`;
}

/** The documents received so far (each datagram's JSON after the protocol header line), once `count` are in. */
async function documents(count: number): Promise<Document[]> {
  const deadline = Date.now() + 5000;
  while (datagrams.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  // A little longer: anything beyond `count` would be a document too many.
  await new Promise((r) => setTimeout(r, 100));
  return datagrams.map((datagram) => {
    const [header, body] = datagram.split('\n');
    expect(header).toBe('{"format": "json", "version": 1}');
    return JSON.parse(body!);
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'xray-tracing-'));
  dynamodb = await startDynalite(join(dataDir, 'dynamodb'), 0);
  await client(dynamodb.endpoint).send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );

  daemon = createSocket('udp4');
  daemon.on('message', (message) => datagrams.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));

  // What Lambda sets in a traced function's environment; the tracer reads whether it may trace at load.
  savedEnv = { ...process.env };
  process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
  process.env._HANDLER = 'index.handler';
  process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${(daemon.address() as AddressInfo).port}`;
  delete process.env.POWERTOOLS_TRACE_ENABLED;
  delete process.env._X_AMZN_TRACE_ID;
  tracer = require('../../lambdas/observability/tracer');
});

beforeEach(() => {
  datagrams = [];
});

afterAll(async () => {
  process.env = savedEnv;
  for (const raw of clients) raw.destroy();
  daemon?.close();
  await dynamodb?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('X-Ray tracing in a Lambda invocation', () => {
  it('sends the handler subsegment and a subsegment per AWS call, each linked to its parent', async () => {
    // Prepare: the runtime's way — a traced client made once, outside any invocation.
    const doc = tracer.traced(client(dynamodb.endpoint));
    const sentHeaders: string[] = [];
    doc.middlewareStack.add(
      (next) => async (args) => {
        sentHeaders.push((args.request as { headers: Record<string, string> }).headers['X-Amzn-Trace-Id'] ?? '');
        return next(args);
      },
      { step: 'finalizeRequest', name: 'testSeesTraceHeader' },
    );
    invocation('1');

    // Act
    const { put, get, refused } = await tracer.inHandlerSegment(async () => {
      const put = await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'n-1', text: CONFIDENTIAL } }));
      const get = await doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'n-1' } }));
      const refused = await doc
        .send(
          new PutCommand({
            TableName: TABLE,
            Item: { pk: 'n-1', text: CONFIDENTIAL },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        .catch((error: Error & { $metadata: { requestId?: string } }) => error);
      return { put, get, refused };
    });

    // Assess: the handler's work ran as it would untraced.
    expect(get.Item).toEqual({ pk: 'n-1', text: CONFIDENTIAL });
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('ConditionalCheckFailedException');

    const received = await documents(4);
    expect(received).toHaveLength(4);
    const handler = received.find((d) => d.name === '## index.handler')!;
    const calls = received.filter((d) => d.name === 'DynamoDB');
    expect(handler).toMatchObject({
      type: 'subsegment',
      trace_id: ROOT,
      parent_id: LAMBDA_SEGMENT,
      annotations: { ColdStart: true, Service: 'notice-portal' },
    });
    expect(handler.id).toMatch(/^[0-9a-f]{16}$/);
    expect(handler.fault).toBeUndefined();
    expect(calls.map((c) => c.aws.operation)).toEqual(['PutItem', 'GetItem', 'PutItem']);
    for (const call of calls) {
      expect(call).toMatchObject({ type: 'subsegment', namespace: 'aws', trace_id: ROOT, parent_id: handler.id });
      expect(call.aws).toMatchObject({ region: 'ap-southeast-2', table_name: TABLE, retries: 0 });
      expect(call.start_time).toBeGreaterThanOrEqual(handler.start_time);
      expect(call.end_time).toBeLessThanOrEqual(handler.end_time);
      expect(call.end_time).toBeGreaterThanOrEqual(call.start_time);
    }
    const [putCall, getCall, refusedCall] = calls as [Document, Document, Document];
    expect(putCall.aws.request_id).toBe(put.$metadata.requestId);
    expect(getCall.aws.request_id).toBe(get.$metadata.requestId);
    expect(getCall.http).toEqual({ response: { status: 200 } });
    expect(getCall.error).toBeUndefined();
    expect(refusedCall).toMatchObject({ error: true, http: { response: { status: 400 } } });
    expect(refusedCall.aws.request_id).toBe((refused as { $metadata: { requestId?: string } }).$metadata.requestId);
    expect(refusedCall.fault).toBeUndefined();
    expect(refusedCall.cause.exceptions[0]).toMatchObject({ type: 'ConditionalCheckFailedException', remote: true });

    // Each request told DynamoDB which subsegment it came from, keeping the rest of Lambda's header.
    expect(sentHeaders).toEqual(calls.map((c) => `Root=${ROOT};Parent=${c.id};Sampled=1;Lineage=a87bd80c:0`));

    // No item, event or response data in any document.
    expect(datagrams.join('\n')).not.toContain('confidential');
  });

  it('records a handler’s error (message and stack) on its subsegment, passes it on unchanged, and is no cold start', async () => {
    // Prepare
    invocation('1');
    const failure = new RangeError('the deadline is out of range');

    // Act
    const thrown = await tracer
      .inHandlerSegment(async () => {
        throw failure;
      })
      .catch((error: unknown) => error);

    // Assess
    expect(thrown).toBe(failure);
    const [handler] = await documents(1);
    expect(handler).toMatchObject({
      name: '## index.handler',
      fault: true,
      annotations: { ColdStart: false, Service: 'notice-portal' },
    });
    expect(handler!.cause.exceptions[0]).toMatchObject({ message: 'the deadline is out of range', type: 'RangeError' });
    expect(handler!.cause.exceptions[0].stack[0].path).toContain('xray-tracing.test.ts');
  });

  it('sends nothing for an unsampled invocation, and the calls still go through', async () => {
    // Prepare
    const doc = tracer.traced(client(dynamodb.endpoint));
    invocation('0');

    // Act
    const got = await tracer.inHandlerSegment(() => doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'n-1' } })));

    // Assess
    expect(got.Item?.pk).toBe('n-1');
    expect(await documents(0)).toEqual([]);
  });

  it('records the retries, status and fault of a call the service fails with a 500', async () => {
    // Prepare: a DynamoDB endpoint that always answers InternalServerError.
    const failing: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(500, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': 'FAILED-REQUEST-1',
        });
        response.end(
          JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'boom' }),
        );
      });
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const doc = tracer.traced(
      client(`http://127.0.0.1:${(failing.address() as AddressInfo).port}`, { maxAttempts: 2 }),
    );
    invocation('1');
    try {
      // Act
      const error = await tracer
        .inHandlerSegment(() => doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'n-1' } })))
        .catch((e: Error) => e);

      // Assess
      expect((error as Error).name).toBe('InternalServerError');
      const received = await documents(2);
      const call = received.find((d) => d.name === 'DynamoDB')!;
      expect(call).toMatchObject({
        fault: true,
        http: { response: { status: 500 } },
        aws: { operation: 'GetItem', request_id: 'FAILED-REQUEST-1', retries: 1 },
      });
      expect(call.error).toBeUndefined();
      expect(received.find((d) => d.name === '## index.handler')).toMatchObject({ fault: true });
    } finally {
      failing.close();
    }
  });

  it('records a plain HTTP call (not the SDK’s, e.g. the JWKS fetch) as a remote subsegment, without its query', async () => {
    // Prepare: a JWKS-like endpoint, and a port nobody listens on.
    const jwks: Server = createServer((_request, response) => response.writeHead(200).end('{"keys":[]}'));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as AddressInfo).port;
    const fetchStatus = (url: string) =>
      new Promise<number | Error>((resolve) => {
        get(url, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode!));
        }).on('error', resolve);
      });
    invocation('1');
    try {
      // Act
      const [ok, refused] = await tracer.inHandlerSegment(async () => [
        await fetchStatus(`http://127.0.0.1:${port}/.well-known/jwks.json?secret=do-not-record`),
        await fetchStatus('http://127.0.0.1:1/unreachable'),
      ]);

      // Assess
      expect(ok).toBe(200);
      // (Node's own Error, from outside jest's realm: matched by its code.)
      expect((refused as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
      const received = await documents(3);
      expect(received).toHaveLength(3);
      const handler = received.find((d) => d.name === '## index.handler')!;
      const [fetched, failed] = received.filter((d) => d.namespace === 'remote');
      expect(fetched).toMatchObject({
        name: '127.0.0.1',
        type: 'subsegment',
        trace_id: ROOT,
        parent_id: handler.id,
        http: {
          request: { method: 'GET', url: `http://127.0.0.1:${port}/.well-known/jwks.json` },
          response: { status: 200 },
        },
      });
      expect(failed).toMatchObject({
        parent_id: handler.id,
        fault: true,
        http: { request: { url: 'http://127.0.0.1:1/unreachable' } },
      });
      expect(failed!.cause.exceptions[0].message).toContain('ECONNREFUSED');
      expect(datagrams.join('\n')).not.toContain('do-not-record');
    } finally {
      jwks.close();
    }
  });

  it('never fails a request when tracing fails (an unusable daemon address)', async () => {
    // Prepare
    const doc = tracer.traced(client(dynamodb.endpoint));
    invocation('1');
    const daemonAddress = process.env.AWS_XRAY_DAEMON_ADDRESS;
    process.env.AWS_XRAY_DAEMON_ADDRESS = 'no daemon here';
    const warnings = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // Act
      const got = await tracer.inHandlerSegment(() =>
        doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'n-1' } })),
      );
      const again = await tracer.inHandlerSegment(() =>
        doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'n-1' } })),
      );

      // Assess: answered, and the failure logged once (not once per document), after the send that failed.
      await documents(0);
      expect(got.Item?.pk).toBe('n-1');
      expect(again.Item?.pk).toBe('n-1');
      const logged = warnings.mock.calls
        .map(([line]) => String(line))
        .filter((line) => line.includes('X-Ray tracing failed'));
      expect(logged).toHaveLength(1);
    } finally {
      warnings.mockRestore();
      process.env.AWS_XRAY_DAEMON_ADDRESS = daemonAddress;
    }
  });
});
