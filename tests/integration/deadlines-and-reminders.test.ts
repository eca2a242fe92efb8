import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbNoticeStore } from '../../lambdas/adapters/dynamodb-notice-store';
import type { Mailer } from '../../lambdas/domain/mailer';
import { verifyChain } from '../../lambdas/domain/notice-event';
import { ReminderRunner } from '../../lambdas/domain/reminder-runner';
import { now } from '../../lambdas/runtime/clock';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';

/**
 * Deadlines through the local portal: reminders go out exactly once, extensions move them, overdue notices
 * escalate, and an infringement notice follows with its own payment clock. The portal's clock is moved with the
 * local-only POST /dev/clock.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const CONTACT = 'legal@x-corp.example';

async function portalNow(): Promise<number> {
  return Date.parse((await h.anonymous().get('/dev/clock')).body.now);
}

/** Moves the portal's clock forward to `instant` (it never goes back). */
async function advanceTo(instant: number): Promise<void> {
  const minutes = Math.ceil((instant - (await portalNow())) / MINUTE);
  if (minutes > 0) await h.anonymous().post('/dev/clock', { minutes });
}

async function runReminders(): Promise<any> {
  return (await h.anonymous().post('/dev/reminders/run')).body;
}

async function mailAbout(noticeId: string): Promise<any[]> {
  const outbox = await h.anonymous().get('/dev/outbox');
  return outbox.body.items.filter((m: { text: string }) => m.text.includes(noticeId));
}

async function issue(draft = transparencyDraft('x-corp', { contacts: [CONTACT] })): Promise<any> {
  const created = await h.as('officer').post('/notices', draft);
  expect(created.status).toBe(201);
  const issued = await h.as('officer').post(`/notices/${created.body.id}/issue`);
  expect(issued.status).toBe(200);
  return issued.body;
}

