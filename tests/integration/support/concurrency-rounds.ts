import { verifyChain } from '../../../lambdas/domain/notice-event';
import { type Harness, type Response, startHarness, transparencyDraft } from './portal-harness';
import { type Call, registeredSigner, signedFinalize } from './response-filing';

/**
 * Issue 14 point 4: every step of a notice's life raced by 50 conflicting requests at once against the real local
 * portal, over `rounds` rounds. Per step: no 5xx, every refusal a 409, exactly one change recorded (the winner's,
 * plus the identical answers of requests replaying the winner's Idempotency-Key), the notice's version moved by
 * one, and its hash chain intact. Per round: one event of each kind, version = event count, listed under its
 * status; a withdrawal raced by acknowledgements ends withdrawn once; and 50 simultaneous reminder runs send each
 * due reminder once. Shared by the short run in `npm test`
 * (tests/integration/concurrency.test.ts) and the long one (tests/long/concurrency.long.test.ts).
 */
export const RACERS = 50;

const MINUTE = 60_000;
const CONTACT = 'legal@x-corp.example';

interface Attempt {
  /** The Idempotency-Key the request carried, if any. */
  key?: string;
  response: Response;
}

/** What one step took, for the figures printed after the run. */
interface StepTiming {
  step: string;
  ms: number;
  /** Where some racers shared a key: whether one of them won (they all answer 2xx) or one without it. */
  winner?: 'keyed' | 'unkeyed';
}

