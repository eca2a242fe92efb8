import type { Period } from './notice-catalogue';
import { addCalendarDays, describeInstant, instantOfWallTime, wallTimeAt } from './zoned-time';

/**
 * When a notice falls due, and why. The explanation is part of the record (FOI-portal users ask for exactly this,
 * and X Corp v eSafety turned on how periods were counted), so every rule applied is written out as a step.
 *
 * Rules implemented here:
 * - `hours`: the period ends exactly N hours after the notice was given (removal notices).
 * - `calendar-days`: the day the notice is given is not counted; the period ends at the end of the Nth following
 *   calendar day (23:59:59.999) in the notice's time zone.
 * - an explicit due time chosen by the issuing officer overrides the default clock.
 * Business days, public holidays and roll-over to the next business day belong to the deadline engine.
 */
export interface DueTime {
  dueAt: Date;
  explanation: string[];
}

export type DueRule = { kind: 'period'; period: Period } | { kind: 'explicit'; dueAt: Date };

export function computeDueTime(givenAt: Date, timeZone: string, rule: DueRule): DueTime {
  const steps = [`Notice given ${describeInstant(givenAt, timeZone)} (${timeZone}).`];
  if (rule.kind === 'explicit') {
    steps.push(`Due time set by the issuing officer: ${describeInstant(rule.dueAt, timeZone)}.`);
    return { dueAt: rule.dueAt, explanation: steps };
  }
  const { amount, unit } = rule.period;
  if (unit === 'hours') {
    const dueAt = new Date(givenAt.getTime() + amount * 3_600_000);
    steps.push(`Period of ${amount} hour(s) counted from the moment of giving.`);
    steps.push(`Due ${describeInstant(dueAt, timeZone)}.`);
    return { dueAt, explanation: steps };
  }
  const lastDay = addCalendarDays(wallTimeAt(givenAt, timeZone), amount);
  const dueAt = instantOfWallTime({ ...lastDay, hour: 23, minute: 59, second: 59 }, timeZone, 999);
  steps.push(`Period of ${amount} calendar day(s); the day of giving is not counted.`);
  steps.push(`The period ends at the end of day ${amount}: ${describeInstant(dueAt, timeZone)}.`);
  return { dueAt, explanation: steps };
}
