import { type Caller, SYSTEM_ACTOR } from '../../lambdas/domain/caller';
import type { CreateDraftRequest } from '../../lambdas/domain/notice';
import { verifyChain } from '../../lambdas/domain/notice-event';
import { ReminderRunner } from '../../lambdas/domain/reminder-runner';
import { reminderSchedule } from '../../lambdas/domain/reminders';
import { defined } from '../support/defined';
import { InMemoryMailer, SimulatedCrash } from '../support/in-memory-mailer';
import { DAY, HOUR, noticeServiceForTest, officer, transparencyDraft, xCorpLegal } from '../support/notice-fixtures';

/**
 * The reminder run against the in-memory store (which claims as DynamoDB does) and an in-memory mailer, with the
 * clock moved by hand from one firing time to the next.
 */

// 14:00 AEDT on Tue 24 Nov 2026; the 28-day transparency notice is due at the end of Tue 22 Dec 2026.
const GIVEN_AT = '2026-11-24T03:00:00.000Z';
const DUE = '2026-12-22T12:59:59.999Z';
const SEVEN_DAYS_BEFORE = '2026-12-15T12:59:59.999Z';
const TWO_DAYS_BEFORE = '2026-12-20T12:59:59.999Z';
const ONE_DAY_BEFORE = '2026-12-21T12:59:59.999Z';

const CONTACTS = ['legal@x-corp.example', 'counsel@lawfirm.example'];
const ESCALATION_EMAIL = 'enforcement@regulator.example';
const LEASE_MS = 5 * 60_000;
/** Issues the notice, so the escalation goes to her; `officer` (no e-mail) drafts it. */
const issuingOfficer: Caller = {
  subject: 'sub-officer-iris',
  name: 'Iris Issuer',
  email: 'iris.issuer@regulator.example',
  roles: ['regulator-officer'],
};
const PAGE = { limit: 100 };

async function portalWithIssuedNotice(draft: CreateDraftRequest = transparencyDraft({ contacts: CONTACTS })) {
  const portal = noticeServiceForTest({ start: GIVEN_AT });
  const { notice: created } = await portal.service.createDraft(officer, draft);
  const notice = await portal.service.issue(issuingOfficer, created.id);
  const mailer = new InMemoryMailer();
  let runs = 0;
  const runner = (runId = `run-${++runs}`) =>
    new ReminderRunner({
      store: portal.store,
      mailer,
      clock: portal.clock.now,
      newRunId: () => runId,
      escalationEmail: ESCALATION_EMAIL,
      leaseMs: LEASE_MS,
    });
  const sentEvents = async (id = notice.id) =>
    (await portal.service.history(officer, id, PAGE)).items.filter((e) => e.kind === 'reminder-sent');
  return { ...portal, notice, mailer, runner, sentEvents };
}