describe('reminders', () => {
  it('sends a due reminder exactly once, however many runs race for it', async () => {
    const notice = await issue();
    expect(notice.nextReminderAt).toBe(new Date(Date.parse(notice.dueAt) - 7 * DAY).toISOString());
    await advanceTo(Date.parse(notice.nextReminderAt) + MINUTE);

    const reports = await Promise.all(Array.from({ length: 5 }, () => runReminders()));

    const mail = await mailAbout(notice.id);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to: [CONTACT], subject: expect.stringMatching(/^Reminder: /) });
    expect(mail[0].text).toContain('7 days before the due time');
    const sent = reports.flatMap((r) => r.sent).filter((s: { noticeId: string }) => s.noticeId === notice.id);
    expect(sent).toHaveLength(1);
    const history = await h.as('x-corp-legal').get(`/notices/${notice.id}/history`);
    const reminders = history.body.items.filter((e: { kind: string }) => e.kind === 'reminder-sent');
    expect(reminders).toHaveLength(1);
    expect(reminders[0].actor).toMatchObject({ role: 'system' });
    expect(verifyChain(history.body.items)).toEqual({ valid: true });
  });

  it('moves outstanding reminders when an extension is granted, and the due time changes only then', async () => {
    const notice = await issue();
    const wanted = new Date(Date.parse(notice.dueAt) + 14 * DAY).toISOString();
    const requested = await h.as('x-corp-legal').post(`/notices/${notice.id}/extensions`, {
      requestedDueAt: wanted,
      reason: 'Our data team needs to re-run the audit.',
    });
    expect(requested.status).toBe(201);
    expect(requested.body.dueAt).toBe(notice.dueAt);

    const granted = await h
      .as('officer')
      .post(`/notices/${notice.id}/extensions/ext_1/grant`, { legalBasis: 'Online Safety Act 2021 (Cth) s 57(2)' });
    await advanceTo(Date.parse(notice.dueAt) - 7 * DAY + MINUTE);
    await runReminders();
    const atOldTime = await mailAbout(notice.id);
    await advanceTo(Date.parse(wanted) - 7 * DAY + MINUTE);
    await runReminders();
    const atNewTime = await mailAbout(notice.id);

    expect(granted.status).toBe(200);
    expect(granted.body.dueAt).toBe(wanted);
    expect(granted.body.extensions[0]).toMatchObject({
      status: 'granted',
      previousDueAt: notice.dueAt,
      grantedDueAt: wanted,
      legalBasis: 'Online Safety Act 2021 (Cth) s 57(2)',
    });
    expect(granted.body.dueExplanation.at(-1)).toContain('ext_1');
    expect(granted.body.nextReminderAt).toBe(new Date(Date.parse(wanted) - 7 * DAY).toISOString());
    expect(atOldTime).toHaveLength(0);
    expect(atNewTime).toHaveLength(1);
    expect(atNewTime[0].text).toContain(wanted);
  });

  it('does not send again when a run died between sending and recording: the next run trusts the witness', async () => {
    const notice = await issue();
    await advanceTo(Date.parse(notice.nextReminderAt) + MINUTE);
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: h.portal.dynamodbEndpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    });
    const outbox = h.portal.outbox;
    const dying: Mailer = {
      send: async (email) => {
        const sent = await outbox.send(email);
        if (email.text.includes(notice.id)) throw new Error('process died after the transport accepted the message');
        return sent;
      },
      wasSent: (id) => outbox.wasSent(id),
    };
    const store = new DynamoDbNoticeStore(doc, h.portal.tableName, now);
    const doomed = new ReminderRunner({
      store,
      mailer: dying,
      clock: now,
      newRunId: () => 'doomed-run',
      leaseMs: 5 * MINUTE,
    });

    const doomedReport = await doomed.run();
    expect(doomedReport.skipped).toContainEqual({
      noticeId: notice.id,
      reason: 'failed: process died after the transport accepted the message',
    });
    const duringLease = await runReminders();
    await advanceTo((await portalNow()) + 6 * MINUTE);
    const afterLease = await runReminders();
    doc.destroy();

    const mine = (report: any) => report.sent.filter((s: { noticeId: string }) => s.noticeId === notice.id);
    expect(mine(duringLease)).toHaveLength(0);
    expect(mine(afterLease)).toEqual([expect.objectContaining({ delivery: 'witnessed' })]);
    expect(await mailAbout(notice.id)).toHaveLength(1);
    const history = await h.as('officer').get(`/notices/${notice.id}/history`);
    expect(history.body.items.filter((e: { kind: string }) => e.kind === 'reminder-sent')).toHaveLength(1);
  });

  it('sends a withdrawn notice no reminders', async () => {
    const notice = await issue();
    await h.as('officer').post(`/notices/${notice.id}/withdraw`, { reason: 'Issued in error.' });

    await advanceTo(Date.parse(notice.dueAt) + MINUTE);
    await runReminders();

    expect(await mailAbout(notice.id)).toHaveLength(0);
  });
});

