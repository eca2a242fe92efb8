import {
  currentTraceHeaderValue,
  downstreamTraceHeader,
  parseTraceHeader,
} from '../../lambdas/observability/xray-trace-header';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';

describe('the X-Ray trace header', () => {
  it('reads a sampled invocation’s root, parent and decision', () => {
    // Act
    const header = parseTraceHeader(`Root=${ROOT};Parent=${PARENT};Sampled=1`);

    // Assess
    expect(header).toEqual({ root: ROOT, parent: PARENT, sampled: true, extra: '' });
  });

  it('reads an unsampled invocation as not sampled', () => {
    expect(parseTraceHeader(`Root=${ROOT};Parent=${PARENT};Sampled=0`)?.sampled).toBe(false);
  });

  it('treats a header without a decision as not sampled', () => {
    expect(parseTraceHeader(`Root=${ROOT};Parent=${PARENT}`)?.sampled).toBe(false);
  });

  it('keeps the fields it does not read (Lineage) to pass them on, whatever the order of fields', () => {
    // Act
    const header = parseTraceHeader(`Sampled=1;Lineage=a87bd80c:1|68fd508a:5;Root=${ROOT};Parent=${PARENT}`);

    // Assess
    expect(header).toEqual({ root: ROOT, parent: PARENT, sampled: true, extra: 'Lineage=a87bd80c:1|68fd508a:5' });
    expect(downstreamTraceHeader(header!, '0123456789abcdef')).toBe(
      `Root=${ROOT};Parent=0123456789abcdef;Sampled=1;Lineage=a87bd80c:1|68fd508a:5`,
    );
  });

  it('passes an unsampled decision on downstream as unsampled', () => {
    const header = parseTraceHeader(`Root=${ROOT};Parent=${PARENT};Sampled=0`)!;
    expect(downstreamTraceHeader(header, '0123456789abcdef')).toBe(`Root=${ROOT};Parent=0123456789abcdef;Sampled=0`);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without a root', `Parent=${PARENT};Sampled=1`],
    ['without a parent (a pass-through header)', `Root=${ROOT};Sampled=1`],
    ['with a malformed root', `Root=1-5759e988-bd86;Parent=${PARENT};Sampled=1`],
    ['with a malformed parent', `Root=${ROOT};Parent=53995c3f;Sampled=1`],
    ['that is not a header at all', 'garbage'],
  ])('finds nothing to trace in a header %s', (_case, value) => {
    expect(parseTraceHeader(value)).toBeUndefined();
  });

  it('reads the invocation’s header from the environment at each call, not once', () => {
    // Prepare
    const env: NodeJS.ProcessEnv = { _X_AMZN_TRACE_ID: `Root=${ROOT};Parent=${PARENT};Sampled=1` };
    const first = currentTraceHeaderValue(env);

    // Act: Lambda sets the next invocation's header in the same process.
    env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=0000000000000001;Sampled=0`;

    // Assess
    expect(first).toContain(PARENT);
    expect(currentTraceHeaderValue(env)).toContain('Parent=0000000000000001');
    expect(currentTraceHeaderValue({})).toBeUndefined();
  });

  it('prefers the Lambda runtime’s InvokeStore, where one process runs several invocations', () => {
    // Prepare
    const lambdaGlobals = globalThis as { awslambda?: unknown };
    lambdaGlobals.awslambda = { InvokeStore: { getXRayTraceId: () => `Root=${ROOT};Parent=${PARENT};Sampled=1` } };
    try {
      // Act / Assess
      expect(currentTraceHeaderValue({ _X_AMZN_TRACE_ID: 'Root=other' })).toContain(PARENT);
    } finally {
      delete lambdaGlobals.awslambda;
    }
  });
});
