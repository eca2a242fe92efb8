import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { ListNoticesQuerySchema, NoticePathSchema } from '../../lambdas/api/contract';
import type { Caller } from '../../lambdas/domain/caller';
import { Conflict, Forbidden, NotFound, Unauthenticated } from '../../lambdas/domain/errors';
import { CreateDraftRequestSchema } from '../../lambdas/domain/notice';
import { apiHandler, type HandlerInput, type HttpResponse, json, MAX_BODY_BYTES } from '../../lambdas/http/api-handler';
import { officer, transparencyDraft } from '../support/notice-fixtures';

const NOTICE_ID = 'ntc_01KAZ0000000000000000000AB';
const OFFICER_TOKEN = 'Bearer officer.token.sig';

/** An HTTP API (payload v2) event as API Gateway delivers it: header names already lower-case. */
function httpEvent(
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    isBase64Encoded?: boolean;
    pathParameters?: Record<string, string>;
    queryStringParameters?: Record<string, string>;
  } = {},
): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const path = options.path ?? '/notices';
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: OFFICER_TOKEN, 'content-type': 'application/json', ...options.headers },
    body: options.body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    pathParameters: options.pathParameters,
    queryStringParameters: options.queryStringParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.10', userAgent: 'jest' },
      requestId: 'req-7f3a',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '24/Nov/2026:03:00:00 +0000',
      timeEpoch: Date.parse('2026-11-24T03:00:00Z'),
    },
  };
}

/** Accepts only the officer's token, as a real verifier would accept only a valid one. */
const authenticate =
  () =>
  async (header: string | undefined): Promise<Caller> => {
    if (header === OFFICER_TOKEN) return officer;
    throw new Unauthenticated('Send a bearer token in the Authorization header.');
  };

type Run<P, Q, B> = (input: HandlerInput<P, Q, B>) => Promise<HttpResponse>;
const ok: Run<unknown, unknown, unknown> = async () => json(200, { ok: true });

function createDraftHandler(run: Run<unknown, unknown, z.output<typeof CreateDraftRequestSchema>> = ok) {
  return apiHandler({ authenticate, body: CreateDraftRequestSchema }, run);
}

function noticeActionHandler(run: Run<{ noticeId: string }, unknown, unknown> = ok) {
  return apiHandler({ authenticate, params: NoticePathSchema }, run);
}

function bodyOf(response: HttpResponse): {
  error: { code: string; message: string; issues?: unknown; requestId: string };
} {
  return JSON.parse(response.body as string);
}

let stdout: jest.SpyInstance;
let stderr: jest.SpyInstance;
beforeEach(() => {
  // The handler logs one JSON line per request (Powertools writes info to stdout, warn and error to stderr); keep
  // test output clean and let tests read the lines.
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stdout.mockRestore();
  stderr.mockRestore();
});

/** Every line the handler logged, in order of writing within each stream. */
function loggedText(): string[] {
  return [...stdout.mock.calls, ...stderr.mock.calls].map(([chunk]) => String(chunk));
}
function loggedLines(): Record<string, any>[] {
  return loggedText().map((line) => JSON.parse(line));
}

