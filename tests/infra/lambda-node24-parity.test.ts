import { describeNode24Parity, type LoadResult, unordinary } from './node24-parity';

/**
 * Lambda parity on Node.js 24, the short run in `npm test`: a fixed sample of the synthesized bundles (every
 * background function, the fail-closed cases' handlers and every fifth route function) started and invoked on the
 * Lambda's Node version; tests/infra/lambda-node24-parity.long.test.ts (`npm run test:long`) does every bundle.
 * What is checked and why: tests/infra/node24-parity.ts.
 */
describeNode24Parity({ sample: true });

describe('what counts as an ordinary outcome of an invocation with AWS unreachable', () => {
  const refused = { name: 'Error', message: 'connect ECONNREFUSED 127.0.0.1:9', code: 'ECONNREFUSED' };
  const base: LoadResult = { ok: true, node: 'v24.0.0', output: '' };

  it('accepts a rejection by the refused connection, and a 500 whose logged error is that connection', () => {
    expect(unordinary('schedule', { ...base, invocation: { outcome: 'rejected', error: refused } })).toBeUndefined();
    expect(
      unordinary('http-api', {
        ...base,
        invocation: { outcome: 'returned', statusCode: 500 },
        output: JSON.stringify({ level: 'ERROR', message: 'request failed', error: refused }),
      }),
    ).toBeUndefined();
  });

  it('refuses a setting read on first use, a thrown route and an authorizer that lets a bad token through', () => {
    const missingSetting = { name: 'Error', message: 'RECEIPT_KMS_KEY_ID is required' };
    expect(unordinary('schedule', { ...base, invocation: { outcome: 'rejected', error: missingSetting } })).toContain(
      'RECEIPT_KMS_KEY_ID',
    );
    expect(
      unordinary('http-api', {
        ...base,
        invocation: { outcome: 'returned', statusCode: 500 },
        output: JSON.stringify({ level: 'error', message: 'request failed', error: { name: 'TypeError' } }),
      }),
    ).toContain('TypeError');
    expect(unordinary('http-api', { ...base, invocation: { outcome: 'rejected', error: refused } })).toContain(
      'must answer with a status',
    );
    expect(
      unordinary('http-api-authorizer', { ...base, invocation: { outcome: 'returned', isAuthorized: true } }),
    ).toContain('must refuse');
    expect(unordinary('schedule', { ...base, ok: false, error: 'the handler did not settle' })).toContain('settle');
  });
});
