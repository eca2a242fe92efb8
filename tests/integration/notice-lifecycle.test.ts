import { verifyChain } from '../../lambdas/domain/notice-event';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  for (const platformId of ['pager-co', 'cursor-co']) {
    const onboarded = await h.as('admin').post('/platforms', {
      platformId,
      legalName: `${platformId} Pty Ltd`,
      jurisdiction: { country: 'AU' },
      contacts: [`legal@${platformId}.example`],
    });
    expect(onboarded.status).toBe(201);
  }
});
afterAll(async () => {
  await h.stop();
});

async function issuedNotice(platformId = 'x-corp'): Promise<string> {
  const officer = h.as('officer');
  const created = await officer.post('/notices', transparencyDraft(platformId));
  expect(created.status).toBe(201);
  const issued = await officer.post(`/notices/${created.body.id}/issue`);
  expect(issued.status).toBe(200);
  return created.body.id;
}

describe('a notice from draft to acknowledgement', () => {
  it('is issued by a regulator, listed for its platform, acknowledged, and every step is in the history', async () => {
    // Prepare
    const officer = h.as('officer');
    const platform = h.as('x-corp-legal');

    // Act
    const draft = await officer.post('/notices', transparencyDraft('x-corp'));
    const issued = await officer.post(`/notices/${draft.body.id}/issue`);
    const listed = await platform.get('/notices?status=issued');
    const acknowledged = await platform.post(`/notices/${draft.body.id}/acknowledge`);
    const history = await platform.get(`/notices/${draft.body.id}/history`);

    // Assess
    expect(draft.status).toBe(201);
    expect(draft.headers.get('location')).toBe(`/notices/${draft.body.id}`);
    expect(draft.body).toMatchObject({ status: 'draft', legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)' });
    expect(issued.body.status).toBe('issued');
    expect(Date.parse(issued.body.dueAt)).toBeGreaterThan(Date.parse(issued.body.givenAt));
    expect(issued.body.dueExplanation.length).toBeGreaterThan(1);
    expect(issued.body.issuedBy).toMatchObject({ name: 'Oscar Officer', role: 'regulator-officer' });
    expect(listed.body.items.map((n: { id: string }) => n.id)).toContain(draft.body.id);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: { platformId: 'x-corp' } });
    expect(acknowledged.body.givenAt).toBe(issued.body.givenAt);
    expect(history.body.items.map((e: { kind: string }) => e.kind)).toEqual(['created', 'issued', 'acknowledged']);
    expect(verifyChain(history.body.items)).toEqual({ valid: true });
    expect(acknowledged.body.lastEventHash).toBe(history.body.items[2].hash);
  });

  it('is withdrawn by a regulator with a reason, after which the platform can no longer acknowledge it', async () => {
    const id = await issuedNotice();

    const withdrawn = await h.as('admin').post(`/notices/${id}/withdraw`, { reason: 'Issued to the wrong entity.' });
    const acknowledge = await h.as('x-corp-legal').post(`/notices/${id}/acknowledge`);

    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', withdrawalReason: 'Issued to the wrong entity.' });
    expect(acknowledge.status).toBe(409);
    expect(acknowledge.body.error.message).toMatch(/withdrawn/);
  });
});

describe('tenant isolation', () => {
  it('shows another platform nothing: not in its list, and 404 for get, history and acknowledge', async () => {
    const id = await issuedNotice('x-corp');
    const other = h.as('videoshare-legal');

    const list = await other.get('/notices');
    const get = await other.get(`/notices/${id}`);
    const history = await other.get(`/notices/${id}/history`);
    const acknowledge = await other.post(`/notices/${id}/acknowledge`);
    const after = await h.as('officer').get(`/notices/${id}`);

    expect(list.status).toBe(200);
    expect(list.body.items.every((n: { platformId: string }) => n.platformId === 'videoshare')).toBe(true);
    expect(list.body.items.map((n: { id: string }) => n.id)).not.toContain(id);
    for (const response of [get, history, acknowledge]) {
      expect(response.status).toBe(404);
      expect(JSON.stringify(response.body)).not.toContain('x-corp');
    }
    expect(after.body.status).toBe('issued');
  });

  it('refuses a platform user who asks for another platform’s list', async () => {
    const response = await h.as('videoshare-legal').get('/notices?platformId=x-corp');
    expect(response.status).toBe(403);
  });

  it('keeps drafts from the platform until they are issued', async () => {
    const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));

    const get = await h.as('x-corp-legal').get(`/notices/${draft.body.id}`);
    const list = await h.as('x-corp-legal').get('/notices');

    expect(get.status).toBe(404);
    expect(list.body.items.map((n: { id: string }) => n.id)).not.toContain(draft.body.id);
  });
});