export function describeConcurrencyRounds(rounds: number): void {
  let h: Harness;
  let signer: Awaited<ReturnType<typeof registeredSigner>>;
  const timings: StepTiming[] = [];

  beforeAll(async () => {
    h = await startHarness();
    signer = await registeredSigner(call);
  }, 60_000);
  afterAll(async () => {
    printTimings(rounds, timings);
    await h?.stop();
  });

  const call: Call = async (user, method, path, body) =>
    method === 'GET' ? h.as(user).get(path) : h.as(user).post(path, body);

  /** Sends `RACERS` requests at once; request `i` carries `keyOf(i)` as its Idempotency-Key when that is defined. */
  async function race(
    step: string,
    keyOf: (i: number) => string | undefined,
    send: (i: number, headers: Record<string, string>) => Promise<Response>,
  ): Promise<Attempt[]> {
    const started = performance.now();
    const attempts = await Promise.all(
      Array.from({ length: RACERS }, async (_, i) => {
        const key = keyOf(i);
        return { key, response: await send(i, key ? { 'idempotency-key': key } : {}) };
      }),
    );
    timings.push({ step, ms: performance.now() - started });
    return attempts;
  }

  async function history(id: string): Promise<{ kind: string; seq: number; hash: string }[]> {
    const res = await h.as('officer').get(`/notices/${id}/history?limit=100`);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeUndefined();
    return res.body.items;
  }

  /**
   * The step's outcome: no 5xx, every refusal a 409, every 2xx the same answer. With a shared key in play, either a
   * request without it won (then it is the only 2xx: a key that made no change replays nothing) or one with it did
   * (then every request with that key answers as the winner did and every other one is refused).
   * Returns the winning answer's body.
   */
  function assessRace(step: string, attempts: Attempt[], sameAnswer: (body: any) => unknown): any {
    const statuses = attempts.map((a) => a.response.status);
    const report = `${step}: ${JSON.stringify(countBy(statuses))}`;
    expect({ report, serverErrors: statuses.filter((s) => s >= 500) }).toEqual({ report, serverErrors: [] });
    const winners = attempts.filter((a) => a.response.status >= 200 && a.response.status < 300);
    const losers = attempts.filter((a) => !(a.response.status >= 200 && a.response.status < 300));
    expect({ report, refusals: [...new Set(losers.map((a) => a.response.status))] }).toEqual({
      report,
      refusals: losers.length ? [409] : [],
    });
    expect(winners.length).toBeGreaterThanOrEqual(1);
    const answers = new Set(winners.map((w) => JSON.stringify(sameAnswer(w.response.body))));
    expect({ report, distinctAnswers: answers.size }).toEqual({ report, distinctAnswers: 1 });
    const unkeyedWinners = winners.filter((w) => !w.key);
    const timing = timings.findLast((t) => t.step === step);
    if (timing && attempts.some((a) => a.key)) timing.winner = unkeyedWinners.length > 0 ? 'unkeyed' : 'keyed';
    if (unkeyedWinners.length > 0) {
      expect({ report, winners: winners.length }).toEqual({ report, winners: 1 });
    } else {
      const key = winners[0]?.key;
      expect({ report, winners: winners.length }).toEqual({
        report,
        winners: attempts.filter((a) => a.key === key).length,
      });
    }
    return winners[0]?.response.body;
  }

  /** After a step: exactly one more event, of `kind`; the notice's version is its event count; the chain holds. */
  async function assessRecorded(id: string, before: number, kind: string, winner: { version?: number }) {
    const events = await history(id);
    expect(events.map((e) => e.kind).slice(before)).toEqual([kind]);
    expect(verifyChain(events as never)).toEqual({ valid: true });
    const notice = await h.as('officer').get(`/notices/${id}`);
    expect(notice.body.version).toBe(events.length);
    if (winner.version !== undefined) expect(winner.version).toBe(events.length);
    expect(notice.body.lastEventHash).toBe(events.at(-1)?.hash);
    return events.length;
  }

  /** Whether `id` is in the regulator's list of x-corp's notices in `status` (paging through all of them). */
  async function listedUnder(status: string, id: string): Promise<boolean> {
    let cursor: string | undefined;
    do {
      const page = await h
        .as('officer')
        .get(`/notices?platformId=x-corp&status=${status}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      if (page.body.items.some((n: { id: string }) => n.id === id)) return true;
      cursor = page.body.nextCursor;
    } while (cursor);
    return false;
  }

  const notice = (body: any) => ({ status: body.status, version: body.version, hash: body.lastEventHash });
  /** Half the racers share one key, half send none. */
  const halfKeyed = (key: string) => (i: number) => (i % 2 === 0 ? key : undefined);

  for (let round = 1; round <= rounds; round++) {
    it(`round ${round}/${rounds}: one winner per step from draft to closed, one event each, chain unbroken`, async () => {
      const tag = `r${round}-${Date.now()}`;
      const officer = h.as('officer');
      const platform = h.as('x-corp-legal');
      const created = await officer.post('/notices', transparencyDraft('x-corp', { contacts: [CONTACT] }));
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      let seen = 1;

      const issued = await race('issue', halfKeyed(`iss-${tag}`), (_, headers) =>
        officer.post(`/notices/${id}/issue`, undefined, headers),
      );
      seen = await assessRecorded(id, seen, 'issued', assessRace('issue', issued, notice));

      const acked = await race('acknowledge', halfKeyed(`ack-${tag}`), (_, headers) =>
        platform.post(`/notices/${id}/acknowledge`, undefined, headers),
      );
      seen = await assessRecorded(id, seen, 'acknowledged', assessRace('acknowledge', acked, notice));

      const current = await officer.get(`/notices/${id}`);
      const asked = await platform.post(`/notices/${id}/extensions`, {
        requestedDueAt: new Date(Date.parse(current.body.dueAt) + 7 * 24 * 60 * MINUTE).toISOString(),
        reason: 'Our data team needs to re-run the audit.',
      });
      expect(asked.status).toBe(201);
      seen += 1;
      // Grants and refusals of the same request at once: one decision, whichever it is.
      const decided = await race(
        'decide extension',
        () => undefined,
        (i, headers) =>
          i % 2 === 0
            ? officer.post(`/notices/${id}/extensions/ext_1/grant`, {}, headers)
            : officer.post(`/notices/${id}/extensions/ext_1/refuse`, { reason: 'No grounds given.' }, headers),
      );
      const decision = assessRace('decide extension', decided, notice);
      const decisionKind = decision.extensions[0].status === 'granted' ? 'extension-granted' : 'extension-refused';
      seen = await assessRecorded(id, seen, decisionKind, decision);

      const opened = await platform.post(`/notices/${id}/submissions`, { files: [] });
      expect(opened.status).toBe(201);
      const filing = { noticeId: id, submissionId: opened.body.submission.submissionId as string, files: [] };
      const portalNow = new Date((await h.anonymous().get('/dev/clock')).body.now);
      // Two signed manifests for one submission (the second signed a second later), raced: 40 racers send the
      // first (half of them with one Idempotency-Key), 10 the second.
      const manifests = [
        await signedFinalize(filing, signer, portalNow),
        await signedFinalize(filing, signer, new Date(portalNow.getTime() + 1000)),
      ];
      const manifestOf = (i: number) => (i % 5 === 4 ? 1 : 0);
      const path = `/notices/${id}/submissions/${filing.submissionId}/finalize`;
      const finalized = await race(
        'finalize',
        (i) => (manifestOf(i) === 0 && i % 2 === 0 ? `fin-${tag}` : undefined),
        (i, headers) => platform.post(path, manifests[manifestOf(i)], headers),
      );
      // Finalizing again with the same manifest and signature answers with the same receipt (README, "Signed
      // responses"), so every racer that sent the filed manifest gets it; every racer that sent the other one is
      // refused. The one `submitted` event is what must be unique.
      const filedStatuses = finalized.map((a) => a.response.status);
      const finalizeReport = `finalize: ${JSON.stringify(countBy(filedStatuses))}`;
      const filedWinners = finalized.flatMap((a, i) => (a.response.status === 200 ? [i] : []));
      const filedManifest = manifestOf(filedWinners[0] ?? -1);
      expect({
        finalizeReport,
        winners: filedWinners.length,
        sampleRefusal: finalized.find((a, i) => manifestOf(i) === filedManifest && a.response.status !== 200)?.response
          .body,
      }).toEqual({
        finalizeReport,
        winners: finalized.filter((_, i) => manifestOf(i) === filedManifest).length,
        sampleRefusal: undefined,
      });
      const others = finalized.filter((_, i) => manifestOf(i) !== filedManifest);
      expect(others.map((a) => a.response.status)).toEqual(others.map(() => 409));
      const receipts = new Set(filedWinners.map((i) => JSON.stringify(finalized[i]?.response.body.receipt)));
      expect(receipts.size).toBe(1);
      const timing = timings.findLast((t) => t.step === 'finalize');
      if (timing) timing.winner = filedManifest === 0 ? 'keyed' : 'unkeyed';
      seen = await assessRecorded(id, seen, 'submitted', {});

      const reviewed = await race(
        'start review',
        () => undefined,
        (_, headers) => officer.post(`/notices/${id}/review`, undefined, headers),
      );
      seen = await assessRecorded(id, seen, 'review-started', assessRace('start review', reviewed, notice));

      const accepted = await race('accept', halfKeyed(`acc-${tag}`), (_, headers) =>
        officer.post(`/notices/${id}/accept`, { reason: 'The response answers every question.' }, headers),
      );
      seen = await assessRecorded(id, seen, 'accepted', assessRace('accept', accepted, notice));

      // Every racer with the same key: a client retrying a lost answer 50 times at once.
      const closed = await race(
        'close (all one key)',
        () => `close-${tag}`,
        (_, headers) => officer.post(`/notices/${id}/close`, { reason: 'Complied in full.' }, headers),
      );
      const closing = assessRace('close (all one key)', closed, notice);
      expect(closed.every((a) => a.response.status === 200)).toBe(true);
      seen = await assessRecorded(id, seen, 'closed', closing);

      const events = await history(id);
      expect(countBy(events.map((e) => e.kind))).toEqual({
        created: 1,
        issued: 1,
        acknowledged: 1,
        'extension-requested': 1,
        [decisionKind]: 1,
        submitted: 1,
        'review-started': 1,
        accepted: 1,
        closed: 1,
      });
      expect(await listedUnder('closed', id)).toBe(true);
      expect(await listedUnder('accepted', id)).toBe(false);
    }, 120_000);

    it(`round ${round}/${rounds}: a withdrawal raced by the platform's acknowledgements ends withdrawn, once`, async () => {
      const officer = h.as('officer');
      const created = await officer.post('/notices', transparencyDraft('x-corp', { contacts: [CONTACT] }));
      const id: string = created.body.id;
      expect((await officer.post(`/notices/${id}/issue`)).status).toBe(200);

      // Half the racers acknowledge, half withdraw (as two officers would, each with a reason of their own).
      const raced = await race(
        'withdraw vs acknowledge',
        () => undefined,
        (i, headers) =>
          i % 2 === 0
            ? h.as('x-corp-legal').post(`/notices/${id}/acknowledge`, undefined, headers)
            : officer.post(`/notices/${id}/withdraw`, { reason: `Issued in error (officer ${i}).` }, headers),
      );

      const statuses = raced.map((a) => a.response.status);
      const report = `withdraw vs acknowledge: ${JSON.stringify(countBy(statuses))}`;
      expect({ report, unexpected: statuses.filter((s) => s !== 200 && s !== 409) }).toEqual({
        report,
        unexpected: [],
      });
      const won = (parity: number) => raced.filter((a, i) => i % 2 === parity && a.response.status === 200);
      const [acks, withdrawals] = [won(0), won(1)];
      // Withdrawal is allowed from issued and from acknowledged, so exactly one withdrawal always wins; an
      // acknowledgement can win only by coming first.
      expect({ report, withdrawals: withdrawals.length }).toEqual({ report, withdrawals: 1 });
      expect(acks.length).toBeLessThanOrEqual(1);
      const events = await history(id);
      expect(events.map((e) => e.kind)).toEqual(
        acks.length ? ['created', 'issued', 'acknowledged', 'withdrawn'] : ['created', 'issued', 'withdrawn'],
      );
      expect(verifyChain(events as never)).toEqual({ valid: true });
      const read = await officer.get(`/notices/${id}`);
      expect(read.body).toMatchObject({
        status: 'withdrawn',
        version: events.length,
        withdrawalReason: withdrawals[0]?.response.body.withdrawalReason,
      });
      expect(await listedUnder('withdrawn', id)).toBe(true);
      expect(await listedUnder('issued', id)).toBe(false);
      expect(await listedUnder('acknowledged', id)).toBe(false);
    }, 120_000);

    it(`round ${round}/${rounds}: 50 reminder runs at once send each due reminder exactly once`, async () => {
      const officer = h.as('officer');
      const created = await officer.post('/notices', {
        type: 'removal-notice',
        platformId: 'x-corp',
        title: `Remove material (concurrency round ${round})`,
        mannerAndForm: 'Confirm removal through the portal.',
        contacts: [CONTACT],
        requirements: { requiredAction: 'Remove the material at the listed URLs.' },
        responsePeriod: { amount: 24, unit: 'hours' },
      });
      expect(created.status).toBe(201);
      const issued = await officer.post(`/notices/${created.body.id}/issue`);
      expect(issued.status).toBe(200);
      const id: string = issued.body.id;
      // The first reminder (12 hours before the due time) falls due; the clock only moves forward, so earlier
      // rounds' notices may fall due too and are sent in the same runs, also exactly once.
      const now = Date.parse((await h.anonymous().get('/dev/clock')).body.now);
      const minutes = Math.ceil((Date.parse(issued.body.nextReminderAt) + MINUTE - now) / MINUTE);
      expect((await h.anonymous().post('/dev/clock', { minutes })).status).toBe(200);
      const outboxBefore = (await h.anonymous().get('/dev/outbox')).body.items.length;

      const runs = await race(
        'reminder run',
        () => undefined,
        () => h.anonymous().post('/dev/reminders/run'),
      );

      const statuses = runs.map((r) => r.response.status);
      expect(countBy(statuses)).toEqual({ 200: RACERS });
      const sent = runs.flatMap((r) => r.response.body.sent as { noticeId: string; reminderId: string }[]);
      const sentIds = sent.map((s) => `${s.noticeId}/${s.reminderId}`);
      expect(sentIds.length).toBe(new Set(sentIds).size);
      expect(sent.filter((s) => s.noticeId === id)).toHaveLength(1);
      const outbox = (await h.anonymous().get('/dev/outbox')).body.items as { id: string; text: string }[];
      const fresh = outbox.slice(outboxBefore);
      expect(fresh).toHaveLength(sent.length);
      expect(new Set(outbox.map((m) => m.id)).size).toBe(outbox.length);
      expect(fresh.filter((m) => m.text.includes(id))).toHaveLength(1);
      for (const noticeId of new Set(sent.map((s) => s.noticeId))) {
        const events = await history(noticeId);
        const recorded = events.filter((e) => e.kind === 'reminder-sent').length;
        expect({ noticeId, recorded }).toEqual({
          noticeId,
          recorded: outbox.filter((m) => m.text.includes(noticeId)).length,
        });
        expect(verifyChain(events as never)).toEqual({ valid: true });
        const read = await officer.get(`/notices/${noticeId}`);
        expect(read.body.version).toBe(events.length);
      }
      expect(await listedUnder('issued', id)).toBe(true);
    }, 120_000);
  }
}

function countBy<T extends string | number>(values: T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}

function printTimings(rounds: number, timings: StepTiming[]): void {
  const byStep = new Map<string, number[]>();
  for (const t of timings) byStep.set(t.step, [...(byStep.get(t.step) ?? []), t.ms]);
  const lines = [...byStep].map(([step, ms]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const keyed = timings.filter((t) => t.step === step && t.winner === 'keyed').length;
    const unkeyed = timings.filter((t) => t.step === step && t.winner === 'unkeyed').length;
    const winners = keyed + unkeyed ? `; winner carried the shared key in ${keyed} of ${keyed + unkeyed}` : '';
    return `  ${step.padEnd(22)} median ${median.toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms${winners}`;
  });
  console.log(`concurrency: ${rounds} round(s) of ${RACERS} racers per step\n${lines.join('\n')}`);
}
