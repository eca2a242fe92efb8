/**
 * A recording pass-through in front of the embedded DynamoDB, for bench/local-api.ts's dry run: the portal pointed
 * at it (AWS_ENDPOINT_URL_DYNAMODB) sends its requests unchanged to the store, and each one is kept — its
 * operation (from X-Amz-Target) and its JSON body exactly as sent — so the benchmark knows what a request of the
 * portal costs the store and can replay that shape against the store directly. Every byte and header is forwarded
 * as received (the SigV4 signature covers the Host header), so the store sees what it would have seen.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedOperation {
  /** DynamoDB's operation name: GetItem, Query, PutItem, UpdateItem, … */
  operation: string;
  /** The request body as the SDK sent it: DynamoDB JSON, i.e. the low-level command's input. */
  input: Record<string, unknown>;
}

export interface StoreOperationRecorder {
  endpoint: string;
  /** Everything recorded since the last call, and starts afresh. */
  take(): RecordedOperation[];
  stop(): Promise<void>;
}

export async function startStoreOperationRecorder(upstream: string): Promise<StoreOperationRecorder> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let recorded: RecordedOperation[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Other';
      try {
        recorded.push({ operation, input: JSON.parse(body.toString('utf8')) });
      } catch {
        recorded.push({ operation, input: {} });
      }
      const forwarded = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          agent,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    take: () => {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
