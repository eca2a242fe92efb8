import type { RunReport } from '../../lambdas/domain/reminder-runner';
import {
  pendingVerificationFinished,
  reminderRunFinished,
  responseFiled,
} from '../../lambdas/observability/business-metrics';
import { METRICS } from '../../lambdas/observability/metric-names';
import { publishMetrics } from '../../lambdas/observability/metrics';

/** The metrics one invocation writes: what publishMetrics (called once per invocation) puts on stdout as EMF. */
function published(): Record<string, unknown>[] {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    publishMetrics();
  } finally {
    spy.mockRestore();
  }
  return lines.map((line) => JSON.parse(line));
}

const report = (overrides: Partial<RunReport> = {}): RunReport => ({
  runId: 'run-1',
  examined: 3,
  sent: [
    { noticeId: 'ntc_1', reminderId: 'r1', kind: 'before-due', recipients: ['a@x.example'], delivery: 'sent' },
    { noticeId: 'ntc_2', reminderId: 'r2', kind: 'before-due', recipients: ['a@x.example'], delivery: 'witnessed' },
    { noticeId: 'ntc_3', reminderId: 'r3', kind: 'before-due', recipients: [], delivery: 'no-recipients' },
  ],
  skipped: [],
  failures: 0,
  ...overrides,
});

describe('business metrics', () => {
  it('writes nothing for an invocation that recorded no metric', () => {
    expect(published()).toEqual([]);
  });

  it('counts reminders delivered (sent now, or by a run that died before recording it), not those nobody got', () => {
    // Act
    reminderRunFinished(report(), 4);

    // Assess
    const [line] = published();
    expect(line).toMatchObject({
      [METRICS.remindersSent]: 2,
      [METRICS.overdueNotices]: 4,
      [METRICS.reminderRunFailures]: 0,
      service: 'notice-portal',
    });
  });

  it('reports a failed run: one with a failed reminder, one that threw, one whose overdue count failed', () => {
    for (const [run, overdue] of [
      [report({ failures: 1 }), 2],
      [undefined, 2],
      [report(), undefined],
    ] as const) {
      // Act
      reminderRunFinished(run, overdue);

      // Assess
      const [line] = published();
      expect(line?.[METRICS.reminderRunFailures]).toBe(1);
      // No overdue gauge when it could not be counted, rather than a wrong 0.
      expect(line?.[METRICS.overdueNotices]).toBe(overdue);
    }
  });

  it('reports the oldest pending submission’s age in seconds, and 0 when nothing is waiting', () => {
    // Act
    const now = new Date('2026-11-24T03:00:00Z');
    pendingVerificationFinished(
      { examined: 2, filed: [], failed: [], oldestPendingSince: '2026-11-24T02:15:00Z' },
      now,
    );
    const waiting = published();
    pendingVerificationFinished({ examined: 0, filed: [], failed: [] }, now);
    const none = published();

    // Assess
    expect(waiting[0]).toMatchObject({ [METRICS.oldestPendingHashAgeSeconds]: 45 * 60 });
    expect(none[0]).toMatchObject({ [METRICS.oldestPendingHashAgeSeconds]: 0 });
    const emf = waiting[0]?._aws as { CloudWatchMetrics: { Metrics: unknown[] }[] } | undefined;
    const [directive] = emf?.CloudWatchMetrics ?? [];
    expect(directive?.Metrics).toEqual([{ Name: METRICS.oldestPendingHashAgeSeconds, Unit: 'Seconds' }]);
  });

  it('flushes once per invocation: two filings in one invocation are one line with both values', () => {
    // Act
    responseFiled();
    responseFiled();

    // Assess
    const lines = published();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.[METRICS.responsesFiled]).toEqual([1, 1]);
  });
});
