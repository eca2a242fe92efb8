import type { IncomingMessage } from 'node:http';

/**
 * Which store operation an HTTP request is, read the way the store itself reads it: DynamoDB from `X-Amz-Target`
 * (and, for matching, a few fields of the JSON body), S3 from method, path-style path, query and headers. Used by
 * the fault proxy to count requests and to let a rule pick "the 2nd PutItem on the table".
 */
export type StoreService = 'dynamodb' | 's3';

export interface RecognisedOperation {
  operation: string;
  detail?: Record<string, unknown>;
}

/** `DynamoDB_20120810.PutItem` → `PutItem`, with the table, index and item key when the body names them. */
export function dynamoDbOperation(request: IncomingMessage, body: Buffer): RecognisedOperation {
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.includes('.') ? (target.split('.').pop() ?? 'Other') : 'Other';
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    // Not JSON (or empty): the store will refuse it; the operation is still known from the target.
  }
  return { operation, detail: { ...namesOf(parsed), ...keyOf(parsed), ...itemCountOf(parsed) } };
}

function namesOf(parsed: Record<string, unknown>): Record<string, unknown> {
  const names: Record<string, unknown> = {};
  if (typeof parsed.TableName === 'string') names.TableName = parsed.TableName;
  if (typeof parsed.IndexName === 'string') names.IndexName = parsed.IndexName;
  return names;
}

/** The table's `pk` / `sk` of the one item a GetItem, PutItem, UpdateItem or DeleteItem names. */
function keyOf(parsed: Record<string, unknown>): Record<string, unknown> {
  const key = (parsed.Key ?? parsed.Item) as Record<string, { S?: string }> | undefined;
  if (!key || typeof key !== 'object') return {};
  const found: Record<string, unknown> = {};
  if (typeof key.pk?.S === 'string') found.pk = key.pk.S;
  if (typeof key.sk?.S === 'string') found.sk = key.sk.S;
  return found;
}

function itemCountOf(parsed: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(parsed.TransactItems)) return { items: parsed.TransactItems.length };
  if (!parsed.RequestItems || typeof parsed.RequestItems !== 'object') return {};
  const tables = Object.entries(parsed.RequestItems as Record<string, unknown>);
  const items = tables.reduce((sum, [, value]) => sum + (Array.isArray(value) ? value.length : 0), 0);
  return { items, ...(tables[0] && typeof parsed.TableName !== 'string' ? { TableName: tables[0][0] } : {}) };
}

/** The S3 operation of a path-style request (the portal always addresses buckets by path). */
export function s3Operation(request: IncomingMessage): RecognisedOperation {
  const url = new URL(request.url ?? '/', 'http://store.invalid');
  const [, bucket = '', ...keyParts] = url.pathname.split('/');
  const key = decodeSafely(keyParts.join('/'));
  const query = url.searchParams;
  const detail: Record<string, unknown> = { bucket: decodeSafely(bucket) };
  if (key) detail.key = key;
  const copy = request.headers['x-amz-copy-source'] !== undefined;
  return {
    operation: key ? objectOperation(request.method ?? 'GET', query, copy) : bucketOperation(request, query),
    detail,
  };
}

function objectOperation(method: string, query: URLSearchParams, copy: boolean): string {
  const upload = query.has('uploadId');
  switch (method) {
    case 'PUT':
      if (copy) return 'Other';
      return upload && query.has('partNumber') ? 'UploadPart' : 'PutObject';
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      return upload ? 'CompleteMultipartUpload' : 'Other';
    case 'GET':
      return upload ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return upload ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      return 'Other';
  }
}

function bucketOperation(request: IncomingMessage, query: URLSearchParams): string {
  if (request.method === 'GET' && query.get('list-type') === '2') return 'ListObjectsV2';
  return 'Other';
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
