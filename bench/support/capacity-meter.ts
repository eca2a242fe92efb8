/**
 * Counting proxies for bench/capacity.ts: put in front of the embedded DynamoDB and S3 (the portal reaches them
 * through AWS_ENDPOINT_URL_DYNAMODB / _S3, its only switch), they record what every request would cost on AWS
 * without touching the portal's code.
 *
 * - DynamoDB: each request is forwarded with `ReturnConsumedCapacity: INDEXES` added (the portal never asks for it,
 *   and ignores the extra field in the answer; dynalite checks no signature, so the changed body is accepted), and
 *   the read units dynalite reports are kept, split into table and index. For writes, the item before (and, for an
 *   update, after) is read directly from dynalite, bypassing the proxy and uncounted, and the table and GSI write
 *   units are computed by DynamoDB's rules (capacity-units.ts), which dynalite does not apply to indexes. A write
 *   refused by its condition is billed as DynamoDB bills it: the table's units, no index writes.
 * - S3: each request's operation from its method, query and headers (the same names as the fault proxy's
 *   ObservedRequest), streamed through untouched; the Host header is kept, so SigV4 (and presigned URLs minted with
 *   the proxy's endpoint) verify upstream.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ALL_INDEXES, TABLE_KEYS } from '../../lambdas/adapters/notice-table-design';
import { indexWriteUnits, itemSize, tableWriteUnits, type WireItem } from './capacity-units';

export interface DynamoDbCost {
  service: 'dynamodb';
  operation: string;
  /** The index a Query read, if any. */
  index?: string;
  consistent: boolean;
  /** Read units dynalite reported for the table and for the index (DynamoDB's 4 KB / ½ rules). */
  tableReadUnits: number;
  indexReadUnits: number;
  tableWriteUnits: number;
  /** Write units in each GSI the write touched. */
  indexWriteUnits: Record<string, number>;
  /** Items returned (Query, GetItem) or written. */
  items: number;
  /** Bytes of the largest item written (before or after). */
  writtenBytes: number;
  /** The partition the request reads or writes (`NOTICE#…`, `USER#…`; a Query's on its index), for hot-spot analysis. */
  partition?: string;
  status: number;
}

export type S3Operation =
  | 'PutObject'
  | 'GetObject'
  | 'HeadObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'ListParts'
  | 'AbortMultipartUpload'
  | 'ListObjectsV2'
  | 'DeleteObject'
  | 'CopyObject'
  | 'Other';

export interface S3Cost {
  service: 's3';
  operation: S3Operation;
  method: string;
  status: number;
  /** Request body bytes (what was uploaded). */
  bytesIn: number;
}

export type MeteredRequest = DynamoDbCost | S3Cost;

export interface CapacityMeter {
  endpoint: string;
  /** Everything seen since the last `take()`, and forgets it. */
  take(): MeteredRequest[];
  /** Requests being forwarded right now. */
  inFlight(): number;
  stop(): Promise<void>;
}

const INDEX_DESIGN = ALL_INDEXES;
const TABLE_KEY_NAMES = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey];
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function forward(
  upstream: URL,
  incoming: IncomingMessage,
  headers: Record<string, string | string[] | undefined>,
): Promise<IncomingMessage> & { write(body: Buffer): void; pipeFrom(stream: IncomingMessage): void } {
  let send!: (body?: Buffer) => void;
  let pipe!: (stream: IncomingMessage) => void;
  const promise = new Promise<IncomingMessage>((resolve, reject) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers },
      resolve,
    );
    out.once('error', reject);
    send = (body) => out.end(body);
    pipe = (stream) => stream.pipe(out);
  });
  return Object.assign(promise, { write: (body: Buffer) => send(body), pipeFrom: (s: IncomingMessage) => pipe(s) });
}

/** The request with `ReturnConsumedCapacity: INDEXES` added, unless it asked for capacity itself. */
function withCapacity(raw: Buffer, body: DynamoDbRequest | undefined): Buffer {
  if (!body || body.ReturnConsumedCapacity) return raw;
  return Buffer.from(JSON.stringify({ ...body, ReturnConsumedCapacity: 'INDEXES' }));
}

/** Sends `body` upstream with the incoming request's headers and relays the answer unchanged. */
async function relay(target: URL, incoming: IncomingMessage, answer: ServerResponse, body: Buffer) {
  const response = forward(target, incoming, { ...incoming.headers, 'content-length': String(body.length) });
  response.write(body);
  const upstreamResponse = await response;
  const answerBody = await readBody(upstreamResponse);
  answer.writeHead(upstreamResponse.statusCode ?? 500, upstreamResponse.headers);
  answer.end(answerBody);
  return { status: upstreamResponse.statusCode ?? 0, answerBody };
}

