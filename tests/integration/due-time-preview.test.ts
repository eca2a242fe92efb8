import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/** POST /due-time-preview against the real portal: what issue then records, for regulators only, saving nothing. */
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.stop());

describe('POST /due-time-preview', () => {
  it('previews exactly what issue then computes for the same moment of giving, on the moved dev clock', async () => {
    // Prepare: the portal's clock moved on, so "now" is the development clock's, not the machine's.
    const officer = harness.as('officer');
    const moved = await (
      await fetch(`${harness.portal.url}/dev/clock`, { method: 'POST', body: JSON.stringify({ days: 40 }) })
    ).json();
    const draft = await officer.post('/notices', transparencyDraft('x-corp'));

    // Act
    const now = await officer.post('/api/due-time-preview', { type: 'transparency-notice' });
    const issued = await officer.post(`/notices/${draft.body.id}/issue`);
    const atGiving = await officer.post('/due-time-preview', {
      type: 'transparency-notice',
      givenAt: issued.body.givenAt,
    });

    // Assess
    expect(now.status).toBe(200);
    expect(Date.parse(now.body.givenAt)).toBeGreaterThanOrEqual(Date.parse((moved as { now: string }).now));
    expect(atGiving.status).toBe(200);
    expect(atGiving.body).toEqual({
      givenAt: issued.body.givenAt,
      dueAt: issued.body.dueAt,
      dueExplanation: issued.body.dueExplanation,
    });
  });

  it('writes nothing', async () => {
    const officer = harness.as('officer');
    const before = await officer.get('/notices?limit=100');

    const preview = await officer.post('/due-time-preview', { type: 'removal-notice', timeZone: 'Australia/Perth' });

    expect(preview.status).toBe(200);
    expect((await officer.get('/notices?limit=100')).body).toEqual(before.body);
  });

  it('is refused to platform users', async () => {
    const response = await harness.as('x-corp-legal').post('/due-time-preview', { type: 'transparency-notice' });

    expect(response.status).toBe(403);
  });

  it('names each bad field', async () => {
    const response = await harness.as('officer').post('/due-time-preview', {
      type: 'transparency-notice',
      timeZone: 'Mars/Olympus',
      givenAt: 'yesterday',
      color: 'blue',
    });

    expect(response.status).toBe(400);
    const paths = (response.body.error.issues as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['givenAt', 'timeZone']));
    expect(JSON.stringify(response.body.error.issues)).toContain('color');
  });
});
