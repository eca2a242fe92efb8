import { request as httpRequest } from 'node:http';
import { defined } from '../support/defined';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/**
 * Every client mistake gets a clear 4xx naming the problem, and changes nothing.
 */
let h: Harness;
let issuedId: string;
beforeAll(async () => {
  h = await startHarness();
  const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));
  issuedId = draft.body.id;
  await h.as('officer').post(`/notices/${issuedId}/issue`);
});
afterAll(async () => {
  await h.stop();
});

async function noticeCount(): Promise<number> {
  const list = await h.as('admin').get('/notices?limit=100');
  return list.body.items.length;
}

describe('400: invalid input, with field-level messages', () => {
  it('names each missing or malformed field of a draft and records nothing', async () => {
    const before = await noticeCount();

    const response = await h.as('officer').post('/notices', {
      type: 'transparency-notice',
      platformId: 'X Corp',
      requirements: { questions: [{ number: 'one', text: '' }] },
      surprise: true,
    });

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation-failed');
    const paths = response.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'platformId',
        'title',
        'mannerAndForm',
        'requirements.questions.0.number',
        'requirements.questions.0.text',
        'surprise',
      ]),
    );
    expect(await noticeCount()).toBe(before);
  });

  it('explains catalogue rules: unknown type, a notice without questions, an infringement notice without payment details', async () => {
    const officer = h.as('officer');

    const unknown = await officer.post('/notices', transparencyDraft('x-corp', { type: 'subpoena' }));
    const noQuestions = await officer.post('/notices', transparencyDraft('x-corp', { requirements: {} }));
    const noPayment = await officer.post('/notices', {
      type: 'infringement-notice',
      platformId: 'x-corp',
      title: 'Infringement notice for failing to comply with a transparency notice',
      mannerAndForm: 'Pay the amount stated.',
    });
    const badTimeZone = await officer.post('/notices', transparencyDraft('x-corp', { timeZone: 'Mars/Olympus' }));

    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0]).toMatchObject({ path: 'type', message: expect.stringMatching(/subpoena/) });
    expect(noQuestions.body.error.issues[0].path).toBe('requirements.questions');
    expect(noPayment.body.error.issues[0]).toMatchObject({
      path: 'infringement',
      message: expect.stringMatching(/place for payment/),
    });
    expect(badTimeZone.body.error.issues[0]).toMatchObject({ path: 'timeZone' });
  });

  it('refuses a body that is not JSON, and an empty withdrawal reason', async () => {
    const notJson = await h.as('officer').raw('/notices', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": ',
    });
    const noReason = await h.as('officer').post(`/notices/${issuedId}/withdraw`, { reason: ' ' });

    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/not valid JSON/);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.issues[0].path).toBe('reason');
    expect((await h.as('officer').get(`/notices/${issuedId}`)).body.status).toBe('issued');
  });

  it('refuses malformed path and query values', async () => {
    const badId = await h.as('officer').get('/notices/not-a-notice-id');
    const badQuery = await h.as('officer').get('/notices?status=lost&limit=0&dueBefore=tomorrow');
    const badKey = await h.as('officer').post('/notices', transparencyDraft('x-corp'), { 'idempotency-key': 'x' });

    expect(badId.status).toBe(400);
    expect(badId.body.error.issues[0].path).toBe('path.noticeId');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'query.dueBefore',
      'query.limit',
      'query.status',
    ]);
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.issues[0].path).toBe('header.idempotency-key');
  });
});

