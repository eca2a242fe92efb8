import { decodeCursor, encodeCursor } from '../../lambdas/adapters/cursor';
import { ValidationFailed } from '../../lambdas/domain/errors';

const X_CORP_LIST = { scope: 'list:by-platform:', partitionAttribute: 'platformKey', partitionValue: 'P#x-corp' };
const lastKey = {
  pk: 'NOTICE#ntc_01KAZ0000000000000000000AB',
  sk: 'NOTICE',
  platformKey: 'P#x-corp',
  dueKey: '2026-12-22T12:59:59.999Z#ntc_01KAZ0000000000000000000AB',
};

function thrownBy(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  throw new Error('expected the cursor to be refused, but it was accepted');
}

function expectCursorRefused(attempt: () => unknown): void {
  const error = thrownBy(attempt);
  expect(error).toBeInstanceOf(ValidationFailed);
  expect((error as ValidationFailed).issues).toEqual([{ path: 'cursor', message: 'is not a cursor for this query' }]);
}

describe('pagination cursors', () => {
  it('gives back the key it was made from', () => {
    // Prepare
    const cursor = encodeCursor(lastKey, X_CORP_LIST.scope);

    // Act
    const key = decodeCursor(cursor, X_CORP_LIST);

    // Assess
    expect(key).toEqual(lastKey);
  });

  it('is safe to put in a URL as it is', () => {
    // Act
    const cursor = encodeCursor(lastKey, X_CORP_LIST.scope);

    // Assess
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('keeps numeric key attributes as numbers', () => {
    // Prepare
    const key = { pk: 'NOTICE#ntc_01KAZ0000000000000000000AB', sk: 'EVENT#000002', seq: 2 };
    const scope = { scope: 'history:x', partitionAttribute: 'pk', partitionValue: key.pk };

    // Act
    const decoded = decodeCursor(encodeCursor(key, scope.scope), scope);

    // Assess
    expect(decoded).toEqual(key);
  });

  it('refuses a cursor from another kind of query', () => {
    // Prepare
    const cursor = encodeCursor(lastKey, 'list:by-platform:2026-12-01T00:00:00.000Z');

    // Act & Assess
    expectCursorRefused(() => decodeCursor(cursor, X_CORP_LIST));
  });

  it("refuses a cursor from another platform's list", () => {
    // Prepare
    const cursor = encodeCursor({ ...lastKey, platformKey: 'P#videoshare' }, X_CORP_LIST.scope);

    // Act & Assess
    expectCursorRefused(() => decodeCursor(cursor, X_CORP_LIST));
  });

  it('refuses a cursor without the partition key', () => {
    // Prepare
    const { platformKey: _dropped, ...withoutPartition } = lastKey;
    const cursor = encodeCursor(withoutPartition, X_CORP_LIST.scope);

    // Act & Assess
    expectCursorRefused(() => decodeCursor(cursor, X_CORP_LIST));
  });

  it.each([
    ['random text', 'not-a-cursor'],
    ['base64 of text that is not JSON', Buffer.from('hello world').toString('base64url')],
    ['JSON of the wrong shape', Buffer.from(JSON.stringify({ v: 1, s: X_CORP_LIST.scope })).toString('base64url')],
    [
      'a cursor of a future version',
      Buffer.from(JSON.stringify({ v: 2, s: X_CORP_LIST.scope, k: lastKey })).toString('base64url'),
    ],
    [
      'a key holding an object',
      Buffer.from(JSON.stringify({ v: 1, s: X_CORP_LIST.scope, k: { ...lastKey, sk: { S: 'x' } } })).toString(
        'base64url',
      ),
    ],
    ['an empty string', ''],
  ])('refuses %s', (_case, cursor) => {
    // Act & Assess
    expectCursorRefused(() => decodeCursor(cursor, X_CORP_LIST));
  });
});
