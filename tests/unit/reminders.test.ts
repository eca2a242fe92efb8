import { SYSTEM_ACTOR } from '../../lambdas/domain/caller';
import type { CreateDraftRequest, Notice, NoticeStatus } from '../../lambdas/domain/notice';
import { type Catalogue, DEFAULT_CATALOGUE } from '../../lambdas/domain/notice-catalogue';
import { sealEvent } from '../../lambdas/domain/notice-event';
import { applyEvent } from '../../lambdas/domain/notice-lifecycle';
import {
  composeReminder,
  nextReminderAt,
  outstandingReminders,
  reminderDue,
  reminderSchedule,
  type ScheduledReminder,
} from '../../lambdas/domain/reminders';
import { defined } from '../support/defined';
import { DAY, HOUR, noticeServiceForTest, officer, removalDraft, transparencyDraft } from '../support/notice-fixtures';

/**
 * Reminders are a pure function of the notice. The notices here are made by the real service (so due times and
 * policies are the ones the portal gives them); a reminder is "sent" by folding the event the runner records.
 */

// 14:00 AEDT on Tue 24 Nov 2026: a 28-day transparency notice is due at the end of Tue 22 Dec 2026.
const GIVEN_AT = '2026-11-24T03:00:00.000Z';
const TRANSPARENCY_DUE = '2026-12-22T12:59:59.999Z';
const CONTACTS = { platform: ['legal@x-corp.example'], regulator: ['oscar.officer@regulator.example'] };

async function issued(draft: CreateDraftRequest, options: { catalogue?: Catalogue } = {}): Promise<Notice> {
  const { service } = noticeServiceForTest({ start: GIVEN_AT, ...options });
  const { notice } = await service.createDraft(officer, draft);
  return service.issue(officer, notice.id);
}

/** The notice after the runner recorded `reminder` as sent at `at`. */
function afterSending(notice: Notice, reminder: ScheduledReminder, at: string): Notice {
  const event = sealEvent(notice.id, notice.version + 1, notice.lastEventHash, {
    kind: 'reminder-sent',
    at,
    actor: SYSTEM_ACTOR,
    data: {
      reminderId: reminder.id,
      reminderKind: reminder.kind,
      label: reminder.label,
      dueAt: reminder.dueAt,
      fireAt: reminder.fireAt,
      recipients: [],
      delivery: 'sent',
    },
  });
  return applyEvent(notice, event);
}

const at = (iso: string) => new Date(iso);
const shifted = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('reminderSchedule', () => {
  it('reminds a 28-day transparency notice 7, 2 and 1 days before and at the due time, then escalates', async () => {
    // Prepare
    const notice = await issued(transparencyDraft());

    // Act
    const schedule = reminderSchedule(notice);

    // Assess
    expect(notice.dueAt).toBe(TRANSPARENCY_DUE);
    expect(
      schedule.map(({ kind, fireAt, label, audience, dueAt }) => ({ kind, fireAt, label, audience, dueAt })),
    ).toEqual([
      {
        kind: 'before-due',
        fireAt: '2026-12-15T12:59:59.999Z',
        label: '7 days before the due time',
        audience: 'platform',
        dueAt: TRANSPARENCY_DUE,
      },
      {
        kind: 'before-due',
        fireAt: '2026-12-20T12:59:59.999Z',
        label: '2 days before the due time',
        audience: 'platform',
        dueAt: TRANSPARENCY_DUE,
      },
      {
        kind: 'before-due',
        fireAt: '2026-12-21T12:59:59.999Z',
        label: '1 day before the due time',
        audience: 'platform',
        dueAt: TRANSPARENCY_DUE,
      },
      {
        kind: 'at-due',
        fireAt: TRANSPARENCY_DUE,
        label: 'at the due time',
        audience: 'platform',
        dueAt: TRANSPARENCY_DUE,
      },
      {
        kind: 'escalation',
        // Overdue is strictly after the due time.
        fireAt: '2026-12-22T13:00:00.000Z',
        label: 'when overdue',
        audience: 'regulator',
        dueAt: TRANSPARENCY_DUE,
      },
    ]);
    expect(nextReminderAt(notice)).toBe('2026-12-15T12:59:59.999Z');
  });

  it('skips reminders of a 24-hour removal notice that would fire at or before the moment it was given', async () => {
    // Prepare: a regulator whose removal notices also remind 2 days and 1 day ahead, which a 24-hour notice
    // cannot use: 1 day before the due time is the moment of giving itself.
    const catalogue = DEFAULT_CATALOGUE.map((entry) =>
      entry.type !== 'removal-notice'
        ? entry
        : {
            ...entry,
            reminders: {
              ...entry.reminders,
              beforeDue: [
                { amount: 2, unit: 'days' as const },
                { amount: 1, unit: 'days' as const },
                { amount: 12, unit: 'hours' as const },
                { amount: 2, unit: 'hours' as const },
              ],
            },
          },
    );
    const notice = await issued(removalDraft(), { catalogue });

    // Act
    const schedule = reminderSchedule(notice);

    // Assess
    expect(notice.dueAt).toBe('2026-11-25T03:00:00.000Z');
    expect(schedule.map((r) => [r.kind, r.label, r.fireAt])).toEqual([
      ['before-due', '12 hours before the due time', '2026-11-24T15:00:00.000Z'],
      ['before-due', '2 hours before the due time', '2026-11-25T01:00:00.000Z'],
      ['at-due', 'at the due time', '2026-11-25T03:00:00.000Z'],
      ['escalation', 'when overdue', '2026-11-25T03:00:00.001Z'],
    ]);
  });

  it('gives the same reminder the same id for the same due time, and new ids when the due time changes', async () => {
    // Prepare
    const notice = await issued(transparencyDraft());
    const moved = { ...notice, dueAt: '2027-01-05T12:59:59.999Z' };

    // Act
    const first = reminderSchedule(notice).map((r) => r.id);
    const again = reminderSchedule({ ...notice }).map((r) => r.id);
    const afterMove = reminderSchedule(moved).map((r) => r.id);

    // Assess
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    expect(first.every((id) => /^rmd_[0-9a-f]{32}$/.test(id))).toBe(true);
    expect(afterMove).toHaveLength(first.length);
    expect(afterMove.filter((id) => first.includes(id))).toEqual([]);
  });
});

