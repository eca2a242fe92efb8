import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/** Lists on the real table design: which index a filter reads, and who sees drafts. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((n) => n.id);

describe("a regulator's list filtered by platform", () => {
  it("includes the platform's drafts, with or without a status filter, and a platform still never sees them", async () => {
    // Prepare
    const officer = h.as('officer');
    const draft = await officer.post('/notices', transparencyDraft('x-corp', { title: 'Draft kept from X Corp' }));
    const given = await officer.post('/notices', transparencyDraft('x-corp', { title: 'Issued to X Corp' }));
    await officer.post(`/notices/${given.body.id}/issue`);

    // Act
    const byPlatform = await officer.get('/notices?platformId=x-corp');
    const draftsOfPlatform = await officer.get('/notices?platformId=x-corp&status=draft');
    const platformsOwn = await h.as('x-corp-legal').get('/notices?platformId=x-corp');
    const platformsDefault = await h.as('x-corp-legal').get('/notices');
    const platformsDrafts = await h.as('x-corp-legal').get('/notices?status=draft');

    // Assess: soonest due first, so the issued notice comes before the draft, which has no due time.
    expect(byPlatform.status).toBe(200);
    expect(ids(byPlatform)).toEqual([given.body.id, draft.body.id]);
    expect(ids(draftsOfPlatform)).toEqual([draft.body.id]);
    for (const list of [platformsOwn, platformsDefault]) {
      expect(list.status).toBe(200);
      expect(ids(list)).toEqual([given.body.id]);
    }
    expect(platformsDrafts.body.items).toEqual([]);
  });
});

/** A draft with an explicit due time, issued; its id. */
async function issuedDue(dueAt: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const officer = h.as('officer');
  const draft = await officer.post('/notices', transparencyDraft('x-corp', { dueAt, ...overrides }));
  expect(draft.status).toBe(201);
  expect((await officer.post(`/notices/${draft.body.id}/issue`)).status).toBe(200);
  return draft.body.id;
}

const INFORMATION_REQUEST = {
  type: 'information-request',
  requirements: { questions: [{ number: '1', text: 'Give the number of accounts.' }] },
};

describe('filters the list API applies itself', () => {
  it('keeps a type within a due range (both bounds strict), latest first on request', async () => {
    // Prepare: an hour apart in a window of 2027 no other test uses.
    const at = (hour: number) => `2027-05-10T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const lower = await issuedDue(at(1), INFORMATION_REQUEST);
    await issuedDue(at(2));
    const inside = await issuedDue(at(3), INFORMATION_REQUEST);
    const alsoInside = await issuedDue(at(4), INFORMATION_REQUEST);
    await issuedDue(at(5), INFORMATION_REQUEST);
    const range = `dueAfter=${at(1)}&dueBefore=${encodeURIComponent('2027-05-10T15:00:00+10:00')}`;

    // Act
    const requests = await h.as('officer').get(`/notices?type=information-request&${range}`);
    const latestFirst = await h.as('officer').get(`/notices?type=information-request&${range}&order=desc`);
    const asPlatform = await h.as('x-corp-legal').get(`/notices?type=information-request&${range}`);

    // Assess: at(1) is the strict lower bound; 15:00+10:00 is 05:00Z, the strict upper one.
    expect(requests.status).toBe(200);
    expect(ids(requests)).toEqual([inside, alsoInside]);
    expect(ids(latestFirst)).toEqual([alsoInside, inside]);
    expect(ids(asPlatform)).toEqual([inside, alsoInside]);
    expect(ids(requests)).not.toContain(lower);
  });

  it('fills a page past filtered-out notices and pages on without skipping or repeating one', async () => {
    // Prepare: 3 information requests among 12 transparency notices, due a minute apart.
    const at = (minute: number) => `2027-06-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
    const wanted: string[] = [];
    for (let minute = 0; minute < 15; minute++) {
      if (minute % 5 === 4) wanted.push(await issuedDue(at(minute), INFORMATION_REQUEST));
      else await issuedDue(at(minute));
    }
    const query = `/notices?type=information-request&dueAfter=2027-05-31T23:59:00Z&dueBefore=2027-06-01T01:00:00Z&limit=2`;

    // Act
    const first = await h.as('officer').get(query);
    const second = await h.as('officer').get(`${query}&cursor=${first.body.nextCursor}`);
    const wrongQuery = await h.as('officer').get(`/notices?limit=2&cursor=${first.body.nextCursor}`);

    // Assess
    expect(ids(first)).toEqual(wanted.slice(0, 2));
    expect(ids(second)).toEqual(wanted.slice(2));
    expect(second.body.nextCursor).toBeUndefined();
    expect(wrongQuery.status).toBe(400);
  });

  it('lists open notices and those with an extension request awaiting a decision', async () => {
    // Prepare
    const asked = await issuedDue('2027-07-01T00:00:00.000Z');
    const notAsked = await issuedDue('2027-07-01T01:00:00.000Z');
    const extension = await h.as('x-corp-legal').post(`/notices/${asked}/extensions`, {
      requestedDueAt: '2027-07-15T00:00:00.000Z',
      reason: 'The data warehouse is being migrated.',
    });
    const window = 'dueAfter=2027-06-30T00:00:00Z&dueBefore=2027-07-02T00:00:00Z';

    // Act
    const open = await h.as('officer').get(`/notices?open=true&${window}`);
    const pending = await h.as('officer').get(`/notices?extension=requested&${window}`);
    const pendingForPlatform = await h.as('x-corp-legal').get(`/notices?extension=requested&${window}`);

    // Assess
    expect(extension.status).toBe(201);
    expect(ids(open)).toEqual([asked, notAsked]);
    expect(ids(pending)).toEqual([asked]);
    expect(ids(pendingForPlatform)).toEqual([asked]);
  });
});

