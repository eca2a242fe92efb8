import { indexWriteUnits, itemSize, tableWriteUnits } from '../../bench/support/capacity-units';

const TABLE_KEYS = ['pk', 'sk'];
const byStatus = { indexName: 'by-status', partitionKey: 'statusKey', sortKey: 'dueKey' };
const hashOnly = { indexName: 'checkpoint-pending', partitionKey: 'q', sortKey: 'k', nonKeyAttributes: ['hash'] };
const padding = (bytes: number) => ({ S: 'x'.repeat(bytes) });

describe('DynamoDB capacity rules used by bench:capacity', () => {
  it('sizes an item by attribute names and values, lists and maps with their overhead', () => {
    // Prepare / Act / Assess: "pk"(2) + "NOTICE#1"(8); "n"(1) + 123 (2 digits' pairs + 1); "m"(1) + map 3 + (1 + "a" 1 + true 1)
    expect(itemSize({ pk: { S: 'NOTICE#1' } })).toBe(10);
    expect(itemSize({ n: { N: '123' } })).toBe(1 + 3);
    expect(itemSize({ m: { M: { a: { BOOL: true } } } })).toBe(1 + 3 + 1 + 1 + 1);
    expect(itemSize({ l: { L: [{ S: 'ab' }, { NULL: true }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ s: { S: 'é' } })).toBe(1 + 2);
  });

  it('bills a table write for the larger of before and after, per started KiB, at least one', () => {
    expect(tableWriteUnits(undefined, { pk: { S: 'a' } })).toBe(1);
    expect(tableWriteUnits({ pk: { S: 'a' }, big: padding(3000) }, { pk: { S: 'a' } })).toBe(3);
  });

  it('bills an index write only when the item enters, leaves, moves within or changes in the index', () => {
    const item = (status: string | undefined, extra = 'x') => ({
      pk: { S: 'NOTICE#1' },
      sk: { S: 'NOTICE' },
      dueKey: { S: '2027-01-01#1' },
      body: { S: extra },
      ...(status ? { statusKey: { S: `S#${status}` } } : {}),
    });
    expect(indexWriteUnits(undefined, item('issued'), byStatus, TABLE_KEYS)).toBe(1); // enters
    expect(indexWriteUnits(item('issued'), undefined, byStatus, TABLE_KEYS)).toBe(1); // leaves
    expect(indexWriteUnits(item('issued'), item('acknowledged'), byStatus, TABLE_KEYS)).toBe(2); // key moves: delete + put
    expect(indexWriteUnits(item('issued'), item('issued', 'y'), byStatus, TABLE_KEYS)).toBe(1); // projected value changes
    expect(indexWriteUnits(item('issued'), item('issued'), byStatus, TABLE_KEYS)).toBe(0); // nothing it holds changed
    expect(indexWriteUnits(item(undefined), item(undefined, 'y'), byStatus, TABLE_KEYS)).toBe(0); // never in it
  });

  it('sizes an INCLUDE index by its keys and included attributes only, and ignores attribute order', () => {
    const before = {
      pk: { S: 'a' },
      sk: { S: 'b' },
      q: { S: 'CP' },
      k: { S: '1' },
      hash: { S: 'h' },
      big: padding(5000),
    };
    const after = {
      big: padding(6000),
      hash: { S: 'h' },
      k: { S: '1' },
      q: { S: 'CP' },
      sk: { S: 'b' },
      pk: { S: 'a' },
    };
    expect(indexWriteUnits(undefined, before, hashOnly, TABLE_KEYS)).toBe(1);
    expect(indexWriteUnits(before, after, hashOnly, TABLE_KEYS)).toBe(0);
  });
});
