import { publicHolidayCalendar } from '../../lambdas/adapters/public-holidays';
import { holidaysFromList, NO_HOLIDAYS } from '../../lambdas/domain/deadline-engine';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../lambdas/domain/errors';
import type { CreateDraftRequest, Jurisdiction } from '../../lambdas/domain/notice';
import { DEFAULT_CATALOGUE } from '../../lambdas/domain/notice-catalogue';
import { hashEvent, type NoticeEvent, verifyChain } from '../../lambdas/domain/notice-event';
import { defined } from '../support/defined';
import {
  admin,
  DAY,
  formalWarningDraft,
  HOUR,
  infringementDraft,
  noticeServiceForTest,
  officer,
  otherOfficer,
  rejectionOf,
  removalDraft,
  transparencyDraft,
  userWithoutRole,
  videoshareLegal,
  xCorpLegal,
  xCorpOtherLawyer,
} from '../support/notice-fixtures';

const PAGE = { limit: 100 };

async function issuedNotice(draft: CreateDraftRequest = transparencyDraft()) {
  const portal = noticeServiceForTest();
  const { notice: created } = await portal.service.createDraft(officer, draft);
  const notice = await portal.service.issue(officer, created.id);
  return { ...portal, notice };
}

describe('creating a draft', () => {
  it('creates a draft with the catalogue defaults for its type filled in', async () => {
    // Prepare
    const { service } = noticeServiceForTest({ start: '2026-11-20T01:00:00.000Z' });

    // Act
    const { notice, created } = await service.createDraft(officer, transparencyDraft());

    // Assess
    expect(created).toBe(true);
    expect(notice).toMatchObject({
      status: 'draft',
      version: 1,
      platformId: 'x-corp',
      legalBasis: 'Online Safety Act 2021 (Cth) s 56(2)',
      timeZone: 'Australia/Sydney',
      jurisdiction: { country: 'AU', state: 'NSW' },
      deadlineRule: {
        period: { amount: 28, unit: 'calendar-days' },
        cutOff: 'end-of-day',
        rollToBusinessDay: true,
        excludeDayOfGiving: true,
      },
      reminderPolicy: DEFAULT_CATALOGUE.find((entry) => entry.type === 'transparency-notice')?.reminders,
      contacts: [],
      extensions: [],
      createdAt: '2026-11-20T01:00:00.000Z',
      createdBy: { subject: officer.subject, role: 'regulator-officer' },
    });
    expect(notice.id).toMatch(/^ntc_[0-9A-Z]{26}$/);
    expect(notice.givenAt).toBeUndefined();
  });

  it('keeps the legal basis and time zone the officer chose over the defaults', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const draft = transparencyDraft({
      legalBasis: 'Online Safety Act 2021 (Cth) s 49(2)',
      timeZone: 'Australia/Perth',
    });

    // Act
    const { notice } = await service.createDraft(admin, draft);

    // Assess
    expect(notice.legalBasis).toBe('Online Safety Act 2021 (Cth) s 49(2)');
    expect(notice.timeZone).toBe('Australia/Perth');
    expect(notice.createdBy.role).toBe('regulator-admin');
  });

  it.each([
    ['a platform user', xCorpLegal],
    ['a signed-in user with no portal role', userWithoutRole],
  ])('refuses a draft from %s as forbidden and records nothing', async (_who, caller) => {
    // Prepare
    const { service, store } = noticeServiceForTest();

    // Act
    const error = await rejectionOf(service.createDraft(caller, transparencyDraft()));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
    expect(store.eventCount()).toBe(0);
  });

  it.each<[string, CreateDraftRequest, string]>([
    ['an unknown notice type', transparencyDraft({ type: 'cease-and-desist' }), 'type'],
    [
      'a transparency notice without questions',
      transparencyDraft({ requirements: { questions: [] } }),
      'requirements.questions',
    ],
    [
      'a transparency notice with no requirements at all',
      transparencyDraft({ requirements: undefined }),
      'requirements.questions',
    ],
    [
      'two questions with the same number',
      transparencyDraft({
        requirements: {
          questions: [
            { number: '1', text: 'First question.' },
            { number: '2', text: 'Second question.' },
            { number: '1', text: 'Numbered like the first.' },
          ],
        },
      }),
      'requirements.questions.2.number',
    ],
    ['an infringement notice without payment details', infringementDraft({ infringement: undefined }), 'infringement'],
    [
      'payment details on a notice that is not an infringement notice',
      transparencyDraft({ infringement: infringementDraft().infringement }),
      'infringement',
    ],
    ['a removal notice without the required action', removalDraft({ requirements: {} }), 'requirements.requiredAction'],
    [
      'both a response period and a due time',
      transparencyDraft({ responsePeriod: { amount: 14, unit: 'calendar-days' }, dueAt: '2026-12-31T06:00:00Z' }),
      'dueAt',
    ],
    ['a due time on a formal warning', formalWarningDraft({ dueAt: '2026-12-31T06:00:00Z' }), 'dueAt'],
  ])('refuses %s with an issue naming the field', async (_case, draft, path) => {
    // Prepare
    const { service, store } = noticeServiceForTest();

    // Act
    const error = await rejectionOf(service.createDraft(officer, draft));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((issue) => issue.path)).toEqual([path]);
    expect(defined((error as ValidationFailed).issues[0], 'the first issue').message).not.toBe('');
    expect(store.eventCount()).toBe(0);
  });

  it('keeps the jurisdiction and the contacts the officer gave', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const draft = transparencyDraft({
      jurisdiction: { country: 'AU', state: 'VIC' },
      contacts: ['legal@x-corp.example'],
    });

    // Act
    const { notice } = await service.createDraft(officer, draft);

    // Assess
    expect(notice.jurisdiction).toEqual({ country: 'AU', state: 'VIC' });
    expect(notice.contacts).toEqual(['legal@x-corp.example']);
  });

  it.each<[string, Jurisdiction, string]>([
    ['a state the holiday data does not know', { country: 'AU', state: 'XX' }, 'jurisdiction.state'],
    ['a country the holiday data does not know', { country: 'ZZ' }, 'jurisdiction.country'],
  ])('refuses a draft for %s, naming %s, and records nothing', async (_label, jurisdiction, path) => {
    // Prepare: the real holiday adapter, which refuses what it cannot look up.
    const { service, store } = noticeServiceForTest({ holidaysFor: publicHolidayCalendar });

    // Act
    const error = await rejectionOf(service.createDraft(officer, transparencyDraft({ jurisdiction })));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((issue) => issue.path)).toEqual([path]);
    expect(store.eventCount()).toBe(0);
  });

  it('names the known types when the type is unknown', async () => {
    // Prepare
    const { service } = noticeServiceForTest();

    // Act
    const error = (await rejectionOf(
      service.createDraft(officer, transparencyDraft({ type: 'cease-and-desist' })),
    )) as ValidationFailed;

    // Assess
    expect(error.issues.at(0)?.message).toContain('transparency-notice');
    expect(error.issues.at(0)?.message).toContain('removal-notice');
  });

  it('returns the same notice, not a second one, when a create is retried with the same Idempotency-Key', async () => {
    // Prepare
    const { service, store, clock } = noticeServiceForTest();
    const first = await service.createDraft(officer, transparencyDraft(), 'create-2026-11-24-0001');
    clock.advance(30_000);

    // Act
    const retry = await service.createDraft(officer, transparencyDraft(), 'create-2026-11-24-0001');

    // Assess
    expect(retry.created).toBe(false);
    expect(retry.notice).toEqual(first.notice);
    expect(store.eventCount()).toBe(1);
  });

  it('refuses a different draft sent with an Idempotency-Key already used as a reused key', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    await service.createDraft(officer, transparencyDraft(), 'create-2026-11-24-0002');

    // Act
    const error = await rejectionOf(
      service.createDraft(officer, transparencyDraft({ title: 'Another notice' }), 'create-2026-11-24-0002'),
    );

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('idempotency-key-reused');
  });

  it('treats the same Idempotency-Key from two officers as two requests', async () => {
    // Prepare
    const { service } = noticeServiceForTest();

    // Act
    const mine = await service.createDraft(officer, transparencyDraft(), 'create-2026-11-24-0003');
    const theirs = await service.createDraft(otherOfficer, transparencyDraft(), 'create-2026-11-24-0003');

    // Assess
    expect(theirs.created).toBe(true);
    expect(theirs.notice.id).not.toBe(mine.notice.id);
  });

  it('creates exactly one notice when the same create races itself with one Idempotency-Key', async () => {
    // Prepare
    const { service, store } = noticeServiceForTest();

    // Act
    const results = await Promise.all([
      service.createDraft(officer, transparencyDraft(), 'create-2026-11-24-0004'),
      service.createDraft(officer, transparencyDraft(), 'create-2026-11-24-0004'),
    ]);

    // Assess
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    expect(results[0].notice.id).toBe(results[1].notice.id);
    expect(store.eventCount()).toBe(1);
  });
});

