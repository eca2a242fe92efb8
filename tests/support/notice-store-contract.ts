import { Conflict, ValidationFailed } from '../../lambdas/domain/errors';
import { newNoticeId } from '../../lambdas/domain/ids';
import type { Notice } from '../../lambdas/domain/notice';
import { NO_REMINDERS, type ReminderPolicy } from '../../lambdas/domain/notice-catalogue';
import { GENESIS_HASH, sealEvent, type UnsealedEvent } from '../../lambdas/domain/notice-event';
import { applyEvent } from '../../lambdas/domain/notice-lifecycle';
import type { ListQuery, NoticeStore } from '../../lambdas/domain/notice-store';
import type { ReminderStore } from '../../lambdas/domain/reminder-store';
import { noticeInStatus, officer, rejectionOf, xCorpLegal } from './notice-fixtures';

/**
 * What every NoticeStore (and ReminderStore) must do, run against each implementation: the in-memory store the
 * domain tests use and DynamoDbNoticeStore on a real DynamoDB protocol. The domain tests prove something about
 * production only while the two pass the same suite.
 *
 * `make` returns an empty store for each test (lists read the whole table, so stores must not share data).
 */
const officerActor = { subject: officer.subject, role: 'regulator-officer' as const };
const xCorpActor = { subject: xCorpLegal.subject, role: 'platform-responder' as const, platformId: 'x-corp' };

function contentFor(platformId: string, title: string, reminderPolicy = NO_REMINDERS) {
  const { id, status, version, createdAt, createdBy, updatedAt, lastEventHash, extensions, ...content } =
    noticeInStatus('draft');
  return { ...content, platformId, title, reminderPolicy };
}

async function draft(
  store: NoticeStore,
  platformId: string,
  title: string,
  at = '2026-11-01T00:00:00.000Z',
  reminderPolicy = NO_REMINDERS,
) {
  const event = sealEvent(newNoticeId(new Date(at)), 1, GENESIS_HASH, {
    kind: 'created',
    at,
    actor: officerActor,
    data: contentFor(platformId, title, reminderPolicy),
  });
  const notice = applyEvent(undefined, event);
  await store.append(event, notice);
  return { notice, event };
}

async function next(store: NoticeStore, notice: Notice, change: UnsealedEvent) {
  const event = sealEvent(notice.id, notice.version + 1, notice.lastEventHash, change);
  const after = applyEvent(notice, event);
  await store.append(event, after);
  return { notice: after, event };
}

async function issued(
  store: NoticeStore,
  platformId: string,
  title: string,
  dueAt: string,
  reminderPolicy = NO_REMINDERS,
) {
  const { notice } = await draft(store, platformId, title, undefined, reminderPolicy);
  return (
    await next(store, notice, { kind: 'issued', at: '2026-11-02T00:00:00.000Z', actor: officerActor, data: { dueAt } })
  ).notice;
}

/** An issued notice of another type (the content otherwise as `draft` makes it). */
async function issuedOfType(store: NoticeStore, type: string, title: string, dueAt: string) {
  const at = '2026-11-01T00:00:00.000Z';
  const event = sealEvent(newNoticeId(new Date(at)), 1, GENESIS_HASH, {
    kind: 'created',
    at,
    actor: officerActor,
    data: { ...contentFor('x-corp', title), type },
  });
  const created = applyEvent(undefined, event);
  await store.append(event, created);
  return (
    await next(store, created, { kind: 'issued', at: '2026-11-02T00:00:00.000Z', actor: officerActor, data: { dueAt } })
  ).notice;
}

async function withExtensionRequest(store: NoticeStore, notice: Notice) {
  return (
    await next(store, notice, {
      kind: 'extension-requested',
      at: '2026-11-03T00:00:00.000Z',
      actor: xCorpActor,
      reason: 'The data warehouse is being migrated.',
      data: { extensionId: `ext_${notice.extensions.length + 1}`, requestedDueAt: '2027-02-01T00:00:00.000Z' },
    })
  ).notice;
}

