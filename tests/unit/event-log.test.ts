import { eventPayloadSchemas } from '../../lambdas/domain/event-payloads';
import { REDUCERS } from '../../lambdas/domain/event-reducers';
import { EVENT_KINDS, hashEvent, type NoticeEvent, NoticeEventSchema } from '../../lambdas/domain/notice-event';
import { ReminderRunner } from '../../lambdas/domain/reminder-runner';
import { reminderSchedule } from '../../lambdas/domain/reminders';
import sample from '../fixtures/evidence-sample.json';
import { defined } from '../support/defined';
import { InMemoryMailer } from '../support/in-memory-mailer';
import {
  DAY,
  infringementDraft,
  noticeServiceForTest,
  officer,
  transparencyDraft,
  xCorpLegal,
} from '../support/notice-fixtures';

/**
 * The typed event log: every kind has a payload schema and a reducer, and the union reads every event the code
 * writes (captured from the real portal, and written now by the domain) exactly as it was written, so parsing it
 * can never change an event's canonical JSON or its hash.
 */

const GIVEN_AT = '2026-11-24T03:00:00.000Z';
const PAGE = { limit: 100 };
const PAYMENT = {
  paidAt: '2026-12-10T10:00:00+11:00',
  amount: { currency: 'AUD', amount: '610500.00' },
  reference: 'EFT 2026-12-10 0042',
};

/** The events as the API returns them: JSON, so without the `undefined` members an in-memory event may hold. */
const asJson = (events: readonly unknown[]): unknown[] => JSON.parse(JSON.stringify(events));

/** A transparency notice revised as a draft, issued, reminded, extended twice (granted, refused), acknowledged and withdrawn. */
async function transparencyHistory(): Promise<NoticeEvent[]> {
  const { service, store, clock } = noticeServiceForTest({ start: GIVEN_AT });
  const { notice: draft } = await service.createDraft(officer, transparencyDraft({ contacts: ['legal@x.example'] }));
  await service.reviseDraft(officer, draft.id, transparencyDraft({ title: 'Revised title' }), draft.version);
  const issued = await service.issue(officer, draft.id, 'issue-key-1');
  await service.acknowledge(xCorpLegal, issued.id);
  clock.moveTo(defined(reminderSchedule(issued)[0], 'the first reminder').fireAt);
  const runner = new ReminderRunner({ store, mailer: new InMemoryMailer(), clock: clock.now, newRunId: () => 'run-1' });
  await runner.run();
  const later = (days: number) => new Date(Date.parse(issued.dueAt as string) + days * DAY).toISOString();
  await service.requestExtension(xCorpLegal, issued.id, { requestedDueAt: later(7), reason: 'An audit runs late.' });
  await service.grantExtension(officer, issued.id, 'ext_1', { reason: 'Granted.', legalBasis: 'OSA s 57(2)' });
  await service.requestExtension(xCorpLegal, issued.id, { requestedDueAt: later(14), reason: 'Another week.' });
  await service.refuseExtension(officer, issued.id, 'ext_2', 'One extension is enough.');
  await service.withdraw(officer, issued.id, 'Superseded by a new notice.');
  return (await service.history(officer, issued.id, PAGE)).items;
}

/** An infringement notice paid, the payment corrected and then voided, and non-payment recorded after the due time. */
async function infringementHistory(): Promise<NoticeEvent[]> {
  const { service, clock } = noticeServiceForTest({ start: GIVEN_AT });
  const { notice: draft } = await service.createDraft(officer, infringementDraft());
  const issued = await service.issue(officer, draft.id);
  clock.advance(20 * DAY);
  await service.recordPayment(officer, issued.id, PAYMENT);
  await service.correctPayment(officer, issued.id, { reason: 'Mistyped.', reference: 'EFT 2026-12-10 0043' });
  await service.correctPayment(officer, issued.id, { reason: 'Wrong notice.', void: true });
  clock.moveTo(new Date(Date.parse(issued.dueAt as string) + DAY).toISOString());
  await service.recordNonPayment(officer, issued.id, 'Not paid by the due time.');
  return (await service.history(officer, issued.id, PAGE)).items;
}

describe('the typed event log', () => {
  it('has a payload schema, an event schema and a reducer for every event kind, and nothing else', () => {
    // Act
    const eventSchemaKinds = NoticeEventSchema._zod.def
      .getter()
      ._zod.def.options.map((option) => option.shape.kind.def.values[0]);

    // Assess
    const kinds = [...EVENT_KINDS].sort();
    expect([...eventSchemaKinds].sort()).toEqual(kinds);
    expect(Object.keys(eventPayloadSchemas()).sort()).toEqual(kinds);
    expect(Object.keys(REDUCERS).sort()).toEqual(kinds);
  });

  it('reads the history captured from the local portal unchanged, every hash still matching', () => {
    // Act
    const parsed = sample.history.map((event) => NoticeEventSchema.parse(event));

    // Assess
    expect(parsed).toStrictEqual(sample.history);
    for (const { hash, ...rest } of parsed) expect(hashEvent(rest)).toBe(hash);
  });

  it.each([
    ['a transparency notice', transparencyHistory],
    ['an infringement notice', infringementHistory],
  ])('reads a history the current code writes for %s unchanged', async (_name, write) => {
    // Prepare
    const returned = asJson(await write());

    // Act
    const parsed = returned.map((event) => NoticeEventSchema.parse(event));

    // Assess
    expect(parsed).toStrictEqual(returned);
    for (const { hash, ...rest } of parsed) expect(hashEvent(rest)).toBe(hash);
  });

  it('reads every kind but the review follow-ups between the captured and the freshly written histories', async () => {
    // Act
    const written = [...sample.history, ...(await transparencyHistory()), ...(await infringementHistory())];

    // Assess: submitted follow-ups (review, further information, accept, close) are read by the integration tests.
    const kinds = new Set(written.map((e) => e.kind));
    expect(EVENT_KINDS.filter((k) => !kinds.has(k))).toEqual([
      'review-started',
      'further-information-requested',
      'accepted',
      'closed',
    ]);
  });

  it('refuses an event whose data carries a field no code writes', () => {
    // Prepare
    const [created, issued] = sample.history;
    if (issued === undefined) throw new Error('expected the sample history to have an issued event');

    // Act
    const result = NoticeEventSchema.safeParse({ ...issued, data: { ...issued.data, edited: true } });

    // Assess
    expect(result.success).toBe(false);
    expect(NoticeEventSchema.safeParse(created).success).toBe(true);
  });
});