describe('issuing a notice', () => {
  it('records when it was given and computes the due time with an explanation', async () => {
    // Prepare
    const { service, clock } = noticeServiceForTest({ start: '2026-11-20T00:00:00.000Z' });
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());
    clock.advance(4 * DAY + 3 * HOUR); // 2026-11-24T03:00:00Z, 14:00 in Sydney

    // Act
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(issued.status).toBe('issued');
    expect(issued.givenAt).toBe('2026-11-24T03:00:00.000Z');
    expect(issued.issuedBy).toMatchObject({ subject: officer.subject, role: 'regulator-officer' });
    expect(issued.dueAt).toBe('2026-12-22T12:59:59.999Z');
    expect(issued.dueExplanation).toEqual([
      'Notice given Tue 24 Nov 2026, 14:00:00 AEDT (Australia/Sydney).',
      'Business days exclude Saturdays and Sundays and these holidays: none (no public holidays configured).',
      'Day of giving not counted (Acts Interpretation Act 1901 (Cth) s 36(1)); counting starts Wed 25 Nov 2026.',
      'Counting 28 calendar days from Wed 25 Nov 2026: the last day is Tue 22 Dec 2026.',
      'The last day, Tue 22 Dec 2026, is a business day, so Acts Interpretation Act 1901 (Cth) s 36(2) does not move it.',
      'Due at the end of Tue 22 Dec 2026: Tue 22 Dec 2026, 23:59:59.999 AEDT (2026-12-22T12:59:59.999Z).',
    ]);
    expect(issued.dueSetAt).toBe(issued.givenAt);
    expect(await service.get(officer, draft.id)).toEqual(issued);
  });

  it("counts the holidays of the notice's own jurisdiction, not the default one", async () => {
    // Prepare: a closure in Victoria on Tue 22 Dec 2026, the 28th day; none in the default jurisdiction (NSW).
    const victoria = holidaysFromList('Victorian closures (test list)', { '2026-12-22': 'Office closure' });
    const asked: Jurisdiction[] = [];
    const holidaysFor = (jurisdiction: Jurisdiction) => {
      asked.push(jurisdiction);
      return jurisdiction.state === 'VIC' ? victoria : NO_HOLIDAYS;
    };
    const { service } = noticeServiceForTest({ start: '2026-11-24T03:00:00.000Z', holidaysFor });
    const { notice: inVictoria } = await service.createDraft(
      officer,
      transparencyDraft({ jurisdiction: { country: 'AU', state: 'VIC' } }),
    );
    const { notice: inNsw } = await service.createDraft(officer, transparencyDraft());

    // Act
    const victorian = await service.issue(officer, inVictoria.id);
    const nsw = await service.issue(officer, inNsw.id);

    // Assess: the Victorian notice moves to Wed 23 Dec 2026.
    expect(victorian.dueAt).toBe('2026-12-23T12:59:59.999Z');
    expect(victorian.dueExplanation?.join('\n')).toContain('Tue 22 Dec 2026, is not a business day (Office closure)');
    expect(victorian.dueExplanation?.[1]).toContain('Victorian closures (test list)');
    expect(nsw.dueAt).toBe('2026-12-22T12:59:59.999Z');
    expect(asked).toContainEqual({ country: 'AU', state: 'VIC' });
    expect(asked).toContainEqual({ country: 'AU', state: 'NSW' });
  });

  it('never changes the moment of giving once recorded', async () => {
    // Prepare
    const { service, clock, notice } = await issuedNotice();
    clock.advance(2 * DAY);

    // Act
    const error = await rejectionOf(service.issue(officer, notice.id));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('illegal-transition');
    expect((await service.get(officer, notice.id)).givenAt).toBe(notice.givenAt);
  });

  it('makes a removal notice due 24 hours after it is given', async () => {
    // Prepare
    const { service } = noticeServiceForTest({ start: '2026-11-24T03:00:00.000Z' });
    const { notice: draft } = await service.createDraft(officer, removalDraft());

    // Act
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(issued.dueAt).toBe('2026-11-25T03:00:00.000Z');
  });

  it('uses the due time the officer set in the draft', async () => {
    // Prepare
    const { service } = noticeServiceForTest({ start: '2026-11-24T03:00:00.000Z' });
    const { notice: draft } = await service.createDraft(
      officer,
      transparencyDraft({ dueAt: '2026-12-01T17:00:00+11:00' }),
    );

    // Act
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(issued.dueAt).toBe('2026-12-01T06:00:00.000Z');
    expect(issued.dueExplanation?.join(' ')).toContain('set by the issuing officer');
  });

  it('refuses to issue a draft whose own due time has already passed, naming dueAt', async () => {
    // Prepare
    const { service, clock } = noticeServiceForTest({ start: '2026-11-24T03:00:00.000Z' });
    const { notice: draft } = await service.createDraft(officer, transparencyDraft({ dueAt: '2026-11-25T03:00:00Z' }));
    clock.advance(2 * DAY);

    // Act
    const error = await rejectionOf(service.issue(officer, draft.id));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues.map((i) => i.path)).toEqual(['dueAt']);
    expect((await service.get(officer, draft.id)).status).toBe('draft');
  });

  it('gives a formal warning no due time', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, formalWarningDraft());

    // Act
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(issued.status).toBe('issued');
    expect(issued.givenAt).toBeDefined();
    expect(issued.dueAt).toBeUndefined();
    expect(issued.dueExplanation).toBeUndefined();
  });

  it('refuses a platform user who tries to issue a draft with 403, the same answer as for an unknown id', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());

    // Act
    const onDraft = await rejectionOf(service.issue(xCorpLegal, draft.id));
    const onUnknown = await rejectionOf(service.issue(xCorpLegal, 'ntc_01KAZ0000000000000000000ZZ'));

    // Assess: the role is refused before the notice is looked at, so the answer says nothing about the draft
    expect(onDraft).toBeInstanceOf(Forbidden);
    expect(onUnknown).toEqual(onDraft);
  });
});