/** Every page of a list, following its cursors; the number of pages too. */
async function allPages(store: NoticeStore, query: ListQuery, limit: number) {
  const items: Notice[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.list(query, { limit, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return { items, pages };
}

const ALL = { limit: 100 };

export function describeNoticeStoreContract(name: string, make: () => Promise<ReminderStore>): void {
  describe(`${name} (NoticeStore contract)`, () => {
    describe('as a notice store', () => {
      it('loads what was appended', async () => {
        // Prepare
        const store = await make();
        const { notice } = await draft(store, 'x-corp', 'First');

        // Act
        const loaded = await store.load(notice.id);

        // Assess
        expect(loaded).toEqual(notice);
      });

      it('refuses a second event with the same sequence number as a concurrent update', async () => {
        // Prepare
        const store = await make();
        const { notice } = await draft(store, 'x-corp', 'First');
        await next(store, notice, { kind: 'issued', at: '2026-11-02T00:00:00.000Z', actor: officerActor, data: {} });

        // Act
        const error = await rejectionOf(
          next(store, notice, { kind: 'withdrawn', at: '2026-11-02T00:00:01.000Z', actor: officerActor, data: {} }),
        );

        // Assess
        expect(error).toBeInstanceOf(Conflict);
        expect((error as Conflict).reason).toBe('concurrent-update');
        expect((await store.load(notice.id))?.status).toBe('issued');
      });

      it('hands out copies, so changing a loaded notice does not change the stored one', async () => {
        // Prepare
        const store = await make();
        const { notice } = await draft(store, 'x-corp', 'First');
        const loaded = (await store.load(notice.id)) as Notice;

        // Act
        loaded.status = 'closed';

        // Assess
        expect((await store.load(notice.id))?.status).toBe('draft');
      });

      it('returns events in order and finds one by its idempotency key', async () => {
        // Prepare
        const store = await make();
        const { notice } = await draft(store, 'x-corp', 'First');
        const { notice: after } = await next(store, notice, {
          kind: 'issued',
          at: '2026-11-02T00:00:00.000Z',
          actor: officerActor,
          data: {},
        });
        await next(store, after, {
          kind: 'acknowledged',
          at: '2026-11-03T00:00:00.000Z',
          actor: xCorpActor,
          data: {},
          idempotencyKey: 'ack-key-0001',
        });

        // Act
        const history = await store.history(notice.id, ALL);
        const found = await store.findEventByIdempotencyKey(notice.id, 'ack-key-0001');

        // Assess
        expect(history.items.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(found?.seq).toBe(3);
        expect(await store.findEventByIdempotencyKey(notice.id, 'ack-key-0002')).toBeUndefined();
      });

      it("keeps drafts out of a platform's list, and in the regulators' lists, by platform too", async () => {
        // Prepare
        const store = await make();
        const { notice: unissued } = await draft(store, 'x-corp', 'Draft');
        const open = await issued(store, 'x-corp', 'Issued', '2026-12-01T00:00:00.000Z');

        // Act
        const platformList = await store.list({ platformId: 'x-corp' }, ALL);
        const platformDrafts = await store.list({ platformId: 'x-corp', status: 'draft' }, ALL);
        const allDrafts = await store.list({ status: 'draft', includeDrafts: true }, ALL);
        const everything = await store.list({ includeDrafts: true }, ALL);
        const regulatorByPlatform = await store.list({ platformId: 'x-corp', includeDrafts: true }, ALL);
        const regulatorPlatformDrafts = await store.list(
          { platformId: 'x-corp', status: 'draft', includeDrafts: true },
          ALL,
        );

        // Assess
        expect(platformList.items.map((n) => n.id)).toEqual([open.id]);
        expect(platformDrafts.items).toEqual([]);
        expect(allDrafts.items.map((n) => n.id)).toEqual([unissued.id]);
        expect(everything.items.map((n) => n.id)).toEqual([open.id, unissued.id]);
        expect(regulatorByPlatform.items.map((n) => n.id)).toEqual([open.id, unissued.id]);
        expect(regulatorPlatformDrafts.items.map((n) => n.id)).toEqual([unissued.id]);
      });

      it('lists soonest due first and keeps only those due strictly before dueBefore', async () => {
        // Prepare
        const store = await make();
        await issued(store, 'x-corp', 'Later', '2026-12-20T00:00:00.000Z');
        const sooner = await issued(store, 'x-corp', 'Sooner', '2026-12-01T00:00:00.000Z');
        await issued(store, 'x-corp', 'Exactly at the bound', '2026-12-10T00:00:00.000Z');

        // Act
        const all = await store.list({ platformId: 'x-corp' }, ALL);
        const dueSoon = await store.list({ platformId: 'x-corp', dueBefore: '2026-12-10T00:00:00.000Z' }, ALL);

        // Assess
        expect(all.items.map((n) => n.title)).toEqual(['Sooner', 'Exactly at the bound', 'Later']);
        expect(dueSoon.items.map((n) => n.id)).toEqual([sooner.id]);
      });

      it('pages through a list with its cursors, ending like DynamoDB with an empty last page', async () => {
        // Prepare
        const store = await make();
        for (const day of [1, 2, 3, 4]) {
          await issued(store, 'x-corp', `Due on day ${day}`, `2026-12-0${day}T00:00:00.000Z`);
        }

        // Act
        const first = await store.list({ platformId: 'x-corp' }, { limit: 2 });
        const second = await store.list({ platformId: 'x-corp' }, { limit: 2, cursor: first.nextCursor });
        const third = await store.list({ platformId: 'x-corp' }, { limit: 2, cursor: second.nextCursor });

        // Assess
        expect([...first.items, ...second.items].map((n) => n.title)).toEqual([
          'Due on day 1',
          'Due on day 2',
          'Due on day 3',
          'Due on day 4',
        ]);
        expect(third).toEqual({ items: [], nextCursor: undefined });
      });

      it("refuses another platform's cursor", async () => {
        // Prepare
        const store = await make();
        await issued(store, 'videoshare', 'One', '2026-12-01T00:00:00.000Z');
        await issued(store, 'videoshare', 'Two', '2026-12-02T00:00:00.000Z');
        const theirs = await store.list({ platformId: 'videoshare' }, { limit: 1 });

        // Act
        const error = await rejectionOf(store.list({ platformId: 'x-corp' }, { limit: 1, cursor: theirs.nextCursor }));

        // Assess
        expect(error).toBeInstanceOf(ValidationFailed);
      });
    });

    describe('with server-side filters', () => {
      const day = (d: number) => `2026-12-${String(d).padStart(2, '0')}T00:00:00.000Z`;

      it('keeps only the type asked for, soonest due first', async () => {
        // Prepare
        const store = await make();
        const warning = await issuedOfType(store, 'formal-warning', 'Warning', day(5));
        await issued(store, 'x-corp', 'Transparency', day(3));
        const request = await issuedOfType(store, 'information-request', 'Request', day(4));
        const laterWarning = await issuedOfType(store, 'formal-warning', 'Later warning', day(9));

        // Act
        const warnings = await store.list({ type: 'formal-warning', includeDrafts: true }, ALL);
        const requestsOfPlatform = await store.list({ type: 'information-request', platformId: 'x-corp' }, ALL);

        // Assess
        expect(warnings.items.map((n) => n.id)).toEqual([warning.id, laterWarning.id]);
        expect(requestsOfPlatform.items.map((n) => n.id)).toEqual([request.id]);
      });

      it('keeps only those due strictly after dueAfter, and strictly inside dueAfter–dueBefore', async () => {
        // Prepare
        const store = await make();
        await draft(store, 'x-corp', 'Draft, never due');
        await issued(store, 'x-corp', 'Day 1', day(1));
        await issued(store, 'x-corp', 'Day 5 (the lower bound)', day(5));
        await issued(store, 'x-corp', 'Day 6', day(6));
        await issued(store, 'x-corp', 'Day 9', day(9));
        await issued(store, 'x-corp', 'Day 10 (the upper bound)', day(10));

        // Act
        const after = await store.list({ dueAfter: day(5), includeDrafts: true }, ALL);
        const between = await store.list({ dueAfter: day(5), dueBefore: day(10), platformId: 'x-corp' }, ALL);
        const emptyRange = await store.list({ dueAfter: day(10), dueBefore: day(5), includeDrafts: true }, ALL);

        // Assess: no draft or undated notice is "due after" anything.
        expect(after.items.map((n) => n.title)).toEqual(['Day 6', 'Day 9', 'Day 10 (the upper bound)']);
        expect(between.items.map((n) => n.title)).toEqual(['Day 6', 'Day 9']);
        expect(emptyRange.items).toEqual([]);
      });

      it('lists latest due first with order desc, paging through its own cursors', async () => {
        // Prepare
        const store = await make();
        for (const d of [3, 1, 4, 2]) await issued(store, 'x-corp', `Day ${d}`, day(d));

        // Act
        const first = await store.list({ platformId: 'x-corp', order: 'desc' }, { limit: 3 });
        const second = await store.list(
          { platformId: 'x-corp', order: 'desc' },
          { limit: 3, cursor: first.nextCursor },
        );
        const ascendingWithDescCursor = await rejectionOf(
          store.list({ platformId: 'x-corp' }, { limit: 3, cursor: first.nextCursor }),
        );

        // Assess
        expect([...first.items, ...second.items].map((n) => n.title)).toEqual(['Day 4', 'Day 3', 'Day 2', 'Day 1']);
        expect(ascendingWithDescCursor).toBeInstanceOf(ValidationFailed);
      });

      it('keeps only notices with an extension request awaiting a decision', async () => {
        // Prepare
        const store = await make();
        const asked = await withExtensionRequest(store, await issued(store, 'x-corp', 'Asked', day(2)));
        await issued(store, 'x-corp', 'Not asked', day(1));
        const decided = await withExtensionRequest(store, await issued(store, 'x-corp', 'Decided', day(3)));
        await next(store, decided, {
          kind: 'extension-refused',
          at: '2026-11-04T00:00:00.000Z',
          actor: officerActor,
          reason: 'No good reason.',
          data: { extensionId: 'ext_1' },
        });

        // Act
        const pending = await store.list({ extension: 'requested', includeDrafts: true }, ALL);
        const pendingIssued = await store.list({ extension: 'requested', status: 'issued' }, ALL);

        // Assess
        expect(pending.items.map((n) => n.id)).toEqual([asked.id]);
        expect(pendingIssued.items.map((n) => n.id)).toEqual([asked.id]);
        expect(pending.items[0]).toEqual(await store.load(asked.id));
      });

      it('fills each page up to its limit past many filtered-out notices, never skipping or repeating one', async () => {
        // Prepare: 7 warnings among 120 other notices, all interleaved by due time.
        const store = await make();
        const warnings: string[] = [];
        for (let i = 0; i < 127; i++) {
          const dueAt = new Date(Date.parse('2026-12-01T00:00:00.000Z') + i * 3_600_000).toISOString();
          if (i % 18 === 5) warnings.push((await issuedOfType(store, 'formal-warning', `Warning ${i}`, dueAt)).id);
          else await issued(store, 'x-corp', `Other ${i}`, dueAt);
        }

        // Act
        const first = await store.list({ type: 'formal-warning', platformId: 'x-corp' }, { limit: 3 });
        const everything = await allPages(store, { type: 'formal-warning', platformId: 'x-corp' }, 3);
        const backwards = await allPages(store, { type: 'formal-warning', includeDrafts: true, order: 'desc' }, 2);

        // Assess
        expect(warnings).toHaveLength(7);
        expect(first.items.map((n) => n.id)).toEqual(warnings.slice(0, 3));
        expect(everything.items.map((n) => n.id)).toEqual(warnings);
        expect(backwards.items.map((n) => n.id)).toEqual([...warnings].reverse());
      });

      it('counts what a list would hold, by status, by due range, open only, and with extension requests', async () => {
        // Prepare
        const store = await make();
        await draft(store, 'x-corp', 'Draft');
        await issued(store, 'x-corp', 'Overdue', day(1));
        await withExtensionRequest(store, await issued(store, 'videoshare', 'Due soon, asked', day(5)));
        const later = await issued(store, 'x-corp', 'Later', day(20));
        await next(store, later, { kind: 'withdrawn', at: '2026-11-05T00:00:00.000Z', actor: officerActor, data: {} });

        // Act
        const counts = {
          drafts: await store.count({ status: 'draft', includeDrafts: true }),
          issued: await store.count({ status: 'issued', includeDrafts: true }),
          withdrawn: await store.count({ status: 'withdrawn', includeDrafts: true }),
          overdue: await store.count({ open: true, dueBefore: day(3), includeDrafts: true }),
          dueSoon: await store.count({ open: true, dueAfter: day(3), dueBefore: day(10), includeDrafts: true }),
          extensions: await store.count({ open: true, extension: 'requested', includeDrafts: true }),
          everything: await store.count({ includeDrafts: true }),
        };

        // Assess
        expect(counts).toEqual({
          drafts: 1,
          issued: 2,
          withdrawn: 1,
          overdue: 1,
          dueSoon: 1,
          extensions: 1,
          everything: 4,
        });
      });
    });

    describe('as a reminder store', () => {
      const AT_DUE: ReminderPolicy = { beforeDue: [], atDue: true, escalateAfter: null };
      const LEASE_MS = 60_000;
      const T0 = new Date('2026-12-20T00:00:00.000Z');
      const later = (ms: number) => new Date(T0.getTime() + ms);

      it('reads the notices with a reminder due up to and including now, soonest first', async () => {
        // Prepare: each notice is reminded at its due time.
        const store = await make();
        const exactlyNow = await issued(store, 'x-corp', 'Due now', T0.toISOString(), AT_DUE);
        const earlier = await issued(store, 'videoshare', 'Due earlier', '2026-12-10T00:00:00.000Z', AT_DUE);
        await issued(store, 'x-corp', 'Due later', '2026-12-30T00:00:00.000Z', AT_DUE);
        await issued(store, 'x-corp', 'Never reminded', '2026-12-01T00:00:00.000Z');

        // Act
        const due = await store.dueForReminders(T0, 10);
        const first = await store.dueForReminders(T0, 1);

        // Assess
        expect(due).toEqual([earlier.id, exactlyNow.id]);
        expect(first).toEqual([earlier.id]);
      });

      it('answers claimed, then busy within the lease, reclaimed once it has run out, and done once completed', async () => {
        // Prepare
        const store = await make();
        const notice = await issued(store, 'x-corp', 'Due now', T0.toISOString(), AT_DUE);
        const claim = (runId: string, at: Date) => store.claimReminder(notice.id, 'rmd_1', runId, at, LEASE_MS);

        // Act
        const outcomes = [
          await claim('run-a', T0),
          await claim('run-b', later(LEASE_MS - 1)),
          await claim('run-b', later(LEASE_MS)),
        ];
        // A run that lost its lease completes nothing: run-b's claim still stands.
        await store.completeReminder(notice.id, 'rmd_1', 'run-a', 'tx-stale');
        outcomes.push(await claim('run-c', later(LEASE_MS + 1)));
        await store.completeReminder(notice.id, 'rmd_1', 'run-b', 'tx-1');
        outcomes.push(await claim('run-c', later(10 * LEASE_MS)));

        // Assess
        expect(outcomes).toEqual(['claimed', 'busy', 'reclaimed', 'busy', 'done']);
      });

      it('lets exactly one of five simultaneous runs claim a reminder', async () => {
        // Prepare
        const store = await make();
        const notice = await issued(store, 'x-corp', 'Due now', T0.toISOString(), AT_DUE);

        // Act
        const outcomes = await Promise.all(
          ['a', 'b', 'c', 'd', 'e'].map((run) => store.claimReminder(notice.id, 'rmd_1', `run-${run}`, T0, LEASE_MS)),
        );

        // Assess
        expect(outcomes.sort()).toEqual(['busy', 'busy', 'busy', 'busy', 'claimed']);
      });

      it('lets exactly one of two runs that saw the same expired lease take it over', async () => {
        // Prepare
        const store = await make();
        const notice = await issued(store, 'x-corp', 'Due now', T0.toISOString(), AT_DUE);
        await store.claimReminder(notice.id, 'rmd_1', 'run-dead', T0, LEASE_MS);

        // Act
        const outcomes = await Promise.all(
          ['run-b', 'run-c'].map((run) => store.claimReminder(notice.id, 'rmd_1', run, later(2 * LEASE_MS), LEASE_MS)),
        );

        // Assess
        expect(outcomes.sort()).toEqual(['busy', 'reclaimed']);
      });
    });
  });
}