interface DynamoDbRequest {
  TableName?: string;
  IndexName?: string;
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: string;
  Item?: WireItem;
  Key?: WireItem;
  ExpressionAttributeValues?: WireItem;
}

interface DynamoDbAnswer {
  ConsumedCapacity?: {
    CapacityUnits?: number;
    Table?: { CapacityUnits?: number };
    GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  };
  Items?: unknown[];
  Count?: number;
  Item?: unknown;
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The key of the item a write (or GetItem) names; for a PutItem, the key attributes of its item. */
function keyOf(operation: string, body: DynamoDbRequest | undefined): WireItem | undefined {
  const item = body?.Item;
  if (operation === 'PutItem' && item) return Object.fromEntries(TABLE_KEY_NAMES.map((k) => [k, item[k] ?? {}]));
  return body?.Key;
}

/**
 * A write's cost from the item before it and after it (`after`: the request's item for a put, the stored one for an
 * update, none for a delete). A refused conditional write is billed for the larger of the item as it stands and
 * the request's item, and writes no index.
 */
function writeCost(operation: string, succeeded: boolean, before?: WireItem, after?: WireItem): Partial<DynamoDbCost> {
  const written = operation === 'DeleteItem' ? undefined : after;
  const billedAfter = succeeded || operation === 'PutItem' ? written : undefined;
  const indexes: Record<string, number> = {};
  if (succeeded) {
    for (const index of INDEX_DESIGN) {
      const units = indexWriteUnits(before, written, index, TABLE_KEY_NAMES);
      if (units > 0) indexes[index.indexName] = units;
    }
  }
  return {
    tableWriteUnits: tableWriteUnits(before, billedAfter),
    writtenBytes: Math.max(itemSize(before), itemSize(billedAfter)),
    items: 1,
    indexWriteUnits: indexes,
  };
}

/** A read's cost: the units dynalite reported, table and index apart. */
function readCost(answer: DynamoDbAnswer | undefined): Partial<DynamoDbCost> {
  const consumed = answer?.ConsumedCapacity;
  if (!consumed) return {};
  const perIndex = Object.values(consumed.GlobalSecondaryIndexes ?? {});
  return {
    tableReadUnits: consumed.Table?.CapacityUnits ?? consumed.CapacityUnits ?? 0,
    indexReadUnits: perIndex.reduce((sum, v) => sum + (v.CapacityUnits ?? 0), 0),
    items: answer.Items?.length ?? answer.Count ?? (answer.Item ? 1 : 0),
  };
}

/** The partition key value a request names: its Key's (or Item's) pk, or a Query's first key-condition value. */
function partitionOf(body: { IndexName?: string; ExpressionAttributeValues?: WireItem } | undefined, key?: WireItem) {
  const pk = key?.[TABLE_KEYS.partitionKey]?.S;
  if (typeof pk === 'string') return pk;
  const values = body?.ExpressionAttributeValues;
  const first = values ? (values[':pk'] ?? Object.values(values)[0]) : undefined;
  const value = first?.S;
  return typeof value === 'string' ? `${body?.IndexName ? `${body.IndexName}: ` : ''}${value}` : undefined;
}

/** The counting proxy in front of dynalite at `upstream`. */
export async function startDynamoDbMeter(upstream: string): Promise<CapacityMeter> {
  const target = new URL(upstream);
  // Reads the item around a write, straight from dynalite: not through the proxy, so never counted.
  const direct = new DynamoDBClient({
    endpoint: upstream,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'meter', secretAccessKey: 'meter' },
  });
  const current = async (table: string, key: WireItem): Promise<WireItem | undefined> => {
    const out = await direct.send(new GetItemCommand({ TableName: table, Key: key as never, ConsistentRead: true }));
    return out.Item as WireItem | undefined;
  };
  const handle = async (incoming: IncomingMessage, answer: ServerResponse): Promise<MeteredRequest> => {
    const raw = await readBody(incoming);
    const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Unknown';
    const body = parseJson(raw) as DynamoDbRequest | undefined;
    const table = body?.TableName;
    const key = keyOf(operation, body);
    const isWrite = WRITES.has(operation);
    const before = isWrite && table && key ? await current(table, key) : undefined;
    const { status, answerBody } = await relay(target, incoming, answer, withCapacity(raw, body));
    const cost: DynamoDbCost = {
      service: 'dynamodb',
      operation,
      index: body?.IndexName,
      consistent: body?.ConsistentRead === true,
      tableReadUnits: 0,
      indexReadUnits: 0,
      tableWriteUnits: 0,
      indexWriteUnits: {},
      items: 0,
      writtenBytes: 0,
      status,
      partition: partitionOf(body, key),
    };
    if (isWrite) {
      const stored =
        status === 200 && operation === 'UpdateItem' && table && key ? await current(table, key) : undefined;
      Object.assign(cost, writeCost(operation, status === 200, before, operation === 'PutItem' ? body?.Item : stored));
    } else {
      Object.assign(cost, readCost(parseJson(answerBody) as DynamoDbAnswer | undefined));
    }
    return cost;
  };
  return meterServer(handle, () => direct.destroy());
}

