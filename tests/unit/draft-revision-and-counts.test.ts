import { Conflict, Forbidden, ValidationFailed } from '../../lambdas/domain/errors';
import { REDUCERS } from '../../lambdas/domain/event-reducers';
import { type NoticeEventOf, verifyChain } from '../../lambdas/domain/notice-event';
import {
  DAY,
  noticeServiceForTest,
  officer,
  otherOfficer,
  rejectionOf,
  transparencyDraft,
  xCorpLegal,
} from '../support/notice-fixtures';

const PAGE = { limit: 100 };

describe('revising a draft', () => {
  it('replaces the content, moves the version on and records draft-revised with the whole new content', async () => {
    // Prepare
    const { service, clock } = noticeServiceForTest({ start: '2026-11-20T01:00:00.000Z' });
    const { notice: draft } = await service.createDraft(officer, transparencyDraft({ title: 'First wording' }));
    clock.advance(60_000);

    // Act
    const revised = await service.reviseDraft(
      otherOfficer,
      draft.id,
      transparencyDraft({ title: 'Second wording', timeZone: 'Australia/Perth' }),
      1,
      'revise-key-0001',
    );

    // Assess
    expect(revised).toMatchObject({
      id: draft.id,
      status: 'draft',
      version: 2,
      title: 'Second wording',
      timeZone: 'Australia/Perth',
      createdAt: draft.createdAt,
      updatedAt: clock.now().toISOString(),
    });
    const { items } = await service.history(officer, draft.id, PAGE);
    expect(items.map((e) => e.kind)).toEqual(['created', 'draft-revised']);
    expect(items[1]).toMatchObject({
      kind: 'draft-revised',
      actor: { subject: otherOfficer.subject },
      data: { title: 'Second wording', timeZone: 'Australia/Perth', legalBasis: draft.legalBasis },
    });
    expect(verifyChain(items)).toEqual({ valid: true });
    expect(revised.createdBy).toEqual(draft.createdBy);
    expect(await service.get(officer, draft.id)).toEqual(revised);
  });

  it('issues what the latest revision says', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft({ title: 'Old' }));
    await service.reviseDraft(officer, draft.id, transparencyDraft({ title: 'New' }), 1);

    // Act
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(issued).toMatchObject({ status: 'issued', title: 'New', version: 3 });
  });

  it('refuses a revision made from an older version as stale, changing nothing', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());
    await service.reviseDraft(officer, draft.id, transparencyDraft({ title: 'Someone else got here first' }), 1);

    // Act
    const error = await rejectionOf(service.reviseDraft(officer, draft.id, transparencyDraft({ title: 'Mine' }), 1));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('stale-version');
    expect(await service.get(officer, draft.id)).toMatchObject({ version: 2, title: 'Someone else got here first' });
  });

  it('answers a retry with the same Idempotency-Key with the revised draft, not a stale-version refusal', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());
    const first = await service.reviseDraft(officer, draft.id, transparencyDraft({ title: 'Once' }), 1, 'rev-key-01');

    // Act
    const retried = await service.reviseDraft(officer, draft.id, transparencyDraft({ title: 'Once' }), 1, 'rev-key-01');

    // Assess
    expect(retried).toEqual(first);
    expect((await service.history(officer, draft.id, PAGE)).items).toHaveLength(2);
  });

  it('refuses to revise a notice that is no longer a draft', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());
    const issued = await service.issue(officer, draft.id);

    // Act
    const error = await rejectionOf(
      service.reviseDraft(officer, draft.id, transparencyDraft({ title: 'Too late' }), issued.version),
    );

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('illegal-transition');
    expect((await service.get(officer, draft.id)).title).toBe(draft.title);
  });

  it('refuses a platform user as forbidden, whatever the draft', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());

    // Act
    const onDraft = await rejectionOf(service.reviseDraft(xCorpLegal, draft.id, transparencyDraft(), 1));
    const onNothing = await rejectionOf(
      service.reviseDraft(xCorpLegal, 'ntc_01JQ3Z6X8Y9ABCDEFGHJKMNPQR', transparencyDraft(), 1),
    );

    // Assess
    expect(onDraft).toBeInstanceOf(Forbidden);
    expect(onNothing).toBeInstanceOf(Forbidden);
  });

  it('checks the new content as creating a draft does', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());

    // Act
    const error = await rejectionOf(
      service.reviseDraft(officer, draft.id, transparencyDraft({ requirements: { questions: [] } }), 1),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.path)).toEqual(['requirements.questions']);
  });
});

describe('the draft-revised reducer', () => {
  it('drops content fields the revision leaves out, rather than keeping them from before', async () => {
    // Prepare: a draft with an explicit due time, revised to follow the type's clock instead.
    const { service, store, clock } = noticeServiceForTest();
    const dueAt = new Date(clock.now().getTime() + 10 * DAY).toISOString();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft({ dueAt }));
    await service.reviseDraft(officer, draft.id, transparencyDraft({ title: 'Follows the clock' }), 1);
    const event = await store.getEvent(draft.id, 2);

    // Act
    const next = event && REDUCERS['draft-revised'](draft, event as NoticeEventOf<'draft-revised'>);

    // Assess
    expect(draft.requestedDueAt).toBe(dueAt);
    expect(event?.kind).toBe('draft-revised');
    expect(next?.requestedDueAt).toBeUndefined();
    expect(next).toMatchObject({ title: 'Follows the clock', version: 2, status: 'draft', lastEventHash: event?.hash });
    expect(next?.deadlineRule?.period).toEqual({ amount: 28, unit: 'calendar-days' });
  });
});

describe("the regulators' counts", () => {
  it('counts per status, overdue, due within seven days and extension requests awaiting a decision', async () => {
    // Prepare: due times 28 days out, then the clock moved so one is overdue and one due within the week.
    const { service, clock } = noticeServiceForTest({ start: '2026-11-02T01:00:00.000Z' });
    await service.createDraft(officer, transparencyDraft());
    const early = await service.issue(officer, (await service.createDraft(officer, transparencyDraft())).notice.id);
    clock.advance(5 * DAY);
    const later = await service.issue(officer, (await service.createDraft(officer, transparencyDraft())).notice.id);
    await service.acknowledge(xCorpLegal, later.id);
    const laterDue = Date.parse(later.dueAt as string);
    await service.requestExtension(xCorpLegal, later.id, {
      requestedDueAt: new Date(laterDue + 7 * DAY).toISOString(),
      reason: 'The audit runs late.',
    });
    clock.moveTo(new Date(Date.parse(early.dueAt as string) + 1000).toISOString());

    // Act
    const counts = await service.counts(officer);

    // Assess
    expect(counts).toMatchObject({
      countedAt: clock.now().toISOString(),
      overdue: 1,
      dueInNext7Days: 1,
      extensionRequests: 1,
    });
    expect(counts.byStatus).toMatchObject({ draft: 1, issued: 1, acknowledged: 1, closed: 0 });
  });

  it('refuses a platform user', async () => {
    // Prepare
    const { service } = noticeServiceForTest();

    // Act
    const error = await rejectionOf(service.counts(xCorpLegal));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
  });
});