describe('acknowledging a notice', () => {
  it('lets the platform the notice was given to acknowledge it', async () => {
    // Prepare
    const { service, clock, notice } = await issuedNotice();
    clock.advance(HOUR);

    // Act
    const acknowledged = await service.acknowledge(xCorpLegal, notice.id);

    // Assess
    expect(acknowledged.status).toBe('acknowledged');
    expect(acknowledged.acknowledgedAt).toBe(clock.now().toISOString());
    expect(acknowledged.acknowledgedBy).toEqual({
      subject: xCorpLegal.subject,
      name: xCorpLegal.name,
      role: 'platform-responder',
      platformId: 'x-corp',
    });
    expect(acknowledged.givenAt).toBe(notice.givenAt);
  });

  it('refuses to acknowledge a notice of another platform as not found', async () => {
    // Prepare
    const { service, notice } = await issuedNotice();

    // Act
    const error = await rejectionOf(service.acknowledge(videoshareLegal, notice.id));

    // Assess
    expect(error).toBeInstanceOf(NotFound);
    expect((await service.get(officer, notice.id)).status).toBe('issued');
  });

  it('refuses an acknowledgement by a regulator as forbidden', async () => {
    // Prepare
    const { service, notice } = await issuedNotice();

    // Act
    const error = await rejectionOf(service.acknowledge(officer, notice.id));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
  });

  it('refuses a second acknowledgement as an illegal transition', async () => {
    // Prepare
    const { service, notice } = await issuedNotice();
    await service.acknowledge(xCorpLegal, notice.id);

    // Act
    const error = await rejectionOf(service.acknowledge(xCorpLegal, notice.id));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('illegal-transition');
  });

  it('answers a retry with the same Idempotency-Key with the notice instead of a conflict', async () => {
    // Prepare
    const { service, store, notice } = await issuedNotice();
    const first = await service.acknowledge(xCorpLegal, notice.id, 'ack-x-corp-0001');

    // Act
    const retry = await service.acknowledge(xCorpLegal, notice.id, 'ack-x-corp-0001');

    // Assess
    expect(retry).toEqual(first);
    expect(store.eventCount()).toBe(3);
  });

  it("refuses another user's Idempotency-Key as reused rather than replaying their result", async () => {
    // Prepare
    const { service, notice } = await issuedNotice();
    await service.acknowledge(xCorpLegal, notice.id, 'ack-x-corp-0002');

    // Act
    const error = await rejectionOf(service.acknowledge(xCorpOtherLawyer, notice.id, 'ack-x-corp-0002'));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('idempotency-key-reused');
  });

  it('lets exactly one of two simultaneous acknowledgements succeed', async () => {
    // Prepare
    const { service, notice } = await issuedNotice();

    // Act
    const results = await Promise.allSettled([
      service.acknowledge(xCorpLegal, notice.id),
      service.acknowledge(xCorpOtherLawyer, notice.id),
    ]);

    // Assess
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(Conflict);
    expect((rejected[0]!.reason as Conflict).reason).toBe('concurrent-update');
    const { items } = await service.history(officer, notice.id, PAGE);
    expect(items.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
    expect(verifyChain(items)).toEqual({ valid: true });
  });
});

describe('withdrawing a notice', () => {
  it('records who withdrew the notice and why', async () => {
    // Prepare
    const { service, clock, notice } = await issuedNotice();
    clock.advance(DAY);

    // Act
    const withdrawn = await service.withdraw(admin, notice.id, 'Issued to the wrong entity.');

    // Assess
    expect(withdrawn).toMatchObject({
      status: 'withdrawn',
      withdrawnAt: clock.now().toISOString(),
      withdrawnBy: { subject: admin.subject, role: 'regulator-admin' },
      withdrawalReason: 'Issued to the wrong entity.',
    });
    const { items } = await service.history(officer, notice.id, PAGE);
    expect(items[items.length - 1]).toMatchObject({ kind: 'withdrawn', reason: 'Issued to the wrong entity.' });
  });

  it('refuses a withdrawal by the platform as forbidden', async () => {
    // Prepare
    const { service, notice } = await issuedNotice();

    // Act
    const error = await rejectionOf(service.withdraw(xCorpLegal, notice.id, 'We would rather not answer.'));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
    expect((await service.get(officer, notice.id)).status).toBe('issued');
  });

  it('lets a regulator withdraw a draft before it is issued', async () => {
    // Prepare
    const { service } = noticeServiceForTest();
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());

    // Act
    const withdrawn = await service.withdraw(officer, draft.id, 'Drafted in error.');

    // Assess
    expect(withdrawn.status).toBe('withdrawn');
    expect(withdrawn.givenAt).toBeUndefined();
  });

  it('refuses to withdraw a notice twice', async () => {
    // Prepare
    const { service, notice } = await issuedNotice();
    await service.withdraw(officer, notice.id, 'Issued to the wrong entity.');

    // Act
    const error = await rejectionOf(service.withdraw(officer, notice.id, 'Again.'));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).reason).toBe('illegal-transition');
  });
});