/**
 * A counting proxy's server: `meter` forwards each request and says what it cost; a request it fails on gets a
 * 502. What is counted waits in `take()`; `inFlight()` tells a caller when every answer has been counted.
 */
async function meterServer(
  meter: (incoming: IncomingMessage, answer: ServerResponse) => Promise<MeteredRequest>,
  onStop: () => void = () => undefined,
): Promise<CapacityMeter> {
  let seen: MeteredRequest[] = [];
  let inFlight = 0;
  const server = createServer((incoming, answer) => {
    inFlight++;
    meter(incoming, answer)
      .then((cost) => {
        seen.push(cost);
      })
      .catch((error) => {
        if (!answer.headersSent) answer.writeHead(502);
        answer.end(String(error));
      })
      .finally(() => inFlight--);
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    take: () => {
      const taken = seen;
      seen = [];
      return taken;
    },
    inFlight: () => inFlight,
    stop: async () => {
      onStop();
      await close(server);
    },
  };
}

/**
 * The S3 operation of a request, path-style (`/bucket/key`): the first rule of its method that matches, by whether
 * it names an object, its query parameters and headers.
 */
const S3_RULES: Record<
  string,
  [S3Operation, (r: { key: boolean; has: (q: string) => boolean; copy: boolean }) => boolean][]
> = {
  PUT: [
    ['UploadPart', (r) => r.has('partNumber') && r.has('uploadId')],
    ['CopyObject', (r) => r.copy],
    ['PutObject', (r) => r.key],
  ],
  POST: [
    ['CreateMultipartUpload', (r) => r.has('uploads')],
    ['CompleteMultipartUpload', (r) => r.has('uploadId')],
  ],
  GET: [
    ['ListParts', (r) => r.has('uploadId')],
    ['GetObject', (r) => r.key],
    ['ListObjectsV2', (r) => r.has('list-type')],
  ],
  HEAD: [['HeadObject', (r) => r.key]],
  DELETE: [
    ['AbortMultipartUpload', (r) => r.has('uploadId')],
    ['DeleteObject', () => true],
  ],
};

export function s3Operation(method: string, url: string, headers: IncomingMessage['headers']): S3Operation {
  const { pathname, searchParams } = new URL(url, 'http://s3.local');
  const request = {
    key: pathname.split('/').filter(Boolean).length > 1,
    has: (name: string) => searchParams.has(name),
    copy: headers['x-amz-copy-source'] !== undefined,
  };
  return (S3_RULES[method] ?? []).find(([, matches]) => matches(request))?.[0] ?? 'Other';
}

/** The counting proxy in front of the S3 endpoint at `upstream` (the SigV4 guard, in front of s3rver). */
export async function startS3Meter(upstream: string): Promise<CapacityMeter> {
  const target = new URL(upstream);
  return meterServer(async (incoming, answer) => {
    let bytesIn = 0;
    incoming.on('data', (chunk: Buffer) => {
      bytesIn += chunk.length;
    });
    const response = forward(target, incoming, incoming.headers);
    response.pipeFrom(incoming);
    const upstreamResponse = await response;
    answer.writeHead(upstreamResponse.statusCode ?? 500, upstreamResponse.headers);
    upstreamResponse.pipe(answer);
    await once(upstreamResponse, 'end');
    return {
      service: 's3',
      operation: s3Operation(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers),
      method: incoming.method ?? 'GET',
      status: upstreamResponse.statusCode ?? 0,
      bytesIn,
    };
  });
}