describe('apiHandler: success', () => {
  it('passes the caller, parsed body and Idempotency-Key to the operation', async () => {
    // Prepare
    const run = jest.fn(async () => json(201, { created: true }));
    const handler = createDraftHandler(run);
    const draft = { ...transparencyDraft(), title: '  Padded title  ' };

    // Act
    const response = await handler(
      httpEvent({ body: JSON.stringify(draft), headers: { 'idempotency-key': 'create-2026-11-24-0001' } }),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith(
      expect.objectContaining({
        caller: officer,
        body: expect.objectContaining({ title: 'Padded title', platformId: 'x-corp' }),
        idempotencyKey: 'create-2026-11-24-0001',
      }),
    );
  });

  it('reads a base64-encoded body', async () => {
    // Prepare
    const run = jest.fn(ok);
    const handler = createDraftHandler(run);
    const body = Buffer.from(JSON.stringify(transparencyDraft())).toString('base64');

    // Act
    const response = await handler(httpEvent({ body, isBase64Encoded: true }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(run).toHaveBeenCalledWith(
      expect.objectContaining({ body: expect.objectContaining({ type: 'transparency-notice' }) }),
    );
  });

  it('accepts a structured JSON media type with parameters', async () => {
    // Prepare
    const handler = createDraftHandler();

    // Act
    const response = await handler(
      httpEvent({
        body: JSON.stringify(transparencyDraft()),
        headers: { 'content-type': 'application/merge-patch+json; charset=utf-8' },
      }),
    );

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it('reads headers whatever their case', async () => {
    // Prepare
    const handler = createDraftHandler();
    const event = httpEvent({ body: JSON.stringify(transparencyDraft()) });
    event.headers = { Authorization: OFFICER_TOKEN, 'Content-Type': 'application/json' };

    // Act
    const response = await handler(event);

    // Assess
    expect(response.statusCode).toBe(200);
  });
});

describe('apiHandler: 400 for requests it cannot read', () => {
  it('refuses a body that is not JSON', async () => {
    // Prepare
    const handler = createDraftHandler();

    // Act
    const response = await handler(httpEvent({ body: '{"title": "unterminated' }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toMatchObject({
      code: 'validation-failed',
      issues: [{ path: '', message: 'is not valid JSON' }],
      requestId: 'req-7f3a',
    });
  });

  it('refuses a body that is not valid UTF-8 instead of storing U+FFFD in place of the bad bytes', async () => {
    // Prepare
    const handler = createDraftHandler();
    const json = Buffer.from(JSON.stringify(transparencyDraft({ title: 'Caf__ notice' })));
    const invalid = Buffer.from(json.toString('latin1').replace('__', '\xE9\xFF'), 'latin1'); // é in Latin-1, then 0xFF

    // Act
    const response = await handler(httpEvent({ body: invalid.toString('base64'), isBase64Encoded: true }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error).toMatchObject({
      code: 'validation-failed',
      issues: [{ path: '', message: 'is not valid UTF-8' }],
    });
  });

  it('refuses a missing body where one is needed', async () => {
    // Prepare
    const handler = createDraftHandler();

    // Act
    const response = await handler(httpEvent({ body: undefined }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error.code).toBe('validation-failed');
  });

  it('names each invalid body field by its path', async () => {
    // Prepare
    const run = jest.fn(ok);
    const handler = createDraftHandler(run);
    const draft = transparencyDraft({
      title: 'x',
      requirements: { questions: [{ number: '1', text: '   ' }] },
    });

    // Act
    const response = await handler(httpEvent({ body: JSON.stringify(draft) }));

    // Assess
    expect(response.statusCode).toBe(400);
    const issues = bodyOf(response).error.issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path).sort()).toEqual(['requirements.questions.0.text', 'title']);
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
    expect(run).not.toHaveBeenCalled();
  });

  it('names an invalid path parameter as path.<name>', async () => {
    // Prepare
    const handler = noticeActionHandler();

    // Act
    const response = await handler(
      httpEvent({ path: '/notices/../etc/issue', pathParameters: { noticeId: '../etc' }, body: undefined }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error.issues).toEqual([{ path: 'path.noticeId', message: 'is not a notice id' }]);
  });

  it('names an invalid query parameter as query.<name>', async () => {
    // Prepare
    const handler = apiHandler({ authenticate, query: ListNoticesQuerySchema }, ok);

    // Act
    const response = await handler(
      httpEvent({ method: 'GET', queryStringParameters: { status: 'pending', limit: '10' }, body: undefined }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect((bodyOf(response).error.issues as { path: string }[]).map((i) => i.path)).toEqual(['query.status']);
  });

  it.each([
    ['shorter than 8 characters', 'abc'],
    ['containing spaces', 'create notice 0001'],
    ['longer than 128 characters', 'k'.repeat(129)],
  ])('refuses an Idempotency-Key %s', async (_why, key) => {
    // Prepare
    const run = jest.fn(ok);
    const handler = noticeActionHandler(run);

    // Act
    const response = await handler(
      httpEvent({ pathParameters: { noticeId: NOTICE_ID }, headers: { 'idempotency-key': key } }),
    );

    // Assess
    expect(response.statusCode).toBe(400);
    expect((bodyOf(response).error.issues as { path: string }[]).map((i) => i.path)).toEqual([
      'header.idempotency-key',
    ]);
    expect(run).not.toHaveBeenCalled();
  });
});

describe('apiHandler: refusals', () => {
  it('answers a request without a token with 401 and a WWW-Authenticate challenge', async () => {
    // Prepare
    const run = jest.fn(ok);
    const handler = createDraftHandler(run);
    const event = httpEvent({ body: JSON.stringify(transparencyDraft()) });
    delete event.headers.authorization;

    // Act
    const response = await handler(event);

    // Assess
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toMatch(/^Bearer\b/);
    expect(bodyOf(response).error).toMatchObject({
      code: 'unauthenticated',
      message: 'Send a bearer token in the Authorization header.',
    });
    expect(run).not.toHaveBeenCalled();
  });

  it('checks the token before it reads the body', async () => {
    // Prepare
    const handler = createDraftHandler();

    // Act
    const response = await handler(
      httpEvent({ body: 'not json', headers: { authorization: 'Bearer forged.token.x' } }),
    );

    // Assess
    expect(response.statusCode).toBe(401);
  });

  it.each([
    ['Forbidden', 403, 'forbidden', new Forbidden('Only regulator users may create notices.')],
    ['NotFound', 404, 'not-found', new NotFound(`Notice ${NOTICE_ID} was not found.`)],
    ['Conflict', 409, 'illegal-transition', new Conflict('illegal-transition', 'Cannot acknowledge: it is withdrawn.')],
    ['Conflict', 409, 'concurrent-update', new Conflict('concurrent-update', 'Changed by another request.')],
  ])('answers %s from the operation with %i and code %s', async (_name, status, code, error) => {
    // Prepare
    const handler = noticeActionHandler(async () => {
      throw error;
    });

    // Act
    const response = await handler(httpEvent({ pathParameters: { noticeId: NOTICE_ID }, body: undefined }));

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['www-authenticate']).toBeUndefined();
    expect(bodyOf(response)).toEqual({ error: { code, message: error.message, requestId: 'req-7f3a' } });
  });

  it('refuses a body just over 64 KiB with 413 before parsing it', async () => {
    // Prepare
    const run = jest.fn(ok);
    const handler = createDraftHandler(run);
    const body = `{"title":"${'a'.repeat(MAX_BODY_BYTES + 1 - '{"title":""}'.length)}"}`;

    // Act
    const response = await handler(httpEvent({ body }));

    // Assess
    expect(Buffer.byteLength(body)).toBe(64 * 1024 + 1);
    expect(response.statusCode).toBe(413);
    expect(bodyOf(response).error.code).toBe('payload-too-large');
    expect(run).not.toHaveBeenCalled();
  });

  it('accepts a body of exactly 64 KiB', async () => {
    // Prepare
    const handler = apiHandler({ authenticate, body: z.object({ text: z.string() }) }, ok);
    const body = `{"text":"${'a'.repeat(MAX_BODY_BYTES - '{"text":""}'.length)}"}`;

    // Act
    const response = await handler(httpEvent({ body }));

    // Assess
    expect(Buffer.byteLength(body)).toBe(64 * 1024);
    expect(response.statusCode).toBe(200);
  });

  it('counts the limit in bytes, not characters', async () => {
    // Prepare: 22 000 three-byte characters are 66 000 bytes.
    const handler = apiHandler({ authenticate, body: z.object({ text: z.string() }) }, ok);
    const body = JSON.stringify({ text: '€'.repeat(22_000) });

    // Act
    const response = await handler(httpEvent({ body }));

    // Assess
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect(response.statusCode).toBe(413);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
    ['a type that only starts like JSON', 'application/jsonp'],
  ])('refuses a body sent as %s with 415', async (_name, contentType) => {
    // Prepare
    const handler = createDraftHandler();

    // Act
    const response = await handler(
      httpEvent({ body: JSON.stringify(transparencyDraft()), headers: { 'content-type': contentType } }),
    );

    // Assess
    expect(response.statusCode).toBe(415);
    expect(bodyOf(response).error.code).toBe('unsupported-media-type');
  });

  it('refuses a body with no Content-Type with 415', async () => {
    // Prepare
    const handler = createDraftHandler();
    const event = httpEvent({ body: JSON.stringify(transparencyDraft()) });
    delete event.headers['content-type'];

    // Act
    const response = await handler(event);

    // Assess
    expect(response.statusCode).toBe(415);
  });
});

describe('apiHandler: operations that take no body', () => {
  it('refuse a non-empty body with 400 before running', async () => {
    // Prepare
    const run = jest.fn(ok);
    const handler = noticeActionHandler(run);

    // Act
    const response = await handler(httpEvent({ pathParameters: { noticeId: NOTICE_ID }, body: '{"reason":"x"}' }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).error.issues).toEqual([
      { path: '', message: 'must be empty: this operation reads no body' },
    ]);
    expect(run).not.toHaveBeenCalled();
  });

  it('refuse a body over 64 KiB with 413', async () => {
    // Prepare
    const handler = noticeActionHandler();

    // Act
    const response = await handler(
      httpEvent({ pathParameters: { noticeId: NOTICE_ID }, body: 'x'.repeat(MAX_BODY_BYTES + 1) }),
    );

    // Assess
    expect(response.statusCode).toBe(413);
  });

  it('run when there is no body, or an empty one', async () => {
    // Prepare
    const handler = noticeActionHandler();

    // Act
    const missing = await handler(httpEvent({ pathParameters: { noticeId: NOTICE_ID }, body: undefined }));
    const empty = await handler(httpEvent({ pathParameters: { noticeId: NOTICE_ID }, body: '' }));

    // Assess
    expect([missing.statusCode, empty.statusCode]).toEqual([200, 200]);
  });
});

describe('apiHandler: unexpected failures', () => {
  const secret = 'connect ECONNREFUSED 10.0.3.7:8000 table notices-prod-7d1f';

  function failingHandler(thrown: unknown) {
    return noticeActionHandler(async () => {
      throw thrown;
    });
  }

  it('answers a thrown Error with a bare 500 that carries only code, message and request id', async () => {
    // Prepare
    const handler = failingHandler(new Error(secret));

    // Act
    const response = await handler(httpEvent({ pathParameters: { noticeId: NOTICE_ID }, body: undefined }));

    // Assess
    expect(response.statusCode).toBe(500);
    const body = bodyOf(response);
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
    expect(body.error).toMatchObject({ code: 'internal', requestId: 'req-7f3a' });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain('notices-prod');
    expect(response.body).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(response.body).not.toContain('stack');
  });

  it('logs the unexpected error in full for the operators', async () => {
    // Prepare
    const handler = failingHandler(new Error(secret));

    // Act
    await handler(httpEvent({ pathParameters: { noticeId: NOTICE_ID }, body: undefined }));

    // Assess
    const failure = loggedLines().find((l) => l.level === 'ERROR') ?? {};
    expect(failure).toMatchObject({ requestId: 'req-7f3a', message: 'request failed' });
    expect(failure.error.message).toBe(secret);
    expect(failure.error.stack).toContain('api-handler.test.ts');
  });

  it('answers a thrown non-Error with the same bare 500', async () => {
    // Prepare
    const handler = failingHandler(secret);

    // Act
    const response = await handler(httpEvent({ pathParameters: { noticeId: NOTICE_ID }, body: undefined }));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('ECONNREFUSED');
  });

  it('does not log the request body or the token', async () => {
    // Prepare
    const handler = createDraftHandler(async () => {
      throw new Error('boom');
    });
    const draft = transparencyDraft({ title: 'Confidential: child safety investigation' });

    // Act
    await handler(httpEvent({ body: JSON.stringify(draft) }));

    // Assess
    const logged = loggedText().join('\n');
    expect(logged).not.toContain('Confidential');
    expect(logged).not.toContain('officer.token');
  });
});

describe('apiHandler: logging', () => {
  const lambdaContext = {
    awsRequestId: 'lambda-req-91c2',
    functionName: 'portal-create-draft',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-2:123456789012:function:portal-create-draft',
    memoryLimitInMB: '512',
    functionVersion: '$LATEST',
    logGroupName: '/aws/lambda/portal-create-draft',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };

  it('writes the Lambda request id, the route and the caller on every line of a request', async () => {
    // Prepare: the operation logs a line of its own.
    const handler = createDraftHandler(async ({ log }) => {
      log.info('draft stored', { noticeId: NOTICE_ID });
      return json(201, {});
    });

    // Act
    await handler(httpEvent({ body: JSON.stringify(transparencyDraft()) }), lambdaContext);

    // Assess
    const lines = loggedLines();
    expect(lines.map((l) => l.message)).toEqual(['draft stored', 'request completed']);
    for (const line of lines) {
      expect(line).toMatchObject({
        service: 'notice-portal',
        function_request_id: 'lambda-req-91c2',
        requestId: 'req-7f3a',
        route: 'POST /notices',
        caller: { kind: 'user', id: officer.subject },
      });
    }
    expect(lines[1]).toMatchObject({ level: 'INFO', status: 201 });
  });

  it('logs a refusal exactly once, at WARN, with who was refused and why', async () => {
    // Prepare
    const handler = createDraftHandler();
    const event = httpEvent({ body: JSON.stringify(transparencyDraft()) });
    delete event.headers.authorization;

    // Act
    await handler(event);

    // Assess: one line for the request, the refusal, and no "completed" line beside it.
    const lines = loggedLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'WARN',
      message: 'request refused',
      status: 401,
      code: 'unauthenticated',
      reason: 'Send a bearer token in the Authorization header.',
      route: 'POST /notices',
      caller: { kind: 'anonymous', id: 'anonymous' },
    });
  });

  it('keeps the keys of requests answered at the same time apart', async () => {
    // Prepare: the first request is still running when the second one is refused.
    let release!: () => void;
    const waiting = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = createDraftHandler(async ({ log }) => {
      await waiting;
      log.info('slow operation done');
      return json(201, {});
    });
    const refusedEvent = httpEvent({ body: JSON.stringify(transparencyDraft()) });
    delete refusedEvent.headers.authorization;
    refusedEvent.requestContext.requestId = 'req-other';

    // Act
    const first = slow(httpEvent({ body: JSON.stringify(transparencyDraft()) }));
    await createDraftHandler()(refusedEvent);
    release();
    await first;

    // Assess
    const byMessage = Object.fromEntries(loggedLines().map((l) => [l.message, l]));
    expect(byMessage['slow operation done']).toMatchObject({ requestId: 'req-7f3a', caller: { kind: 'user' } });
    expect(byMessage['request refused']).toMatchObject({ requestId: 'req-other', caller: { kind: 'anonymous' } });
  });
});