describe('who sees which notices', () => {
  async function portalWithNotices() {
    const portal = noticeServiceForTest();
    const { service, clock } = portal;
    const { notice: xDraft } = await service.createDraft(officer, transparencyDraft({ title: 'x-corp draft' }));
    const { notice: xOpen } = await service.createDraft(officer, removalDraft({ title: 'x-corp removal' }));
    const { notice: vOpen } = await service.createDraft(
      officer,
      transparencyDraft({ platformId: 'videoshare', title: 'videoshare notice' }),
    );
    clock.advance(HOUR);
    await service.issue(officer, xOpen.id);
    await service.issue(officer, vOpen.id);
    return { ...portal, xDraft, xOpen, vOpen };
  }

  it('hides a draft from the platform it is addressed to', async () => {
    // Prepare
    const { service, xDraft } = await portalWithNotices();

    // Act
    const error = await rejectionOf(service.get(xCorpLegal, xDraft.id));

    // Assess
    expect(error).toBeInstanceOf(NotFound);
  });

  it('hides the history of a draft from the platform', async () => {
    // Prepare
    const { service, xDraft } = await portalWithNotices();

    // Act
    const error = await rejectionOf(service.history(xCorpLegal, xDraft.id, PAGE));

    // Assess
    expect(error).toBeInstanceOf(NotFound);
  });

  it('answers a platform that asks for its drafts with an empty list', async () => {
    // Prepare
    const { service } = await portalWithNotices();

    // Act
    const page = await service.list(xCorpLegal, { status: 'draft' }, PAGE);

    // Assess
    expect(page.items).toEqual([]);
  });

  it("lists only the platform's own issued notices for a platform user", async () => {
    // Prepare
    const { service, xOpen } = await portalWithNotices();

    // Act
    const page = await service.list(xCorpLegal, {}, PAGE);

    // Assess
    expect(page.items.map((n) => n.id)).toEqual([xOpen.id]);
  });

  it("refuses a platform user's list of another platform's notices as forbidden", async () => {
    // Prepare
    const { service } = await portalWithNotices();

    // Act
    const error = await rejectionOf(service.list(xCorpLegal, { platformId: 'videoshare' }, PAGE));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
  });

  it('shows regulators every notice, drafts included, soonest due first', async () => {
    // Prepare
    const { service, xDraft, xOpen, vOpen } = await portalWithNotices();

    // Act
    const page = await service.list(officer, {}, PAGE);

    // Assess: the removal notice is due in 24 hours, the transparency notice in 28 days, the draft not at all.
    expect(page.items.map((n) => n.id)).toEqual([xOpen.id, vOpen.id, xDraft.id]);
  });

  it("shows regulators a platform's drafts when they filter by that platform, with or without status", async () => {
    // Prepare
    const { service, xDraft, xOpen } = await portalWithNotices();

    // Act
    const byPlatform = await service.list(officer, { platformId: 'x-corp' }, PAGE);
    const draftsOfPlatform = await service.list(officer, { platformId: 'x-corp', status: 'draft' }, PAGE);
    const platformsOwn = await service.list(xCorpLegal, { platformId: 'x-corp' }, PAGE);

    // Assess
    expect(byPlatform.items.map((n) => n.id)).toEqual([xOpen.id, xDraft.id]);
    expect(draftsOfPlatform.items.map((n) => n.id)).toEqual([xDraft.id]);
    expect(platformsOwn.items.map((n) => n.id)).toEqual([xOpen.id]);
  });

  it('lists only notices due before the given instant', async () => {
    // Prepare
    const { service, xOpen } = await portalWithNotices();

    // Act
    const page = await service.list(officer, { dueBefore: '2026-12-01T00:00:00.000Z' }, PAGE);

    // Assess
    expect(page.items.map((n) => n.id)).toEqual([xOpen.id]);
  });

  // A signed-in account in no portal group (one an admin created and never added to a group) is neither a
  // regulator nor a platform user. It must not fall through to the regulators' unfiltered list.
  it('refuses a list to a signed-in user with no portal role', async () => {
    // Prepare
    const { service } = await portalWithNotices();

    // Act
    const outcome = await service.list(userWithoutRole, {}, PAGE).then(
      (page) => page.items.map((n) => `${n.platformId}/${n.status}`),
      (error: unknown) => error,
    );

    // Assess
    expect(outcome).toEqual(expect.any(Forbidden));
  });
});

