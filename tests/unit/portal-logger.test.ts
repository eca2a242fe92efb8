import { PortalLogger } from '../../lambdas/observability/logger';
import { withRequestLogKeys } from '../../lambdas/observability/request-context';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';

/** Runs `work` with both streams captured: each line written, parsed, with the stream it went to. */
function written(work: () => void): { stream: 'stdout' | 'stderr'; line: Record<string, any> }[] {
  const lines: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  const capture = (stream: 'stdout' | 'stderr') =>
    jest.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push({ stream, text: String(chunk) });
      return true;
    });
  const spies = [capture('stdout'), capture('stderr')];
  try {
    work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines.map(({ stream, text }) => {
    // One JSON object per write, ending the line.
    expect(text.endsWith('\n')).toBe(true);
    expect(text.slice(0, -1)).not.toContain('\n');
    return { stream, line: JSON.parse(text) };
  });
}

const context = (awsRequestId: string) => ({ awsRequestId, functionName: 'notice-portal-get-notice' });

describe('the portal logger', () => {
  it('writes debug and info to stdout, warn and error to stderr, and nothing below its level', () => {
    // Prepare
    const log = new PortalLogger('info', 'notice-portal', {});

    // Act
    const lines = written(() => {
      log.debug('hidden');
      log.info('shown');
      log.warn('refused');
      log.error('failed');
      log.setLogLevel('error');
      log.warn('hidden too');
      log.setLogLevel('debug');
      log.debug('now shown');
    });

    // Assess
    expect(lines.map(({ stream, line }) => [stream, line.level, line.message])).toEqual([
      ['stdout', 'INFO', 'shown'],
      ['stderr', 'WARN', 'refused'],
      ['stderr', 'ERROR', 'failed'],
      ['stdout', 'DEBUG', 'now shown'],
    ]);
    expect(log.level).toBe('debug');
  });

  it('puts the standard keys first, then the line’s fields, with an ISO timestamp', () => {
    // Prepare
    const log = new PortalLogger('info', 'notice-portal', {});

    // Act
    const [entry] = written(() => log.info('file hashed', { noticeId: 'ntc_1', index: 2 }));

    // Assess
    expect(Object.keys(entry!.line)).toEqual(['level', 'message', 'timestamp', 'service', 'noticeId', 'index']);
    expect(entry!.line).toMatchObject({ service: 'notice-portal', noticeId: 'ntc_1', index: 2 });
    expect(new Date(entry!.line.timestamp).toISOString()).toBe(entry!.line.timestamp);
  });

  it('marks only the first invocation a cold start, and none in a provisioned-concurrency environment', () => {
    // Prepare
    const onDemand = new PortalLogger('info', 'notice-portal', {});
    const provisioned = new PortalLogger('info', 'notice-portal', {
      AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency',
    });

    // Act
    const lines = written(() => {
      onDemand.addContext(context('req-1'));
      onDemand.info('first');
      onDemand.addContext(context('req-2'));
      onDemand.info('second');
      provisioned.addContext(context('req-3'));
      provisioned.info('third');
    });

    // Assess
    expect(lines.map(({ line }) => [line.function_request_id, line.cold_start, line.function_name])).toEqual([
      ['req-1', true, 'notice-portal-get-notice'],
      ['req-2', false, 'notice-portal-get-notice'],
      ['req-3', false, 'notice-portal-get-notice'],
    ]);
  });

  it('carries the invocation’s X-Ray trace id, read at each line', () => {
    // Prepare
    const env: NodeJS.ProcessEnv = {};
    const log = new PortalLogger('info', 'notice-portal', env);

    // Act
    const lines = written(() => {
      log.info('untraced');
      env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`;
      log.info('traced');
    });

    // Assess
    expect(lines.map(({ line }) => line.xray_trace_id)).toEqual([undefined, ROOT]);
  });

  it('adds the API request’s keys to the lines written while it is answered, and a field cannot change them', async () => {
    // Prepare
    const log = new PortalLogger('info', 'notice-portal', {});
    const keys = { requestId: 'api-1', route: 'GET /notices/{noticeId}', caller: { kind: 'user' as const, id: 'u1' } };
    const lines: ReturnType<typeof written> = [];

    // Act
    await withRequestLogKeys(keys, async () => {
      lines.push(...written(() => log.warn('request refused', { status: 403, level: 'forged', caller: { id: 'x' } })));
    });
    lines.push(...written(() => log.info('after')));

    // Assess
    expect(lines[0]!.line).toMatchObject({
      level: 'WARN',
      requestId: 'api-1',
      route: 'GET /notices/{noticeId}',
      status: 403,
      caller: { id: 'x' },
    });
    // The standard keys win over a line's fields; the request's own caller object is left as it was.
    expect(keys.caller).toEqual({ kind: 'user', id: 'u1' });
    expect(lines[1]!.line.requestId).toBeUndefined();
  });

  it('writes an Error with its name, code location, message, stack, cause and own fields', () => {
    // Prepare
    const log = new PortalLogger('info', 'notice-portal', {});
    const cause = new Error('socket hang up');
    const error = Object.assign(new TypeError('store failed', { cause }), { $metadata: { attempts: 3 } });

    // Act
    const [alone, inField] = written(() => {
      log.error('request failed', error);
      log.error('request failed', { error, noticeId: 'ntc_1' });
    });

    // Assess
    for (const entry of [alone!, inField!]) {
      expect(entry.line.error).toMatchObject({
        name: 'TypeError',
        message: 'store failed',
        stack: error.stack,
        $metadata: { attempts: 3 },
        cause: { name: 'Error', message: 'socket hang up', stack: cause.stack },
      });
      expect(entry.line.error.location).toMatch(/portal-logger\.test\.ts:\d+$/);
    }
    expect(inField!.line.noticeId).toBe('ntc_1');
  });

  it('writes a bigint as its digits and leaves out a circular reference instead of failing the line', () => {
    // Prepare
    const log = new PortalLogger('info', 'notice-portal', {});
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    const shared = { n: 1 };

    // Act
    const [entry] = written(() => log.info('odd values', { big: 2n ** 70n, loop, a: shared, b: shared }));

    // Assess
    expect(entry!.line).toMatchObject({ big: '1180591620717411303424', loop: { name: 'loop' }, a: { n: 1 } });
    expect(entry!.line.loop).not.toHaveProperty('self');
    // The same object twice side by side is not a cycle.
    expect(entry!.line.b).toEqual({ n: 1 });
  });
});