describe('401: missing or invalid token', () => {
  it.each([
    ['no token', undefined],
    ['a malformed header', 'Token abc'],
    ['a token that is not a JWT', 'Bearer abc.def'],
  ])('refuses %s', async (_case, authorization) => {
    const response = await h.anonymous().get('/notices', authorization ? { authorization } : undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('refuses an expired token, a token with a forged signature and one for another audience', async () => {
    const expired = await h.portal.identity.tokenFor('officer', {}, { expiresInSeconds: -60 });
    const valid = await h.portal.identity.tokenFor('officer');
    const [header, payload] = valid.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(defined(payload, 'the token payload'), 'base64url').toString()),
        'cognito:groups': ['regulator-admin'],
      }),
    ).toString('base64url');
    const forged = `${header}.${forgedPayload}.${valid.split('.')[2]}`;
    const otherAudience = await h.portal.identity.tokenFor('officer', { aud: 'another-app' });

    for (const token of [expired, forged, otherAudience]) {
      const response = await h.anonymous().get('/notices', { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
    }
  });
});

describe('403: a role that may not do this', () => {
  it('refuses a platform user creating or issuing a notice, and a regulator acknowledging one', async () => {
    const create = await h.as('x-corp-legal').post('/notices', transparencyDraft('x-corp'));
    const issue = await h.as('x-corp-legal').post(`/notices/${issuedId}/issue`);
    const acknowledge = await h.as('officer').post(`/notices/${issuedId}/acknowledge`);

    expect(create.status).toBe(403);
    expect(issue.status).toBe(403);
    expect(acknowledge.status).toBe(403);
    expect(acknowledge.body.error.message).toMatch(/platform-responder/);
    expect((await h.as('officer').get(`/notices/${issuedId}`)).body.status).toBe('issued');
  });
});

describe('403 for a role that may not do this, whatever the resource', () => {
  it('answers a platform user issuing or reviewing the same 403 for its own draft, its own notice and an unknown id', async () => {
    const ownDraft = (await h.as('officer').post('/notices', transparencyDraft('x-corp'))).body.id;
    const unknown = 'ntc_01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const platform = h.as('x-corp-legal');

    const answers = [];
    for (const id of [ownDraft, issuedId, unknown]) {
      for (const action of ['issue', 'review']) {
        const response = await platform.post(`/notices/${id}/${action}`);
        answers.push(
          `${action} ${id === unknown ? 'unknown' : id === ownDraft ? 'draft' : 'issued'}: ${response.status} ${response.body.error?.code}`,
        );
      }
    }

    expect(answers).toEqual([
      'issue draft: 403 forbidden',
      'review draft: 403 forbidden',
      'issue issued: 403 forbidden',
      'review issued: 403 forbidden',
      'issue unknown: 403 forbidden',
      'review unknown: 403 forbidden',
    ]);
    expect((await h.as('officer').get(`/notices/${ownDraft}`)).body.status).toBe('draft');
  });

  it('still answers 404 to a platform user acknowledging a notice that does not exist (its role may acknowledge)', async () => {
    const response = await h.as('x-corp-legal').post('/notices/ntc_01ARZ3NDEKTSV4RRFFQ69G5FAV/acknowledge');

    expect(response.status).toBe(404);
  });
});

describe('404: unknown', () => {
  it('answers 404 for a notice that does not exist and for an unknown route', async () => {
    const missing = await h.as('officer').get('/notices/ntc_01ARZ3NDEKTSV4RRFFQ69G5FAV');
    const route = await h.as('officer').get('/no-such-thing');

    expect(missing.status).toBe(404);
    expect(route.status).toBe(404);
  });
});

describe('400: text that could not be kept as evidence', () => {
  it('refuses a title with a lone UTF-16 surrogate and records nothing', async () => {
    const before = await noticeCount();

    // JSON.stringify writes the lone surrogate as the escape \ud800, exactly as a careless client would send it.
    const response = await h
      .as('officer')
      .post('/notices', transparencyDraft('x-corp', { title: 'Transparency \uD800 notice' }));

    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([{ path: 'title', message: expect.stringContaining('lone surrogate') }]);
    expect(await noticeCount()).toBe(before);
  });

  it('refuses a body that is not valid UTF-8 rather than storing U+FFFD in place of the bad bytes', async () => {
    const before = await noticeCount();
    const latin1Title = Buffer.from(JSON.stringify(transparencyDraft('x-corp', { title: 'Caf_ notice' })), 'latin1');
    latin1Title[latin1Title.indexOf('_')] = 0xe9; // "é" in Latin-1: not UTF-8

    const response = await h.as('officer').raw('/notices', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: latin1Title,
    });

    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([{ path: '', message: 'is not valid UTF-8' }]);
    expect(await noticeCount()).toBe(before);
  });
});

