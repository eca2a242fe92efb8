import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/**
 * Onboarding and identity through the local portal: platforms and their succession, invited users who sign in on
 * the development sign-in page, immediate disabling, machine clients with rotation and revocation, and the
 * structured log line every refusal leaves.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const withToken = (token: string) => ({ authorization: `Bearer ${token}` });

async function onboard(platformId: string, legalName = `${platformId} Inc.`) {
  const response = await h.as('admin').post('/platforms', {
    platformId,
    legalName,
    tradingNames: [legalName],
    jurisdiction: { country: 'US' },
    contacts: [`notices@${platformId}.example`],
  });
  expect(response.status).toBe(201);
  return response.body;
}

async function issueFor(platformId: string): Promise<string> {
  const draft = await h.as('officer').post('/notices', transparencyDraft(platformId));
  expect(draft.status).toBe(201);
  await h.as('officer').post(`/notices/${draft.body.id}/issue`);
  return draft.body.id;
}

describe('platforms', () => {
  it('drafts notices only for onboarded platforms, served on the platform’s contacts by default', async () => {
    await onboard('acme-social');

    const unknown = await h.as('officer').post('/notices', transparencyDraft('nobody-here'));
    const draft = await h.as('officer').post('/notices', transparencyDraft('acme-social'));

    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0]).toMatchObject({ path: 'platformId' });
    expect(draft.body.contacts).toEqual(['notices@acme-social.example']);
  });

  it('keeps a renamed platform’s notices, and shows a merged platform’s notices to its successor with provenance', async () => {
    await onboard('twitter', 'Twitter, Inc.');
    const noticeId = await issueFor('twitter');

    const renamed = await h.as('admin').post('/platforms/twitter/rename', {
      legalName: 'X Holdings I, Inc.',
      tradingNames: ['Twitter'],
      reason: 'Change of name after acquisition',
    });
    const merged = await h
      .as('admin')
      .post('/platforms/twitter/merge', { into: 'x-corp', reason: 'Merged into X Corp.' });
    const again = await h
      .as('admin')
      .post('/platforms/twitter/merge', { into: 'x-corp', reason: 'Merged into X Corp.' });
    const successor = await h.as('admin').get('/platforms/x-corp');
    const seenBySuccessor = await h.as('x-corp-legal').get(`/notices/${noticeId}`);
    const listed = await h.as('x-corp-legal').get('/notices?platformId=twitter');
    const draftForMerged = await h.as('officer').post('/notices', transparencyDraft('twitter'));

    expect(renamed.body.provenance.at(-1)).toMatchObject({
      kind: 'renamed',
      reason: 'Change of name after acquisition',
      details: { from: { legalName: 'Twitter, Inc.' }, to: { legalName: 'X Holdings I, Inc.' } },
    });
    expect(merged.body).toMatchObject({ status: 'merged', mergedInto: 'x-corp' });
    expect(again.body.provenance.filter((p: { kind: string }) => p.kind === 'merged-into')).toHaveLength(1);
    expect(successor.body.predecessors).toContain('twitter');
    expect(successor.body.provenance.at(-1)).toMatchObject({ kind: 'absorbed', details: { platformId: 'twitter' } });
    expect(seenBySuccessor.status).toBe(200);
    expect(listed.body.items.map((n: { id: string }) => n.id)).toContain(noticeId);
    expect(draftForMerged.body.error.issues[0].message).toMatch(/merged into "x-corp"/);
  });

  it('lets only regulator admins onboard, and platform users read only their own platform', async () => {
    const byOfficer = await h.as('officer').post('/platforms', {
      platformId: 'sneaky',
      legalName: 'Sneaky',
      jurisdiction: { country: 'AU' },
      contacts: ['a@b.example'],
    });
    const own = await h.as('videoshare-legal').get('/platforms/videoshare');
    const other = await h.as('videoshare-legal').get('/platforms/x-corp');
    const list = await h.as('videoshare-legal').get('/platforms');

    expect(byOfficer.status).toBe(403);
    expect(own.status).toBe(200);
    expect(other.status).toBe(404);
    expect(list.status).toBe(403);
  });
});

describe('users', () => {
  it('invites a platform user who signs in with a password, and disabling them stops their token at once', async () => {
    const invited = await h.as('admin').post('/users', {
      email: 'counsel@videoshare.example',
      name: 'Casey Counsel',
      role: 'platform-responder',
      platformId: 'videoshare',
    });
    const signIn = await fetch(`${h.portal.url}/dev-idp/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'counsel@videoshare.example', password: invited.body.temporaryPassword }),
    });
    const token = /<textarea[^>]*>([^<]+)<\/textarea>/.exec(await signIn.text())?.[1] ?? '';
    const before = await h.anonymous().get('/notices', withToken(token));

    const disabled = await h
      .as('admin')
      .post(`/users/${invited.body.user.subject}/disable`, { reason: 'Left the company' });
    const after = await h.anonymous().get('/notices', withToken(token));
    const wrongPassword = await fetch(`${h.portal.url}/dev-idp/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'counsel@videoshare.example', password: 'guess' }),
    });

    expect(invited.status).toBe(201);
    expect(signIn.status).toBe(200);
    expect(before.status).toBe(200);
    expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'Left the company' });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toMatch(/disabled/);
    expect(wrongPassword.status).toBe(401);
  });

  it('refuses to invite a platform user without a platform, or a regulator with one', async () => {
    const noPlatform = await h
      .as('admin')
      .post('/users', { email: 'p@x.example', name: 'P', role: 'platform-responder' });
    const regulatorWithPlatform = await h
      .as('admin')
      .post('/users', { email: 'r@x.example', name: 'R', role: 'regulator-officer', platformId: 'x-corp' });

    expect(noPlatform.body.error.issues[0].path).toBe('platformId');
    expect(regulatorWithPlatform.body.error.issues[0].path).toBe('platformId');
  });

  it('logs every refusal as one JSON line saying who, what and why, without the notice’s data', async () => {
    const noticeId = await issueFor('x-corp');
    const lines: string[] = [];
    // Powertools writes warn lines to stderr; the portal's logger is the one the handlers loaded in this file.
    const collect = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(collect),
      jest.spyOn(process.stderr, 'write').mockImplementation(collect),
    ];
    const { logger } = await import('../../lambdas/observability/logger');
    const level = logger.getLevelName();
    logger.setLogLevel('WARN');
    try {
      await h.as('videoshare-legal').get(`/notices/${noticeId}`);
    } finally {
      logger.setLogLevel(level);
      for (const spy of spies) spy.mockRestore();
    }
    const refusals = lines
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{'))
      .map((l) => ({ line: l, entry: JSON.parse(l) }))
      .filter(({ entry }) => entry.message === 'request refused');

    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.entry).toMatchObject({
      level: 'WARN',
      status: 404,
      code: 'not-found',
      caller: { kind: 'user', id: '6f1c2a34-0000-4000-8000-00000000b002', platform: 'videoshare' },
      route: 'GET /notices/{noticeId}',
      reason: expect.stringContaining(noticeId),
    });
    expect(refusals[0]!.line).not.toContain('child sexual exploitation');
  });
});

describe('machine clients', () => {
  async function tokenFor(clientId: string, secret: string) {
    const response = await fetch(`${h.portal.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('issues platform-scoped tokens to at most two clients at once, and revocation takes effect on the next request', async () => {
    await onboard('robo-platform');
    const noticeId = await issueFor('robo-platform');
    const foreignNotice = await issueFor('x-corp');
    const first = await h.as('admin').post('/platforms/robo-platform/api-clients', { label: 'pipeline 2026' });
    const second = await h.as('admin').post('/platforms/robo-platform/api-clients', { label: 'pipeline 2027' });
    const third = await h.as('admin').post('/platforms/robo-platform/api-clients', { label: 'one too many' });
    const byOfficer = await h.as('officer').post('/platforms/robo-platform/api-clients', { label: 'x' });

    const token1 = await tokenFor(first.body.client.clientId, first.body.clientSecret);
    const token2 = await tokenFor(second.body.client.clientId, second.body.clientSecret);
    const own = await h.anonymous().get(`/notices/${noticeId}`, withToken(token1.body.access_token));
    const foreign = await h.anonymous().get(`/notices/${foreignNotice}`, withToken(token1.body.access_token));
    const acknowledged = await h.anonymous().raw(`/notices/${noticeId}/acknowledge`, {
      method: 'POST',
      headers: withToken(token2.body.access_token),
    });
    await h
      .as('admin')
      .post(`/platforms/robo-platform/api-clients/${first.body.client.clientId}/revoke`, { reason: 'Rotated' });
    const afterRevoke = await h.anonymous().get(`/notices/${noticeId}`, withToken(token1.body.access_token));
    const stillValid = await h.anonymous().get(`/notices/${noticeId}`, withToken(token2.body.access_token));
    const revokedGrant = await tokenFor(first.body.client.clientId, first.body.clientSecret);
    const wrongSecret = await tokenFor(second.body.client.clientId, 'not-the-secret');
    const listed = await h.as('admin').get('/platforms/robo-platform/api-clients');

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(third.status).toBe(409);
    expect(byOfficer.status).toBe(403);
    expect(token1).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 900 } });
    expect(own.status).toBe(200);
    expect(foreign.status).toBe(404);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.acknowledgedBy).toMatchObject({
      subject: second.body.client.clientId,
      platformId: 'robo-platform',
    });
    expect(afterRevoke.status).toBe(401);
    expect(stillValid.status).toBe(200);
    expect(revokedGrant).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(wrongSecret.status).toBe(401);
    expect(JSON.stringify(listed.body)).not.toMatch(/secretHash|clientSecret/);
  });

  it('answers OAuth errors in OAuth’s format', async () => {
    const wrongGrant = await fetch(`${h.portal.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    const noCredentials = await fetch(`${h.portal.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });

    expect(wrongGrant.status).toBe(400);
    expect(await wrongGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    expect(noCredentials.status).toBe(401);
  });
});