describe('overdue notices and infringement notices', () => {
  it('reminds the platform at the due time, escalates to the issuing officer, and supports an infringement notice', async () => {
    const notice = await issue();
    await advanceTo(Date.parse(notice.dueAt) + MINUTE);

    await runReminders();
    const mail = await mailAbout(notice.id);
    const infringement = await h.as('officer').post('/notices', {
      type: 'infringement-notice',
      platformId: 'x-corp',
      title: 'Infringement notice: failure to comply with a transparency notice',
      mannerAndForm: 'Pay the amount payable by the time for payment.',
      contacts: [CONTACT],
      infringement: {
        relatedNoticeId: notice.id,
        provisionContravened: 'Online Safety Act 2021 (Cth) s 57',
        maximumPenalty: { currency: 'AUD', amount: '782500.00' },
        amountPayable: { currency: 'AUD', amount: '610500.00' },
        paymentPlace: 'By BPAY (biller code 12345) or at https://pay.regulator.example/infringements',
      },
    });
    const issuedInfringement = await h.as('officer').post(`/notices/${infringement.body.id}/issue`);
    const early = await h.as('officer').post(`/notices/${infringement.body.id}/non-payment`, { reason: 'Not paid.' });
    const paid = await h.as('admin').post(`/notices/${infringement.body.id}/payment`, {
      paidAt: new Date(await portalNow()).toISOString(),
      amount: { currency: 'AUD', amount: '610500.00' },
      reference: 'BPAY 9988776655',
    });

    expect(mail.map((m) => m.to)).toEqual([[CONTACT], ['officer@regulator.example']]);
    expect(mail[1].subject).toMatch(/^Overdue: /);
    expect(infringement.status).toBe(201);
    expect(issuedInfringement.body.dueExplanation.join(' ')).toMatch(/28 calendar days/);
    expect(early.status).toBe(409);
    expect(paid.body).toMatchObject({ status: 'paid', payment: { reference: 'BPAY 9988776655' } });
  });

  it('refuses an infringement notice for a notice that is not overdue, or without a place for payment', async () => {
    const notice = await issue();
    const details = {
      relatedNoticeId: notice.id,
      provisionContravened: 'Online Safety Act 2021 (Cth) s 57',
      maximumPenalty: { currency: 'AUD', amount: '782500.00' },
      amountPayable: { currency: 'AUD', amount: '16500.00' },
      paymentPlace: 'At https://pay.regulator.example',
    };
    const draft = (infringement: object) => ({
      type: 'infringement-notice',
      platformId: 'x-corp',
      title: 'Infringement notice',
      mannerAndForm: 'Pay the amount payable.',
      infringement,
    });

    const notOverdue = await h.as('officer').post('/notices', draft(details));
    const { paymentPlace: _omitted, ...withoutPlace } = details;
    const noPlace = await h.as('officer').post('/notices', draft(withoutPlace));

    expect(notOverdue.status).toBe(400);
    expect(notOverdue.body.error.issues[0]).toMatchObject({
      path: 'infringement.relatedNoticeId',
      message: expect.stringMatching(/not overdue/),
    });
    expect(noPlace.status).toBe(400);
    expect(noPlace.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['infringement.paymentPlace']);
  });
});

describe('extensions: who may do what', () => {
  it('answers 403 to a regulator asking for an extension and a platform granting one, 404 to an unknown extension', async () => {
    const notice = await issue();
    const later = new Date(Date.parse(notice.dueAt) + DAY).toISOString();

    const byRegulator = await h
      .as('officer')
      .post(`/notices/${notice.id}/extensions`, { requestedDueAt: later, reason: 'Asking on their behalf.' });
    await h
      .as('x-corp-legal')
      .post(`/notices/${notice.id}/extensions`, { requestedDueAt: later, reason: 'Need one more day.' });
    const byPlatform = await h.as('x-corp-legal').post(`/notices/${notice.id}/extensions/ext_1/grant`, {});
    const unknown = await h.as('officer').post(`/notices/${notice.id}/extensions/ext_9/refuse`, { reason: 'No.' });
    const second = await h
      .as('x-corp-legal')
      .post(`/notices/${notice.id}/extensions`, { requestedDueAt: later, reason: 'Asking again meanwhile.' });
    const refused = await h
      .as('officer')
      .post(`/notices/${notice.id}/extensions/ext_1/refuse`, { reason: 'No grounds given.' });
    const earlier = await h.as('x-corp-legal').post(`/notices/${notice.id}/extensions`, {
      requestedDueAt: notice.givenAt,
      reason: 'An earlier date, by mistake.',
    });

    expect(byRegulator.status).toBe(403);
    expect(byPlatform.status).toBe(403);
    expect(unknown.status).toBe(404);
    expect(second.status).toBe(409);
    expect(refused.body).toMatchObject({ dueAt: notice.dueAt, extensions: [{ status: 'refused' }] });
    expect(earlier.status).toBe(400);
    expect(earlier.body.error.issues[0].path).toBe('requestedDueAt');
  });
});
