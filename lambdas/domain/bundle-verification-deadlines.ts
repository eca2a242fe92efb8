import type { DeadlineRuleFileSchema, HolidaysFileSchema } from './bundle-verification-formats';
import type { CheckLog } from './bundle-verification-report';
import { canonicalJson } from './canonical-json';
import {
  computeDeadline,
  type Deadline,
  DeadlineRuleSchema,
  explicitDeadline,
  holidaysFromList,
} from './deadline-engine';
import { reduceEvent } from './event-reducers';
import type { Notice } from './notice';
import type { NoticeEvent, NoticeEventOf } from './notice-event';
import type * as z from './zod';

/**
 * The two clock checks of an evidence bundle. `due-time`: the due time is recomputed from deadline/rule.json and
 * deadline/holidays.json with the portal's own deadline engine and must be the one the `issued` event states
 * (time and explanation). `on-time`: the events are replayed with the portal's own reducers to find the due time
 * in force at each filing (after extensions granted and further-information requests), and each filing's
 * on-time verdict must be exactly "filed-at ≤ that due time" — in the `submitted` event and in its receipt.
 */
export function checkDueTime(input: {
  rule: z.infer<typeof DeadlineRuleFileSchema>;
  holidays: z.infer<typeof HolidaysFileSchema>;
  content: NoticeEventOf<'created' | 'draft-revised'>['data'];
  issued: NoticeEventOf<'issued'>;
  checks: CheckLog;
}): void {
  const { rule, holidays, content, issued, checks } = input;
  const mismatch = (field: string, inRule: unknown, inNotice: unknown) =>
    checks.fail(
      'due-time',
      `deadline/rule.json says ${field} ${JSON.stringify(inRule) ?? 'is absent'}, but the notice as issued says ${JSON.stringify(inNotice) ?? 'nothing'}`,
    );
  if (rule.timeZone !== content.timeZone) mismatch('timeZone', rule.timeZone, content.timeZone);
  if (canonicalJson(rule.jurisdiction) !== canonicalJson(content.jurisdiction)) {
    mismatch('jurisdiction', rule.jurisdiction, content.jurisdiction);
  }
  if (canonicalJson(rule.deadlineRule ?? null) !== canonicalJson(content.deadlineRule ?? null)) {
    mismatch('deadlineRule', rule.deadlineRule, content.deadlineRule);
  }
  if (rule.requestedDueAt !== content.requestedDueAt)
    mismatch('requestedDueAt', rule.requestedDueAt, content.requestedDueAt);
  if (Date.parse(rule.givenAt) !== Date.parse(issued.at)) mismatch('givenAt', rule.givenAt, issued.at);

  let deadline: Deadline | undefined;
  try {
    const calendar = holidaysFromList(holidays.description, holidays.dates);
    const givenAt = new Date(rule.givenAt);
    if (rule.requestedDueAt) deadline = explicitDeadline(givenAt, new Date(rule.requestedDueAt), rule.timeZone);
    else if (rule.deadlineRule !== undefined) {
      const parsed = DeadlineRuleSchema.safeParse(rule.deadlineRule);
      if (!parsed.success) {
        checks.fail('due-time', 'deadline/rule.json has a deadlineRule the deadline engine does not accept');
        return;
      }
      deadline = computeDeadline({ givenAt, timeZone: rule.timeZone, rule: parsed.data, holidays: calendar });
    }
  } catch (error) {
    checks.fail('due-time', `the due time cannot be recomputed from deadline/rule.json: ${(error as Error).message}`);
    return;
  }
  const stated = issued.data.dueAt;
  if (!deadline) {
    if (stated)
      checks.fail('due-time', `the rule gives no due time, but the issued event (${issued.seq}) says ${stated}`);
    else checks.covered('due-time', 'no due time: the notice asks for none, and none was issued');
    return;
  }
  const recomputed = deadline.dueAt.toISOString();
  if (stated === undefined || Date.parse(stated) !== deadline.dueAt.getTime()) {
    checks.fail(
      'due-time',
      `the rule and holidays give the due time ${recomputed}, but the issued event (${issued.seq}) says ${stated ?? 'none'}`,
    );
    return;
  }
  if (canonicalJson(deadline.explanation) !== canonicalJson(issued.data.dueExplanation ?? [])) {
    checks.fail(
      'due-time',
      `the due time ${recomputed} matches, but the issued event's explanation of it differs from the recomputed one`,
    );
    return;
  }
  checks.covered(
    'due-time',
    `due ${recomputed}, recomputed from ${rule.requestedDueAt ? "the officer's explicit due time" : 'the rule'} with holidays "${holidays.description}" (${Object.keys(holidays.dates).length} dates)`,
  );
}