describe('400: a body two JSON readers would read differently', () => {
  it('refuses a field written twice, naming where, and records nothing', async () => {
    const before = await noticeCount();
    const draft = JSON.stringify(transparencyDraft('x-corp', { title: 'The title the portal would keep' }));
    // JSON.parse keeps the last "title", other parsers the first: the record must not depend on which one reads it.
    const twice = `{"title":"A title the platform's parser would keep",${draft.slice(1)}`;

    const response = await h.as('officer').raw('/notices', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(twice),
    });

    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      { path: 'title', message: 'appears more than once in its object: send each field once' },
    ]);
    expect(await noticeCount()).toBe(before);
  });

  it('names the path of a repeated key inside nested objects and lists', async () => {
    const draft = transparencyDraft('x-corp') as { requirements: { questions: unknown[] } };
    const text = JSON.stringify(draft).replace('"number":"1"', '"number":"1","number":"2"');
    expect(text).not.toBe(JSON.stringify(draft));

    const response = await h.as('officer').raw('/notices', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(text),
    });

    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      {
        path: 'requirements.questions.0.number',
        message: 'appears more than once in its object: send each field once',
      },
    ]);
  });
});

describe('413 and 415: bodies the API will not read', () => {
  it('refuses a body over 64 KiB and one that is not JSON', async () => {
    const before = await noticeCount();
    const huge = transparencyDraft('x-corp', { mannerAndForm: 'x'.repeat(70 * 1024) });

    const tooLarge = await h.as('officer').post('/notices', huge);
    const notJson = await h.as('officer').raw('/notices', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'issue a notice please',
    });

    expect(tooLarge.status).toBe(413);
    expect(notJson.status).toBe(415);
    expect(await noticeCount()).toBe(before);
  });
});

describe('no client mistake yields a 500', () => {
  it.each([
    ['POST', '/notices', '[]'],
    ['POST', '/notices', 'null'],
    ['POST', '/notices', '"text"'],
    ['POST', '/notices', '{"type":{"$gt":""}}'],
    ['GET', '/notices?limit=abc&cursor=%00', undefined],
    ['GET', '/notices/ntc_%2F..%2F', undefined],
  ])('%s %s %s', async (method, path, body) => {
    const response = await h.as('officer').raw(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('the token endpoint: bad credentials are 401, never 500', () => {
  const tokenRequest = (authorization: string) =>
    h.anonymous().raw('/oauth2/token', {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  it.each([
    ['a very large Basic header', basic('a'.repeat(6000), 'secret')],
    ['a client id longer than any client id', basic(`pac_${'A'.repeat(200)}`, 'secret')],
    ['a secret longer than any secret', basic('pac_01KAZ00000000000000000000A', 's'.repeat(500))],
  ])('answers %s with invalid_client', async (_name, authorization) => {
    const response = await tokenRequest(authorization);

    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
  });
});

describe('operations that take no body refuse one', () => {
  it('refuses a non-empty body with 400 and one over 64 KiB with 413, and issues nothing', async () => {
    const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));

    const small = await h.as('officer').post(`/notices/${draft.body.id}/issue`, { dueAt: '2030-01-01T00:00:00Z' });
    const huge = await h.as('officer').post(`/notices/${draft.body.id}/issue`, { filler: 'x'.repeat(70 * 1024) });
    const notJson = await h.as('officer').raw(`/notices/${draft.body.id}/issue`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'please issue',
    });

    expect(small.status).toBe(400);
    expect(small.body.error.issues).toEqual([{ path: '', message: expect.stringMatching(/no body/) }]);
    expect(huge.status).toBe(413);
    expect(notJson.status).toBe(400);
    expect((await h.as('officer').get(`/notices/${draft.body.id}`)).body.status).toBe('draft');
  });

  it('still accepts the operation with no body at all', async () => {
    const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));

    const issued = await h.as('officer').post(`/notices/${draft.body.id}/issue`);

    expect(issued.status).toBe(200);
  });

  it('refuses a body on a GET, whose handler reads none', async () => {
    const probe = '{"probe": true}';
    // fetch refuses a body on a GET; API Gateway and the local portal deliver one, so send it with node:http.
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(`${h.portal.url}/health`);
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'GET',
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(probe)) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.end(probe);
    });

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe('validation-failed');
  });
});
