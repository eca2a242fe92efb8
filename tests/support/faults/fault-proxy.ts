import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HOP_BY_HOP } from '../../../local/s3-guard/proxy';
import { type ErrorFlavour, storeError } from './store-errors';
import { dynamoDbOperation, type RecognisedOperation, type StoreService, s3Operation } from './store-operations';

export type { StoreService } from './store-operations';

/**
 * An HTTP proxy in front of the embedded DynamoDB (dynalite) or S3 (the SigV4 guard in front of s3rver) that counts
 * the store requests, names their operation, and injects faults at chosen request numbers. The portal reaches it
 * through its only switch, `AWS_ENDPOINT_URL_DYNAMODB` / `_S3`.
 *
 * Faithful forwarding: the request line, the Host header and every body byte go upstream unchanged (only
 * hop-by-hop headers are re-made by Node), so SigV4 signatures, including presigned URLs minted with the proxy's
 * endpoint, verify at the guard exactly as they would without the proxy. DynamoDB bodies are buffered (they are
 * small, and the operation's table and key are read from them); S3 bodies are streamed both ways.
 */
export interface ObservedRequest {
  /** 1-based, per proxy, in arrival order (since start or the last `clear()`). */
  seq: number;
  service: StoreService;
  /**
   * DynamoDB: X-Amz-Target's operation ('GetItem','Query','PutItem','UpdateItem','TransactWriteItems',…).
   * S3: 'PutObject','GetObject','HeadObject','CreateMultipartUpload','UploadPart','CompleteMultipartUpload',
   * 'ListParts','AbortMultipartUpload','ListObjectsV2','DeleteObject','Other'.
   */
  operation: string;
  method: string;
  path: string;
  /**
   * For matching. DynamoDB: `TableName`, `IndexName`, the item key `pk` / `sk` (GetItem, PutItem, UpdateItem,
   * DeleteItem), `items` (TransactWriteItems / BatchWriteItem). S3: `bucket` and `key`.
   */
  detail?: Record<string, unknown>;
}

export type FaultAction =
  /** Forwarded after `ms`. */
  | { kind: 'delay'; ms: number }
  /** The client's socket is destroyed; the request never reaches the store. */
  | { kind: 'drop-before' }
  /** Forwarded; the store applies it; the client's socket is destroyed before any response byte. */
  | { kind: 'drop-after' }
  /** Forwarded; the client gets the status line and headers and part of the body (part of the head if the body is empty), then the socket is destroyed. */
  | { kind: 'reset-mid-response' }
  /**
   * A store-shaped error, never forwarded. DynamoDB: `ThrottlingException` / `InternalServerError` JSON;
   * S3: `SlowDown` / `InternalError` XML. `code` overrides the error code (e.g.
   * `ProvisionedThroughputExceededException`, `ServiceUnavailable`).
   */
  | { kind: 'error'; status: 500 | 503 | 400; flavour: ErrorFlavour; code?: string }
  /** Kept unanswered and not forwarded until `release()` (e.g. to kill the portal while it waits). */
  | { kind: 'hold' };

export interface FaultRule {
  match: (request: ObservedRequest) => boolean;
  /** Fires on the nth matching request (1-based) and the (times-1) after it. @default nth 1, times 1 */
  nth?: number;
  times?: number;
  action: FaultAction;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT — give to AWS_ENDPOINT_URL_DYNAMODB / _S3. */
  endpoint: string;
  /** Everything seen since start or the last `clear()`, in arrival order. */
  requests: ObservedRequest[];
  /** Requests received and not yet answered (or dropped): background work still under way has some. */
  inFlight(): number;
  inject(rule: FaultRule): { fired: () => number };
  /** Removes every rule and forgets the requests seen (seq starts again at 1); held requests stay held. */
  clear(): void;
  /** Resolves with the earliest request a 'hold' rule is holding, waiting until one is caught. @default 30000 ms */
  waitForHeld(timeoutMs?: number): Promise<ObservedRequest>;
  /** Forwards every held request. */
  release(): void;
  /** Destroys held requests and open connections, then closes. */
  stop(): Promise<void>;
}

interface ActiveRule {
  rule: FaultRule;
  matched: number;
  fired: number;
}

interface Held {
  observed: ObservedRequest;
  forward: () => void;
  abandon: () => void;
}