/** The notice as it stood before each event, replayed with the portal's reducers. */
export function replay(events: readonly NoticeEvent[]): { before: (Notice | undefined)[]; error?: string } {
  const before: (Notice | undefined)[] = [];
  let notice: Notice | undefined;
  for (const event of events) {
    before.push(notice);
    try {
      notice = reduceEvent(notice, event);
    } catch (error) {
      return { before, error: `event ${event.seq} cannot be applied: ${(error as Error).message}` };
    }
  }
  return { before };
}

/** Each grant of an extension must say which due time it moved: the one in force when it was granted. */
export function checkDueChanges(
  events: readonly NoticeEvent[],
  before: readonly (Notice | undefined)[],
  checks: CheckLog,
) {
  events.forEach((event, i) => {
    if (event.kind !== 'extension-granted') return;
    const inForce = before[i]?.dueAt;
    if (inForce === undefined || Date.parse(inForce) !== Date.parse(event.data.previousDueAt)) {
      checks.fail(
        'due-time',
        `event ${event.seq} grants extension ${event.data.extensionId} from ${event.data.previousDueAt}, but the due time then in force was ${inForce ?? 'none'}`,
      );
    } else {
      checks.covered(
        'due-time',
        `event ${event.seq}: extension ${event.data.extensionId} moved the due time to ${event.data.grantedDueAt}`,
      );
    }
  });
}

export interface FilingClaims {
  onTime: boolean;
  filedAt: string;
  dueAt?: string;
  dueBasis?: { kind: string; setAt: string; eventSeq: number; extensionId?: string };
}

/** The on-time verdict of one filing, from the due time in force just before its `submitted` event. */
export function checkOnTime(input: {
  event: NoticeEventOf<'submitted'>;
  inForce: Notice | undefined;
  receipt?: FilingClaims;
  checks: CheckLog;
}): void {
  const { event, inForce, receipt, checks } = input;
  const sid = event.data.submissionId;
  const dueAt = inForce?.dueAt;
  const filedAt = event.data.filedAt;
  const onTime = dueAt === undefined || Date.parse(filedAt) <= Date.parse(dueAt);
  const verdict = (v: boolean) => (v ? 'on time' : 'late');
  const against = dueAt
    ? `the due time then in force, ${dueAt} (set by event ${inForce?.dueBasis?.eventSeq ?? '?'})`
    : 'no due time';
  let ok = true;
  if (event.data.onTime !== onTime) {
    ok = false;
    checks.fail(
      'on-time',
      `submission ${sid} was filed at ${filedAt}, ${onTime ? 'not after' : 'after'} ${against}, but event ${event.seq} marks it ${verdict(event.data.onTime)}`,
    );
  }
  if (receipt) {
    if (receipt.onTime !== onTime) {
      ok = false;
      checks.fail(
        'on-time',
        `the receipt of submission ${sid} marks it ${verdict(receipt.onTime)}, but it was filed at ${receipt.filedAt}, ${onTime ? 'not after' : 'after'} ${against}`,
      );
    }
    if (
      (receipt.dueAt === undefined) !== (dueAt === undefined) ||
      (dueAt && Date.parse(receipt.dueAt ?? '') !== Date.parse(dueAt))
    ) {
      ok = false;
      checks.fail(
        'on-time',
        `the receipt of submission ${sid} states the due time ${receipt.dueAt ?? 'none'}; the due time then in force was ${dueAt ?? 'none'}`,
      );
    }
    const basis = inForce?.dueBasis;
    if (dueAt && basis && receipt.dueBasis) {
      const same =
        receipt.dueBasis.kind === basis.kind &&
        receipt.dueBasis.eventSeq === basis.eventSeq &&
        Date.parse(receipt.dueBasis.setAt) === Date.parse(basis.setAt) &&
        (basis.kind !== 'extension' || receipt.dueBasis.extensionId === basis.extensionId);
      if (!same) {
        ok = false;
        checks.fail(
          'on-time',
          `the receipt of submission ${sid} says its due time was set by ${receipt.dueBasis.kind} (event ${receipt.dueBasis.eventSeq}); the events say ${basis.kind} (event ${basis.eventSeq})`,
        );
      }
    }
  }
  if (ok) checks.covered('on-time', `submission ${sid}: filed ${filedAt}, ${verdict(onTime)} against ${against}`);
}
