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
