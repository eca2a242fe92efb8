import { fillPage, type IndexRead, listPlan } from '../../lambdas/adapters/notice-list-plan';

/** A sorted index of `n` items keyed k000…, read the way a filtered DynamoDB Query reads: Limit, then filter. */
function fakeIndex(n: number, keep: (i: number) => boolean) {
  const keys = Array.from({ length: n }, (_, i) => `k${String(i).padStart(3, '0')}`);
  let reads = 0;
  const read = async (start: Record<string, unknown> | undefined, limit: number): Promise<IndexRead> => {
    reads++;
    const from = start ? keys.indexOf(start.sk as string) + 1 : 0;
    const evaluated = keys.slice(from, from + limit);
    const last = evaluated.length === limit ? evaluated.at(-1) : undefined;
    return {
      items: evaluated.filter((k) => keep(Number(k.slice(1)))).map((sk) => ({ sk })),
      last: last ? { sk: last } : undefined,
    };
  };
  return { read, reads: () => reads };
}

describe('filling a page from filtered index reads', () => {
  it('stops after the bounded number of reads with a short page and a cursor that loses nothing', async () => {
    // Prepare: only every 100th item matches, so two reads of 50 find at most one.
    const index = fakeIndex(1000, (i) => i % 100 === 99);
    const keyOf = (item: Record<string, unknown>) => ({ sk: item.sk });

    // Act
    const first = await fillPage({ limit: 5, filtered: true, read: index.read, keyOf, maxReads: 2 });
    const second = await fillPage({
      limit: 5,
      filtered: true,
      read: index.read,
      keyOf,
      maxReads: 2,
      start: first.last,
    });

    // Assess
    expect(first.items).toEqual([{ sk: 'k099' }]);
    expect(first.last).toEqual({ sk: 'k099' });
    expect(second.items).toEqual([{ sk: 'k199' }]);
    expect(index.reads()).toBe(4);
  });

  it('ends a page at its last kept item when a read returns more than the page needs', async () => {
    // Prepare
    const index = fakeIndex(200, (i) => i % 2 === 0);
    const keyOf = (item: Record<string, unknown>) => ({ sk: item.sk });

    // Act
    const page = await fillPage({ limit: 3, filtered: true, read: index.read, keyOf });
    const next = await fillPage({ limit: 3, filtered: true, read: index.read, keyOf, start: page.last });

    // Assess
    expect(page.items.map((i) => i.sk)).toEqual(['k000', 'k002', 'k004']);
    expect(page.last).toEqual({ sk: 'k004' });
    expect(next.items.map((i) => i.sk)).toEqual(['k006', 'k008', 'k010']);
  });
});

describe('planning a list', () => {
  it('reads the open-by-due index for open notices, and binds cursors to order and filters', () => {
    // Act
    const open = listPlan({ open: true, includeDrafts: true });
    const ascending = listPlan({ type: 'formal-warning' });
    const descending = listPlan({ type: 'formal-warning', order: 'desc' });

    // Assess
    expect(open !== 'empty' && open.index.indexName).toBe('open-by-due');
    expect(open !== 'empty' && open.filter).toBeUndefined();
    expect(ascending !== 'empty' && descending !== 'empty' && ascending.scope !== descending.scope).toBe(true);
  });

  it('plans nothing for an open list of a status the platform owes nothing in, or an empty due range', () => {
    expect(listPlan({ open: true, status: 'closed', includeDrafts: true })).toBe('empty');
    expect(listPlan({ dueAfter: '2026-12-02T00:00:00.000Z', dueBefore: '2026-12-01T00:00:00.000Z' })).toBe('empty');
  });
});