describe('the hash-chained history of a notice', () => {
  async function fullHistory(): Promise<NoticeEvent[]> {
    const { service, clock, notice } = await issuedNotice();
    clock.advance(HOUR);
    await service.acknowledge(xCorpLegal, notice.id, 'ack-x-corp-0003');
    clock.advance(DAY);
    await service.withdraw(officer, notice.id, 'Superseded by a new notice.');
    return (await service.history(officer, notice.id, PAGE)).items;
  }

  it('records every change in order and verifies as an unbroken chain', async () => {
    // Prepare
    const events = await fullHistory();

    // Act
    const verdict = verifyChain(events);

    // Assess
    expect(verdict).toEqual({ valid: true });
    expect(events.map((e) => [e.seq, e.kind])).toEqual([
      [1, 'created'],
      [2, 'issued'],
      [3, 'acknowledged'],
      [4, 'withdrawn'],
    ]);
  });

  it('pins the current state to the hash of the latest event', async () => {
    // Prepare
    const { service, notice } = await issuedNotice();

    // Act
    const { items } = await service.history(xCorpLegal, notice.id, PAGE);

    // Assess
    expect(notice.lastEventHash).toBe(defined(items.at(-1), 'the last event').hash);
  });

  it('pages through a long history with the cursor it returns', async () => {
    // Prepare
    const { service, clock, notice } = await issuedNotice();
    clock.advance(HOUR);
    await service.acknowledge(xCorpLegal, notice.id);
    await service.withdraw(officer, notice.id, 'Superseded by a new notice.');

    // Act
    const first = await service.history(officer, notice.id, { limit: 3 });
    const second = await service.history(officer, notice.id, { limit: 3, cursor: first.nextCursor });

    // Assess
    expect(first.items.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(second.items.map((e) => e.seq)).toEqual([4]);
    expect(second.nextCursor).toBeUndefined();
  });

  const positions = [0, 1, 2, 3];

  it.each(positions)('detects edited data in event %i at that event', async (index) => {
    // Prepare
    const events = await fullHistory();
    // A payload no code writes: the typed log refuses to build it, so it is forced in as tampering would be.
    const event = defined(events[index], `event ${index}`);
    events[index] = { ...event, data: { ...event.data, edited: true } } as unknown as NoticeEvent;

    // Act
    const verdict = verifyChain(events);

    // Assess
    expect(verdict).toMatchObject({ valid: false, seq: index + 1 });
  });

  it.each(positions)('detects a changed actor in event %i at that event', async (index) => {
    // Prepare
    const events = await fullHistory();
    const event = defined(events[index], `event ${index}`);
    events[index] = { ...event, actor: { ...event.actor, subject: 'someone-else' } };

    // Act
    const verdict = verifyChain(events);

    // Assess
    expect(verdict).toMatchObject({ valid: false, seq: index + 1 });
  });

  it.each(positions)('detects a replaced hash in event %i at that event', async (index) => {
    // Prepare
    const events = await fullHistory();
    const event = defined(events[index], `event ${index}`);
    const hash = event.hash;
    events[index] = { ...event, hash: `${hash[0] === '0' ? '1' : '0'}${hash.slice(1)}` };

    // Act
    const verdict = verifyChain(events);

    // Assess
    expect(verdict).toMatchObject({ valid: false, seq: index + 1 });
  });

  it.each([0, 1, 2])('detects event %i swapped with the next one at the first event out of place', async (index) => {
    // Prepare
    const events = await fullHistory();
    [events[index], events[index + 1]] = [
      defined(events[index + 1], `event ${index + 1}`),
      defined(events[index], `event ${index}`),
    ];

    // Act
    const verdict = verifyChain(events);

    // Assess: the event now in position index+1 is the one that does not belong there.
    expect(verdict).toMatchObject({ valid: false, seq: defined(events[index], `event ${index}`).seq });
    expect((verdict as { problem: string }).problem).toBe(`expected event ${index + 1}`);
  });

  it.each([0, 1, 2])('detects an edit to event %i that was re-hashed at the event after it', async (index) => {
    // Prepare
    const events = await fullHistory();
    const { hash: _old, ...rest } = defined(events[index], `event ${index}`);
    const edited = { ...rest, at: '2020-01-01T00:00:00.000Z' };
    events[index] = { ...edited, hash: hashEvent(edited) };

    // Act
    const verdict = verifyChain(events);

    // Assess
    expect(verdict).toMatchObject({ valid: false, seq: index + 2, problem: 'does not link to the event before' });
  });

  it('detects an event removed from the middle', async () => {
    // Prepare
    const events = await fullHistory();
    events.splice(1, 1);

    // Act
    const verdict = verifyChain(events);

    // Assess
    expect(verdict).toMatchObject({ valid: false, seq: 3, problem: 'expected event 2' });
  });
});
