import { ValidationFailed } from '../domain/errors';
import * as z from '../domain/zod';

/**
 * Opaque pagination cursors: DynamoDB's LastEvaluatedKey plus the query it belongs to, base64url-encoded. A
 * cursor is checked against the query it is used with, so a cursor from another platform's list (or a forged
 * one) gets a 400 instead of reaching DynamoDB.
 */
const CursorSchema = z.object({
  v: z.literal(1),
  s: z.string(),
  k: z.record(z.string(), z.union([z.string(), z.number()])),
});

export function encodeCursor(lastEvaluatedKey: Record<string, unknown>, scope: string): string {
  return Buffer.from(JSON.stringify({ v: 1, s: scope, k: lastEvaluatedKey }), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string,
  expected: { scope: string; partitionAttribute: string; partitionValue: string },
): Record<string, unknown> {
  const invalid = () => new ValidationFailed([{ path: 'cursor', message: 'is not a cursor for this query' }]);
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const parsed = CursorSchema.safeParse(raw);
  if (!parsed.success) throw invalid();
  const { s, k } = parsed.data;
  if (s !== expected.scope || k[expected.partitionAttribute] !== expected.partitionValue) throw invalid();
  return k;
}