describe('outstandingReminders', () => {
  it.each<NoticeStatus>(['draft', 'withdrawn', 'submitted', 'under-review', 'accepted', 'closed', 'paid', 'unpaid'])(
    'has nothing outstanding once the notice is %s, even with a due time',
    async (status) => {
      // Prepare
      const notice = { ...(await issued(transparencyDraft())), status };

      // Act
      const outstanding = outstandingReminders(notice);

      // Assess
      expect(reminderSchedule(notice)).toHaveLength(5);
      expect(outstanding).toEqual([]);
      expect(nextReminderAt(notice)).toBeUndefined();
    },
  );

  it('keeps reminding an acknowledged notice, since its response is still awaited', async () => {
    // Prepare
    const notice = { ...(await issued(transparencyDraft())), status: 'acknowledged' as const };

    // Act
    const outstanding = outstandingReminders(notice);

    // Assess
    expect(outstanding).toHaveLength(5);
  });
});

describe('reminderDue', () => {
  it('sends nothing before the first reminder fires, and that reminder the moment it does', async () => {
    // Prepare
    const notice = await issued(transparencyDraft());
    const firstFire = '2026-12-15T12:59:59.999Z';

    // Act
    const early = reminderDue(notice, at(shifted(firstFire, -1)));
    const onTime = reminderDue(notice, at(firstFire));

    // Assess
    expect(early).toBeUndefined();
    expect(onTime).toMatchObject({ kind: 'before-due', label: '7 days before the due time' });
  });

  it('sends only the latest platform reminder after an outage, and nothing older once it is handled', async () => {
    // Prepare: the runs stopped before the 7-day reminder and resumed an hour after the 1-day one.
    const notice = await issued(transparencyDraft());
    const resumed = at('2026-12-21T13:59:59.999Z');

    // Act
    const due = reminderDue(notice, resumed);
    const handled = due && afterSending(notice, due, resumed.toISOString());

    // Assess
    expect(due).toMatchObject({ kind: 'before-due', label: '1 day before the due time' });
    expect(handled && reminderDue(handled, resumed)).toBeUndefined();
    expect(handled && nextReminderAt(handled)).toBe(TRANSPARENCY_DUE);
  });

  it('escalates only after the platform reminders that are due have been handled', async () => {
    // Prepare: the runs resumed two days after the due time.
    const notice = await issued(transparencyDraft());
    const resumed = at(shifted(TRANSPARENCY_DUE, 2 * DAY));

    // Act
    const first = reminderDue(notice, resumed);
    const afterPlatform = first && afterSending(notice, first, resumed.toISOString());
    const second = afterPlatform && reminderDue(afterPlatform, resumed);
    const afterEscalation = second && afterSending(afterPlatform, second, resumed.toISOString());

    // Assess
    expect(first).toMatchObject({ kind: 'at-due', audience: 'platform' });
    expect(second).toMatchObject({ kind: 'escalation', audience: 'regulator' });
    expect(afterEscalation?.escalation).toEqual({
      id: second?.id,
      dueAt: TRANSPARENCY_DUE,
      sentAt: resumed.toISOString(),
    });
    expect(afterEscalation && reminderDue(afterEscalation, resumed)).toBeUndefined();
    expect(afterEscalation && nextReminderAt(afterEscalation)).toBeUndefined();
  });

  it('sends nothing for a withdrawn notice whose reminders have all come due', async () => {
    // Prepare
    const notice = { ...(await issued(transparencyDraft())), status: 'withdrawn' as const };

    // Act
    const due = reminderDue(notice, at(shifted(TRANSPARENCY_DUE, DAY)));

    // Assess
    expect(due).toBeUndefined();
  });
});