describe('ReminderRunner', () => {
  it('sends a reminder once when it comes due and records it as sent by the portal itself', async () => {
    // Prepare
    const { service, store, clock, notice, mailer, runner, sentEvents } = await portalWithIssuedNotice();
    const sevenDays = defined(reminderSchedule(notice)[0], 'the 7-day reminder');
    clock.moveTo(new Date(Date.parse(SEVEN_DAYS_BEFORE) - 1).toISOString());
    const early = await runner().run();
    clock.moveTo(SEVEN_DAYS_BEFORE);

    // Act
    const report = await runner('run-on-time').run();
    const rerun = await runner().run();

    // Assess
    expect(early.sent).toEqual([]);
    expect(report).toEqual({
      runId: 'run-on-time',
      examined: 1,
      sent: [
        {
          noticeId: notice.id,
          reminderId: sevenDays.id,
          kind: 'before-due',
          recipients: CONTACTS,
          delivery: 'sent',
        },
      ],
      skipped: [],
      failures: 0,
    });
    expect(rerun.sent).toEqual([]);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ id: sevenDays.id, to: CONTACTS });
    const events = await sentEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      at: SEVEN_DAYS_BEFORE,
      actor: SYSTEM_ACTOR,
      data: {
        reminderId: sevenDays.id,
        reminderKind: 'before-due',
        label: '7 days before the due time',
        dueAt: DUE,
        fireAt: SEVEN_DAYS_BEFORE,
        recipients: CONTACTS,
        delivery: 'sent',
      },
    });
    expect(store.claimOf(notice.id, sevenDays.id)).toMatchObject({ state: 'done', runId: 'run-on-time' });
    const after = await service.get(officer, notice.id);
    expect(after.nextReminderAt).toBe(TWO_DAYS_BEFORE);
    expect(verifyChain((await service.history(officer, notice.id, PAGE)).items)).toEqual({ valid: true });
  });

  it('sends a reminder exactly once when five runs start at the same moment', async () => {
    // Prepare
    const { clock, mailer, runner, sentEvents } = await portalWithIssuedNotice();
    clock.moveTo(SEVEN_DAYS_BEFORE);
    const runners = ['run-a', 'run-b', 'run-c', 'run-d', 'run-e'].map((id) => runner(id));

    // Act
    const reports = await Promise.all(runners.map((r) => r.run()));

    // Assess
    expect(reports.flatMap((r) => r.sent)).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(await sentEvents()).toHaveLength(1);
  });

  it('does not send again after a run died between sending and recording, but records what the mailer saw', async () => {
    // Prepare
    const { store, clock, notice, mailer, runner, sentEvents } = await portalWithIssuedNotice();
    const sevenDays = defined(reminderSchedule(notice)[0], 'the 7-day reminder');
    clock.moveTo(SEVEN_DAYS_BEFORE);
    mailer.crashAfterSending();
    await runner('run-crashed')
      .run()
      .catch(() => undefined);
    const recordedBeforeTakeOver = await sentEvents();
    clock.advance(LEASE_MS + 1000);

    // Act
    const report = await runner('run-after-lease').run();

    // Assess
    expect(recordedBeforeTakeOver).toEqual([]);
    expect(report.sent).toEqual([expect.objectContaining({ reminderId: sevenDays.id, delivery: 'witnessed' })]);
    expect(mailer.sent).toHaveLength(1);
    const events = await sentEvents();
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ reminderId: sevenDays.id, delivery: 'witnessed' });
    expect(store.claimOf(notice.id, sevenDays.id)).toMatchObject({ state: 'done', runId: 'run-after-lease' });
  });

  it('leaves a reminder claimed by a run whose lease has not expired to that run', async () => {
    // Prepare
    const { clock, notice, mailer, runner, sentEvents } = await portalWithIssuedNotice();
    const sevenDays = defined(reminderSchedule(notice)[0], 'the 7-day reminder');
    clock.moveTo(SEVEN_DAYS_BEFORE);
    mailer.crashAfterSending();
    await runner('run-crashed')
      .run()
      .catch(() => undefined);
    clock.advance(LEASE_MS - 1000);

    // Act
    const report = await runner('run-within-lease').run();

    // Assess
    expect(report.sent).toEqual([]);
    expect(report.skipped).toEqual([{ noticeId: notice.id, reason: `reminder ${sevenDays.id} is busy` }]);
    expect(mailer.sent).toHaveLength(1);
    expect(await sentEvents()).toEqual([]);
  });

  it('moves the outstanding reminders to the new due time when an extension is granted', async () => {
    // Prepare: the 7-day reminder goes out; then the platform asks for three more weeks and gets them.
    const { service, clock, notice, mailer, runner, sentEvents } = await portalWithIssuedNotice();
    clock.moveTo(SEVEN_DAYS_BEFORE);
    await runner().run();
    clock.advance(HOUR);
    const newDue = '2027-01-12T12:59:59.999Z';
    const requested = await service.requestExtension(xCorpLegal, notice.id, {
      requestedDueAt: newDue,
      reason: 'The answers need data from three business units.',
    });
    clock.advance(DAY);
    const granted = await service.grantExtension(
      officer,
      notice.id,
      defined(requested.extensions[0], 'the requested extension').id,
      {},
    );

    // Act: run at every time the old schedule would have fired, then when the new 7-day reminder fires.
    const atOldTimes = [];
    for (const instant of [TWO_DAYS_BEFORE, ONE_DAY_BEFORE, DUE, '2026-12-23T00:00:00.000Z']) {
      clock.moveTo(instant);
      atOldTimes.push(...(await runner().run()).sent);
    }
    clock.moveTo('2027-01-05T12:59:59.999Z');
    const report = await runner().run();

    // Assess
    expect(granted.dueAt).toBe(newDue);
    expect(granted.nextReminderAt).toBe('2027-01-05T12:59:59.999Z');
    expect(atOldTimes).toEqual([]);
    expect(report.sent).toEqual([expect.objectContaining({ kind: 'before-due', delivery: 'sent' })]);
    expect(mailer.sent).toHaveLength(2);
    expect(mailer.sent[1]!.subject).toContain('is due Tue, 12 Jan 2027, 23:59:59 AEDT');
    const events = await sentEvents();
    expect(events.map((e) => [e.data.dueAt, e.data.fireAt])).toEqual([
      [DUE, SEVEN_DAYS_BEFORE],
      [newDue, '2027-01-05T12:59:59.999Z'],
    ]);
  });

  it('sends nothing about a withdrawn notice', async () => {
    // Prepare
    const { service, clock, notice, mailer, runner } = await portalWithIssuedNotice();
    clock.advance(DAY);
    await service.withdraw(officer, notice.id, 'Issued to the wrong entity.');
    clock.moveTo('2026-12-23T12:00:00.000Z');

    // Act
    const report = await runner().run();

    // Assess
    expect(report).toMatchObject({ examined: 0, sent: [], skipped: [] });
    expect(mailer.sent).toEqual([]);
  });

  it('escalates an overdue notice to the officer who issued it and the configured address', async () => {
    // Prepare: the platform had its 1-day reminder; the due time passes without a response.
    const { service, clock, notice, mailer, runner } = await portalWithIssuedNotice();
    clock.moveTo(ONE_DAY_BEFORE);
    await runner().run();
    clock.moveTo('2026-12-22T13:05:00.000Z');

    // Act
    const report = await runner().run();

    // Assess
    expect(notice.issuedBy?.email).toBe(issuingOfficer.email);
    expect(report.sent.map((s) => [s.kind, s.recipients])).toEqual([
      ['at-due', CONTACTS],
      ['escalation', [issuingOfficer.email, ESCALATION_EMAIL]],
    ]);
    const escalation = defined(mailer.sent.at(-1), 'the last email sent');
    expect(escalation.to).toEqual([issuingOfficer.email, ESCALATION_EMAIL]);
    expect(escalation.subject).toBe('Overdue: Basic Online Safety Expectations: child safety (x-corp)');
    const after = await service.get(officer, notice.id);
    expect(after.escalation).toMatchObject({ dueAt: DUE, sentAt: '2026-12-22T13:05:00.000Z' });
    expect(after.nextReminderAt).toBeUndefined();
  });

  it('records a reminder nobody could be sent, without calling the mailer, so the schedule moves on', async () => {
    // Prepare
    const { service, clock, notice, mailer, runner, sentEvents } = await portalWithIssuedNotice(transparencyDraft());
    clock.moveTo(SEVEN_DAYS_BEFORE);

    // Act
    const report = await runner().run();

    // Assess
    expect(report.sent).toEqual([expect.objectContaining({ recipients: [], delivery: 'no-recipients' })]);
    expect(mailer.sent).toEqual([]);
    expect((await sentEvents()).at(0)?.data).toMatchObject({ recipients: [], delivery: 'no-recipients' });
    expect((await service.get(officer, notice.id)).nextReminderAt).toBe(TWO_DAYS_BEFORE);
  });

  // A message the transport refuses (an address SES will not take) must not hold up every other notice: the
  // notice refused sorts first in every run, because its reminder stays due.
  it("still reminds other notices when the transport refuses one notice's reminder", async () => {
    // Prepare
    const { service, clock, mailer, runner, sentEvents } = await portalWithIssuedNotice(
      transparencyDraft({ contacts: ['not-verified@x-corp.example'] }),
    );
    clock.advance(1000); // a later id, so the refused notice comes first in the reminders-due index
    const { notice: second } = await service.createDraft(officer, transparencyDraft({ contacts: CONTACTS }));
    await service.issue(officer, second.id);
    mailer.refuseMessagesTo('not-verified@x-corp.example');
    clock.moveTo(SEVEN_DAYS_BEFORE);

    // Act
    const report = await runner().run();

    // Assess: the run goes on, and reports the failure (the ReminderRunFailures metric is read from it).
    expect(mailer.sent.map((email) => email.to)).toEqual([CONTACTS]);
    expect(await sentEvents(second.id)).toHaveLength(1);
    expect(report.failures).toBe(1);
    expect(report.skipped).toEqual([{ noticeId: expect.any(String), reason: expect.stringMatching(/^failed: /) }]);
  });

  // The lease is what keeps a second run away from a reminder whose sender may still be working, and what gives
  // the transport's witness time to arrive; it must run for leaseMs from the moment the reminder was claimed.
  it('protects a reminder claimed late in a slow run for the whole lease from when it was claimed', async () => {
    // Prepare: two notices due at the same time; sending the first takes four minutes, and the run dies right
    // after sending the second.
    const slow = 'slow-inbox@x-corp.example';
    const { service, store, clock } = await portalWithIssuedNotice(transparencyDraft({ contacts: [slow] }));
    clock.advance(1000); // a later id, so this notice comes second in the reminders-due index
    const { notice: second } = await service.createDraft(officer, transparencyDraft({ contacts: CONTACTS }));
    await service.issue(officer, second.id);
    const mailer = new InMemoryMailer((email) => {
      if (email.to.includes(slow)) clock.advance(4 * 60_000);
      else throw new SimulatedCrash(`died after sending ${email.id}`);
    });
    const run = (runId: string) =>
      new ReminderRunner({ store, mailer, clock: clock.now, newRunId: () => runId, leaseMs: LEASE_MS }).run();
    clock.moveTo(SEVEN_DAYS_BEFORE);
    await run('run-slow').catch(() => undefined);
    // Two minutes after the second reminder was claimed.
    clock.advance(2 * 60_000);

    // Act
    const report = await run('run-next');

    // Assess
    const secondReminder = defined(
      reminderSchedule(await service.get(officer, second.id))[0],
      "the second notice's first reminder",
    );
    expect(report.sent).toEqual([]);
    expect(report.skipped).toEqual([{ noticeId: second.id, reason: `reminder ${secondReminder.id} is busy` }]);
  });
});