describe('GET /notices/counts', () => {
  it("answers the regulators' counts, and is never taken for a notice id", async () => {
    // Prepare
    const before = await h.as('officer').get('/notices/counts');
    await h.as('officer').post('/notices', transparencyDraft('videoshare', { title: 'Counted draft' }));
    const asked = await issuedDue('2027-08-01T00:00:00.000Z');
    await h.as('x-corp-legal').post(`/notices/${asked}/extensions`, {
      requestedDueAt: '2027-08-15T00:00:00.000Z',
      reason: 'The data warehouse is being migrated.',
    });

    // Act
    const after = await h.as('officer').get('/notices/counts');
    const asPlatform = await h.as('x-corp-legal').get('/notices/counts');

    // Assess
    expect(before.status).toBe(200);
    expect(after.status).toBe(200);
    expect(after.body.byStatus.draft).toBe(before.body.byStatus.draft + 1);
    expect(after.body.byStatus.issued).toBe(before.body.byStatus.issued + 1);
    expect(after.body.extensionRequests).toBe(before.body.extensionRequests + 1);
    expect(after.body).toMatchObject({ overdue: expect.any(Number), dueInNext7Days: expect.any(Number) });
    expect(asPlatform.status).toBe(403);
  });
});

describe('POST /notices/{noticeId}/draft', () => {
  it('revises the same draft from the version read, refuses a stale one, and records the revision', async () => {
    // Prepare
    const officer = h.as('officer');
    const draft = await officer.post('/notices', transparencyDraft('x-corp', { title: 'First wording' }));
    const revision = (title: string, expectedVersion: number) => ({
      ...transparencyDraft('x-corp', { title }),
      expectedVersion,
    });

    // Act
    const revised = await officer.post(`/notices/${draft.body.id}/draft`, revision('Second wording', 1));
    const stale = await officer.post(`/notices/${draft.body.id}/draft`, revision('From version 1 again', 1));
    const byPlatform = await h.as('x-corp-legal').post(`/notices/${draft.body.id}/draft`, revision('Ours', 2));
    const history = await officer.get(`/notices/${draft.body.id}/history`);
    await officer.post(`/notices/${draft.body.id}/issue`);
    const afterIssue = await officer.post(`/notices/${draft.body.id}/draft`, revision('Too late', 3));

    // Assess
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ id: draft.body.id, status: 'draft', version: 2, title: 'Second wording' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/version 2, not 1/);
    expect(byPlatform.status).toBe(403);
    expect(history.body.items.map((e: { kind: string }) => e.kind)).toEqual(['created', 'draft-revised']);
    expect(history.body.items[1].data.title).toBe('Second wording');
    expect(afterIssue.status).toBe(409);
  });
});
