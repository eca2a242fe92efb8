import {
  awsCallSubsegment,
  epochSeconds,
  handlerSubsegment,
  httpCallSubsegment,
  newSegmentId,
  outcomeFlags,
  recordedException,
} from '../../lambdas/observability/xray-segment-documents';

const TIMING = {
  traceId: '1-5759e988-bd862e3fe1be46a994272793',
  id: 'aaaaaaaaaaaaaaaa',
  parentId: '53995c3f42cd8ad8',
  startTime: 1_765_000_000.123456,
  endTime: 1_765_000_000.234567,
};

function serviceError(name: string, status: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name}: the service said no`), {
    name,
    $metadata: { httpStatusCode: status },
    ...extra,
  });
}

describe('X-Ray subsegment documents', () => {
  it('make ids of 16 random hex digits and times in epoch seconds with fractions', () => {
    // Act
    const ids = new Set(Array.from({ length: 50 }, () => newSegmentId()));
    const now = epochSeconds();

    // Assess
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(Math.abs(now - Date.now() / 1000)).toBeLessThan(1);
    expect(Number.isInteger(now * 1000)).toBe(false);
  });

  it('build the handler subsegment with its place in the trace and the ColdStart and Service annotations', () => {
    // Act
    const document = handlerSubsegment({
      ...TIMING,
      name: '## index.handler',
      coldStart: true,
      service: 'notice-portal',
    });

    // Assess: exactly these fields, nothing else.
    expect(document).toEqual({
      name: '## index.handler',
      id: TIMING.id,
      trace_id: TIMING.traceId,
      parent_id: TIMING.parentId,
      start_time: TIMING.startTime,
      end_time: TIMING.endTime,
      type: 'subsegment',
      annotations: { ColdStart: true, Service: 'notice-portal' },
    });
  });

  it('record a handler’s error as a fault with its message, type and stack frames', () => {
    // Prepare
    const error = new TypeError('cannot read the notice');

    // Act
    const document = handlerSubsegment({ ...TIMING, name: '## h', coldStart: false, service: 's', error });

    // Assess
    expect(document.fault).toBe(true);
    expect(document.error).toBeUndefined();
    const [exception] = document.cause!.exceptions;
    expect(exception).toMatchObject({ message: 'cannot read the notice', type: 'TypeError' });
    expect(exception!.id).toMatch(/^[0-9a-f]{16}$/);
    expect(exception!.remote).toBeUndefined();
    expect(exception!.stack![0]).toEqual({
      path: expect.stringContaining('xray-segment-documents.test.ts'),
      line: expect.any(Number),
      label: expect.any(String),
    });
  });

  it('build an AWS call’s subsegment in the aws namespace, named for the service', () => {
    // Act
    const document = awsCallSubsegment(TIMING, {
      service: 'DynamoDB',
      operation: 'GetItem',
      region: 'ap-southeast-2',
      requestId: 'REQ123',
      attempts: 3,
      status: 200,
      tableName: 'notice-portal',
    });

    // Assess
    expect(document).toEqual({
      name: 'DynamoDB',
      id: TIMING.id,
      trace_id: TIMING.traceId,
      parent_id: TIMING.parentId,
      start_time: TIMING.startTime,
      end_time: TIMING.endTime,
      type: 'subsegment',
      namespace: 'aws',
      aws: {
        operation: 'GetItem',
        region: 'ap-southeast-2',
        request_id: 'REQ123',
        retries: 2,
        table_name: 'notice-portal',
      },
      http: { response: { status: 200 } },
    });
  });

  it('name the bucket and S3’s extended request id, and a table only for DynamoDB', () => {
    // Act
    const s3 = awsCallSubsegment(TIMING, {
      service: 'S3',
      operation: 'PutObject',
      extendedRequestId: 'ext-id',
      bucketName: 'responses',
      tableName: 'not-a-table',
      status: 200,
    });
    const kms = awsCallSubsegment(TIMING, { service: 'KMS', operation: 'Sign', bucketName: 'x', tableName: 'y' });

    // Assess
    expect(s3.aws).toEqual({ operation: 'PutObject', retries: 0, id_2: 'ext-id', bucket_name: 'responses' });
    expect(kms.aws).toEqual({ operation: 'Sign', retries: 0 });
    expect(kms.http).toBeUndefined();
  });

  it('build a plain HTTP call’s subsegment in the remote namespace, named for the host, without the query', () => {
    // Act
    const document = httpCallSubsegment(TIMING, {
      host: 'cognito-idp.ap-southeast-2.amazonaws.com',
      method: 'GET',
      url: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool/.well-known/jwks.json?token=secret',
      status: 503,
    });

    // Assess
    expect(document).toEqual({
      name: 'cognito-idp.ap-southeast-2.amazonaws.com',
      id: TIMING.id,
      trace_id: TIMING.traceId,
      parent_id: TIMING.parentId,
      start_time: TIMING.startTime,
      end_time: TIMING.endTime,
      type: 'subsegment',
      namespace: 'remote',
      http: {
        request: { method: 'GET', url: 'https://cognito-idp.ap-southeast-2.amazonaws.com/pool/.well-known/jwks.json' },
        response: { status: 503 },
      },
      fault: true,
    });
  });

  it.each([
    [200, undefined, {}],
    [204, undefined, {}],
    [400, 'ConditionalCheckFailedException', { error: true }],
    [404, 'NoSuchKey', { error: true }],
    [429, 'TooManyRequestsException', { error: true, throttle: true }],
    [400, 'ProvisionedThroughputExceededException', { error: true, throttle: true }],
    [500, 'InternalServerError', { fault: true }],
    [503, 'SlowDown', { fault: true }],
  ])('flag a %i answer (%s) as %j', (status, name, flags) => {
    expect(outcomeFlags(status, name ? serviceError(name, status) : undefined)).toEqual(flags);
  });

  it('flag an error the SDK models as throttling as a throttle, whatever its name', () => {
    const error = serviceError('SomeNewLimitExceeded', 400, { $retryable: { throttling: true } });
    expect(outcomeFlags(400, error)).toEqual({ error: true, throttle: true });
  });

  it('flag a call that got no answer at all (a network error) as a fault', () => {
    expect(outcomeFlags(undefined, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toEqual({
      fault: true,
    });
    expect(outcomeFlags(undefined)).toEqual({});
  });

  it('record an AWS error as remote, with its flags and status', () => {
    // Act
    const document = awsCallSubsegment(TIMING, {
      service: 'DynamoDB',
      operation: 'PutItem',
      status: 400,
      error: serviceError('ConditionalCheckFailedException', 400),
    });

    // Assess
    expect(document).toMatchObject({ error: true, http: { response: { status: 400 } } });
    expect(document.fault).toBeUndefined();
    expect(document.throttle).toBeUndefined();
    expect(document.cause!.exceptions[0]).toMatchObject({
      type: 'ConditionalCheckFailedException',
      message: 'ConditionalCheckFailedException: the service said no',
      remote: true,
    });
  });

  it('record only an error’s message, type and stack: never other fields it carries (an item, a body)', () => {
    // Prepare: what an SDK error can carry besides its message, e.g. the item that failed a condition.
    const error = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
      Item: { text: { S: 'the notice’s confidential text' } },
      $response: { body: 'the response body' },
    });

    // Act
    const serialized = JSON.stringify(
      awsCallSubsegment(TIMING, { service: 'DynamoDB', operation: 'PutItem', status: 400, error }),
    );

    // Assess
    expect(serialized).not.toContain('confidential');
    expect(serialized).not.toContain('response body');
    expect(Object.keys(recordedException(error)).sort()).toEqual(['id', 'message', 'stack', 'type']);
  });

  it('record a thrown non-Error by its text, and cap a long stack', () => {
    // Prepare
    const deep = new Error('deep');
    deep.stack = [
      'Error: deep',
      ...Array.from({ length: 200 }, (_, n) => `    at f${n} (/var/task/index.js:${n + 1}:7)`),
    ].join('\n');

    // Act
    const thrown = recordedException('a string was thrown');
    const capped = recordedException(deep);

    // Assess
    expect(thrown).toMatchObject({ message: 'a string was thrown', type: 'string' });
    expect(thrown.stack).toBeUndefined();
    expect(capped.stack).toHaveLength(32);
    expect(capped.stack![0]).toEqual({ path: '/var/task/index.js', line: 1, label: 'f0' });
  });
});