describe('composeReminder', () => {
  it("names the due time in the notice's zone, the legal basis and the consequences to the platform", async () => {
    // Prepare
    const notice = await issued(transparencyDraft({ contacts: CONTACTS.platform }));
    const sevenDays = defined(reminderSchedule(notice)[0], 'the 7-day reminder');

    // Act
    const message = composeReminder(
      notice,
      sevenDays,
      CONTACTS,
      new Date(sevenDays.fireAt),
      'https://portal.regulator.example',
    );

    // Assess
    expect(message.to).toEqual(CONTACTS.platform);
    expect(message.subject).toBe(
      'Reminder: Basic Online Safety Expectations: child safety is due Tue, 22 Dec 2026, 23:59:59 AEDT',
    );
    expect(message.text).toContain('7 days before the due time');
    expect(message.text).toContain('is due Tue, 22 Dec 2026, 23:59:59 AEDT (2026-12-22T12:59:59.999Z)');
    expect(message.text).toContain('given under Online Safety Act 2021 (Cth) s 56(2)');
    expect(message.text).toContain(notice.consequences);
    expect(message.text).toContain(`https://portal.regulator.example/notices/${notice.id}`);
  });

  it('reads the due time on the clocks of the zone the notice was given in', async () => {
    // Prepare
    const notice = await issued(transparencyDraft({ timeZone: 'Australia/Perth' }));
    const sevenDays = defined(reminderSchedule(notice)[0], 'the 7-day reminder');

    // Act
    const message = composeReminder(notice, sevenDays, CONTACTS, new Date(sevenDays.fireAt));

    // Assess: the end of Tue 22 Dec 2026 in Perth.
    expect(message.text).toContain('is due Tue, 22 Dec 2026, 23:59:59 AWST');
  });

  it('sends the escalation to the regulator, saying which platform has not responded and under what', async () => {
    // Prepare
    const notice = await issued(transparencyDraft());
    const escalation = reminderSchedule(notice).find((r) => r.kind === 'escalation');
    if (!escalation) throw new Error('the transparency notice has no escalation');

    // Act
    const message = composeReminder(notice, escalation, CONTACTS, new Date(escalation.fireAt));

    // Assess
    expect(message.to).toEqual(CONTACTS.regulator);
    expect(message.subject).toBe('Overdue: Basic Online Safety Expectations: child safety (x-corp)');
    expect(message.text).toContain('given to x-corp under Online Safety Act 2021 (Cth) s 56(2)');
    expect(message.text).toContain('was due Tue, 22 Dec 2026, 23:59:59 AEDT');
    expect(message.text).toContain('no response has been submitted');
  });

  it('tells the platform at the due time that the notice is due now', async () => {
    // Prepare
    const notice = await issued(transparencyDraft());
    const atDue = reminderSchedule(notice).find((r) => r.kind === 'at-due');
    if (!atDue) throw new Error('the transparency notice has no reminder at the due time');

    // Act
    const message = composeReminder(notice, atDue, CONTACTS, new Date(atDue.fireAt));

    // Assess
    expect(message.to).toEqual(CONTACTS.platform);
    expect(message.subject).toContain('is due now');
  });
});

describe('reminders of a removal notice, by the hour', () => {
  it('fires 12 hours and 2 hours before a 24-hour removal notice is due', async () => {
    // Prepare
    const notice = await issued(removalDraft());

    // Act
    const twelveHours = reminderDue(notice, at(shifted(GIVEN_AT, 12 * HOUR)));
    const twoHours = reminderDue(notice, at(shifted(GIVEN_AT, 22 * HOUR)));

    // Assess
    expect(twelveHours?.label).toBe('12 hours before the due time');
    expect(twoHours?.label).toBe('2 hours before the due time');
  });
});
