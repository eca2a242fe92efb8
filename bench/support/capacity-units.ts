/**
 * DynamoDB's billing rules for item sizes and write units, applied to items in the wire format (`{S: …}`,
 * `{N: …}`, …), for bench/capacity.ts. Reads are billed by the store itself (dynalite answers
 * ReturnConsumedCapacity for the table and the index a Query reads, with DynamoDB's 4 KB and ½-for-eventually-
 * consistent rules); what dynalite does not report is what a write costs in the global secondary indexes, so that is
 * computed here from the item before and after the write.
 *
 * Rules (DynamoDB Developer Guide, "Item sizes and formats" and "Global secondary indexes: provisioned throughput
 * considerations"): an item's size is the UTF-8 length of its attribute names plus the size of its values; strings
 * and binary by length, numbers about one byte per two significant digits plus one, booleans and null one byte,
 * lists and maps 3 bytes plus one byte per element. A standard write costs ceil(size / 1 KB) units, at least one,
 * of the larger of the item before and after; in each GSI, a write that puts an item in the index costs one write of
 * the projected item, one that takes it out one write, one that changes the index key two (delete + put), and one
 * that changes only projected attributes one; a write that touches nothing the index holds costs nothing there.
 * A transactional write costs 2× — the portal makes none (it runs on dynalite, which has no transactions).
 */

/** One attribute value as DynamoDB's JSON wire format carries it (binary as base64), or as the SDK returns it. */
export type WireValue = Record<string, unknown>;
export type WireItem = Record<string, WireValue>;

export interface IndexProjection {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  /** Attributes projected besides the keys; undefined = ALL. */
  nonKeyAttributes?: readonly string[];
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

function binaryLength(value: unknown): number {
  if (typeof value === 'string') return Buffer.from(value, 'base64').length;
  if (value instanceof Uint8Array) return value.length;
  return 0;
}

function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size in bytes of one attribute value. */
export function valueSize(value: WireValue): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8(String(inner));
    case 'N':
      return numberSize(String(inner));
    case 'B':
      return binaryLength(inner);
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (inner as string[]).reduce((sum, s) => sum + utf8(s), 0);
    case 'NS':
      return (inner as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (inner as unknown[]).reduce<number>((sum, b) => sum + binaryLength(b), 0);
    case 'L':
      return 3 + (inner as WireValue[]).reduce((sum, v) => sum + 1 + valueSize(v), 0);
    case 'M': {
      const map = inner as WireItem;
      return 3 + Object.entries(map).reduce((sum, [name, v]) => sum + 1 + utf8(name) + valueSize(v), 0);
    }
    default:
      return 0;
  }
}

/** Size in bytes of an item: its attribute names plus its values. */
export function itemSize(item: WireItem | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
}

/** Write units of a standard (non-transactional) write to the table: the larger of before and after, per 1 KB. */
export function tableWriteUnits(before: WireItem | undefined, after: WireItem | undefined): number {
  return Math.max(1, Math.ceil(Math.max(itemSize(before), itemSize(after)) / 1024));
}

/** Key order differs between a request's item and the stored one, so values are compared in canonical form. */
const sameValue = (a: unknown, b: unknown) => canonical(a) === canonical(b);
function canonical(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The item as the index holds it, or undefined when the item is not in the (sparse) index. */
export function projectedItem(
  item: WireItem | undefined,
  index: IndexProjection,
  tableKeys: readonly string[],
): WireItem | undefined {
  if (!item || item[index.partitionKey] === undefined || item[index.sortKey] === undefined) return undefined;
  if (!index.nonKeyAttributes) return item;
  const kept = new Set([...tableKeys, index.partitionKey, index.sortKey, ...index.nonKeyAttributes]);
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
}

/** Write units a write costs in one GSI, from the item before and after it (undefined = absent). */
export function indexWriteUnits(
  before: WireItem | undefined,
  after: WireItem | undefined,
  index: IndexProjection,
  tableKeys: readonly string[],
): number {
  const old = projectedItem(before, index, tableKeys);
  const next = projectedItem(after, index, tableKeys);
  const units = (item: WireItem) => Math.max(1, Math.ceil(itemSize(item) / 1024));
  if (!old && !next) return 0;
  if (!old && next) return units(next);
  if (old && !next) return units(old);
  if (!old || !next) return 0;
  const keyChanged =
    !sameValue(old[index.partitionKey], next[index.partitionKey]) ||
    !sameValue(old[index.sortKey], next[index.sortKey]);
  if (keyChanged) return units(old) + units(next);
  return sameValue(old, next) ? 0 : units(next);
}