export async function startFaultProxy(options: {
  service: StoreService;
  upstream: string;
  port?: number;
}): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  let rules: ActiveRule[] = [];
  let seq = 0;
  let inFlight = 0;
  const requests: ObservedRequest[] = [];
  const held: Held[] = [];
  const holdWaiters: ((request: ObservedRequest) => void)[] = [];

  const forward = (request: IncomingMessage, response: ServerResponse, body: Buffer | undefined, mode: Forwarding) =>
    forwardUpstream({ agent, upstream, request, response, body, mode });

  const choose = (observed: ObservedRequest): FaultAction | undefined => {
    let chosen: FaultAction | undefined;
    for (const active of rules) {
      if (!active.rule.match(observed)) continue;
      active.matched += 1;
      const nth = active.rule.nth ?? 1;
      const times = active.rule.times ?? 1;
      if (!chosen && active.matched >= nth && active.matched < nth + times) {
        active.fired += 1;
        chosen = active.rule.action;
      }
    }
    return chosen;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    inFlight += 1;
    // 'close' comes once the answer is sent or the connection is gone, whichever way the fault ended it.
    response.once('close', () => {
      inFlight -= 1;
    });
    // DynamoDB bodies are small JSON: buffered to read the table and key; S3 bodies (up to GiBs) stream.
    const body = options.service === 'dynamodb' ? await readBody(request) : undefined;
    const recognised: RecognisedOperation = body ? dynamoDbOperation(request, body) : s3Operation(request);
    seq += 1;
    const observed: ObservedRequest = {
      seq,
      service: options.service,
      operation: recognised.operation,
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      detail: recognised.detail,
    };
    requests.push(observed);
    const action = choose(observed);
    switch (action?.kind) {
      case undefined:
        forward(request, response, body, 'pass');
        return;
      case 'delay':
        setTimeout(() => forward(request, response, body, 'pass'), action.ms);
        return;
      case 'drop-before':
        request.socket.destroy();
        return;
      case 'drop-after':
        forward(request, response, body, 'drop-after');
        return;
      case 'reset-mid-response':
        forward(request, response, body, 'reset-mid-response');
        return;
      case 'error':
        answerError(request, response, storeError(options.service, action.status, action.flavour, action.code));
        return;
      case 'hold': {
        held.push({
          observed,
          forward: () => forward(request, response, body, 'pass'),
          abandon: () => request.socket.destroy(),
        });
        for (const waiter of holdWaiters.splice(0)) waiter(observed);
        return;
      }
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => request.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    requests,
    inFlight: () => inFlight,
    inject(rule) {
      const active: ActiveRule = { rule, matched: 0, fired: 0 };
      rules.push(active);
      return { fired: () => active.fired };
    },
    clear() {
      rules = [];
      requests.length = 0;
      seq = 0;
    },
    waitForHeld(timeoutMs = 30_000) {
      const first = held[0];
      if (first) return Promise.resolve(first.observed);
      return new Promise<ObservedRequest>((resolve, reject) => {
        const timer = setTimeout(() => {
          holdWaiters.splice(holdWaiters.indexOf(waiter), 1);
          reject(new Error(`fault proxy (${options.service}): no request was held within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (request: ObservedRequest) => {
          clearTimeout(timer);
          resolve(request);
        };
        holdWaiters.push(waiter);
      });
    },
    release() {
      for (const entry of held.splice(0)) entry.forward();
    },
    async stop() {
      for (const entry of held.splice(0)) entry.abandon();
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Forwarding = 'pass' | 'drop-after' | 'reset-mid-response';

function forwardUpstream(context: {
  agent: Agent;
  upstream: URL;
  request: IncomingMessage;
  response: ServerResponse;
  body: Buffer | undefined;
  mode: Forwarding;
}): void {
  const { request, response, body, mode } = context;
  const upstreamRequest = httpRequest({
    agent: context.agent,
    hostname: context.upstream.hostname,
    port: context.upstream.port || 80,
    method: request.method,
    path: request.url,
    headers: forwardedHeaders(request.rawHeaders),
  });
  upstreamRequest.on('error', () => request.socket.destroy());
  upstreamRequest.on('response', (upstreamResponse) => {
    if (mode === 'pass') {
      response.writeHead(
        upstreamResponse.statusCode ?? 502,
        upstreamResponse.statusMessage,
        withoutHopByHop(upstreamResponse.rawHeaders),
      );
      upstreamResponse.pipe(response);
      upstreamResponse.on('error', () => response.destroy());
      return;
    }
    // The store has answered, so it has applied the request: read its whole answer, then break the connection.
    const chunks: Buffer[] = [];
    upstreamResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
    upstreamResponse.on('end', () => {
      if (mode === 'drop-after') {
        request.socket.destroy();
        return;
      }
      const answer = Buffer.concat(chunks);
      const head = rawHead(upstreamResponse, answer.length);
      const partial =
        answer.length > 0
          ? Buffer.concat([head, answer.subarray(0, Math.floor(answer.length / 2))])
          : head.subarray(0, Math.floor(head.length / 2));
      request.socket.write(partial, () => request.socket.destroy());
    });
  });
  if (body) {
    upstreamRequest.end(body);
    return;
  }
  // A client that goes away mid-upload must not leave the store waiting for the rest of the body.
  request.on('close', () => {
    if (!request.complete) upstreamRequest.destroy();
  });
  request.pipe(upstreamRequest);
}

/** The request's headers as sent, Host included (SigV4 signs it); only the hop-by-hop ones are left to Node. */
function forwardedHeaders(rawHeaders: readonly string[]): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (HOP_BY_HOP.has(name)) continue;
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else headers[name] = [...(Array.isArray(existing) ? existing : [String(existing)]), value];
  }
  return headers;
}

function withoutHopByHop(rawHeaders: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (!HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, rawHeaders[i + 1] as string);
  }
  return kept;
}

/** The status line and headers as bytes, with the length of the whole body, for a response cut short. */
function rawHead(response: IncomingMessage, bodyLength: number): Buffer {
  const lines = [`HTTP/1.1 ${response.statusCode ?? 502} ${response.statusMessage ?? ''}`];
  const headers = withoutHopByHop(response.rawHeaders);
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if ((headers[i] as string).toLowerCase() === 'content-length') continue;
    lines.push(`${headers[i]}: ${headers[i + 1]}`);
  }
  lines.push(`content-length: ${bodyLength}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

function answerError(
  request: IncomingMessage,
  response: ServerResponse,
  error: { status: number; headers: Record<string, string>; body: string },
): void {
  const send = () => {
    response.writeHead(error.status, error.headers);
    response.end(error.body);
  };
  // The whole body is read first (as the store would), so the client is not cut off mid-upload.
  if (request.complete) send();
  else {
    request.on('end', send);
    request.resume();
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