describe('illegal transitions', () => {
  it('answers 409 to acknowledging twice, issuing twice and acknowledging a draft', async () => {
    const id = await issuedNotice();
    const platform = h.as('x-corp-legal');
    await platform.post(`/notices/${id}/acknowledge`);
    const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));

    const secondAck = await platform.post(`/notices/${id}/acknowledge`);
    const secondIssue = await h.as('officer').post(`/notices/${id}/issue`);

    expect(secondAck.status).toBe(409);
    expect(secondAck.body.error).toMatchObject({ code: 'illegal-transition' });
    expect(secondIssue.status).toBe(409);
    // A draft is invisible to the platform, so acknowledging it is a 404 rather than a 409.
    expect((await platform.post(`/notices/${draft.body.id}/acknowledge`)).status).toBe(404);
  });

  it('lets exactly one of 20 concurrent acknowledgements win and records exactly one event', async () => {
    const id = await issuedNotice();
    const platform = h.as('x-corp-legal');

    const responses = await Promise.all(Array.from({ length: 20 }, () => platform.post(`/notices/${id}/acknowledge`)));
    const history = await h.as('officer').get(`/notices/${id}/history`);

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(history.body.items.filter((e: { kind: string }) => e.kind === 'acknowledged')).toHaveLength(1);
    expect(verifyChain(history.body.items)).toEqual({ valid: true });
  });
});

describe('idempotent retries', () => {
  it('returns the same draft for a create retried with the same Idempotency-Key', async () => {
    const officer = h.as('officer');
    const key = `create-${Date.now()}-retry`;

    const first = await officer.post('/notices', transparencyDraft('x-corp'), { 'idempotency-key': key });
    const retry = await officer.post('/notices', transparencyDraft('x-corp'), { 'idempotency-key': key });
    const different = await officer.post('/notices', transparencyDraft('videoshare'), { 'idempotency-key': key });

    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe('idempotency-key-reused');
  });

  it('answers a retried acknowledgement with the acknowledged notice instead of 409', async () => {
    const id = await issuedNotice();
    const platform = h.as('x-corp-legal');
    const key = `ack-${id}`;

    const first = await platform.post(`/notices/${id}/acknowledge`, undefined, { 'idempotency-key': key });
    const retry = await platform.post(`/notices/${id}/acknowledge`, undefined, { 'idempotency-key': key });
    const history = await platform.get(`/notices/${id}/history`);

    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.version).toBe(first.body.version);
    expect(history.body.items).toHaveLength(3);
  });
});

describe('listing', () => {
  it('pages through a platform’s notices with opaque cursors, soonest due first', async () => {
    const officer = h.as('officer');
    const ids: string[] = [];
    for (const hours of [72, 24, 48]) {
      const draft = await officer.post('/notices', {
        type: 'removal-notice',
        platformId: 'pager-co',
        title: `Remove material within ${hours} hours`,
        mannerAndForm: 'Confirm removal through the portal.',
        requirements: { requiredAction: 'Remove the material at the listed URLs.' },
        responsePeriod: { amount: hours, unit: 'hours' },
      });
      await officer.post(`/notices/${draft.body.id}/issue`);
      ids.push(draft.body.id);
    }

    const first = await officer.get('/notices?platformId=pager-co&limit=2');
    const second = await officer.get(`/notices?platformId=pager-co&limit=2&cursor=${first.body.nextCursor}`);
    const soon = await officer.get(
      `/notices?platformId=pager-co&dueBefore=${encodeURIComponent(new Date(Date.now() + 36 * 3600_000).toISOString())}`,
    );

    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const all = [...first.body.items, ...second.body.items].map((n: { id: string }) => n.id);
    expect(all).toEqual([ids[1], ids[2], ids[0]]);
    expect(second.body.nextCursor).toBeUndefined();
    expect(soon.body.items.map((n: { id: string }) => n.id)).toEqual([ids[1]]);
  });

  it('refuses a cursor from another query with a 400 on the cursor field', async () => {
    const officer = h.as('officer');
    await officer.post('/notices', transparencyDraft('cursor-co'));
    await officer.post('/notices', transparencyDraft('cursor-co'));
    const page = await officer.get('/notices?status=draft&limit=1');

    const misused = await h.as('x-corp-legal').get(`/notices?limit=1&cursor=${page.body.nextCursor}`);
    const garbage = await officer.get('/notices?cursor=not-a-cursor');

    expect(misused.status).toBe(400);
    expect(misused.body.error.issues).toEqual([{ path: 'cursor', message: 'is not a cursor for this query' }]);
    expect(garbage.status).toBe(400);
  });
});
