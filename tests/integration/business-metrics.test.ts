import { METRIC_NAMESPACE, METRIC_SERVICE, METRICS } from '../../lambdas/observability/metric-names';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';
import { type Call, finalizePath, openAndUpload, registeredSigner, signedFinalize } from './support/response-filing';

/**
 * The business metrics as the deployed functions write them: CloudWatch embedded metric format (EMF) lines on
 * stdout, read here from the same handlers the local portal runs, over its real local DynamoDB and S3. (The local
 * portal discards metrics unless asked, `emitMetrics`.) Each metric must be in the NoticePortal namespace with
 * exactly one dimension, service=notice-portal, as the alarms expect.
 */
interface EmfLine {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

let h: Harness;
let call: Call;
const emf: EmfLine[] = [];
let stdout: jest.SpyInstance;

beforeAll(async () => {
  const original = process.stdout.write.bind(process.stdout);
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    const lines = text.split('\n').filter((line) => line.startsWith('{"_aws"'));
    if (lines.length === 0) return (original as any)(chunk, ...rest);
    for (const line of lines) emf.push(JSON.parse(line));
    return true;
  }) as typeof process.stdout.write);
  h = await startHarness({ emitMetrics: true });
  call = (user, method, path, body) => (method === 'GET' ? h.as(user).get(path) : h.as(user).post(path, body));
}, 60_000);
afterAll(async () => {
  await h?.stop();
  stdout?.mockRestore();
});

/** Every value written for `name` since `from` (an index into the captured lines), with its unit. */
function emitted(name: string, from = 0): { value: number; unit: string }[] {
  return emf.slice(from).flatMap((line) => {
    const [directive] = line._aws.CloudWatchMetrics;
    const metric = directive?.Metrics.find((m) => m.Name === name);
    if (!metric) return [];
    const raw = line[name];
    return (Array.isArray(raw) ? raw : [raw]).map((value) => ({ value: value as number, unit: metric.Unit }));
  });
}

async function issuedDraft(): Promise<string> {
  const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));
  expect(draft.status).toBe(201);
  return draft.body.id;
}

it('writes every metric in the NoticePortal namespace with the single dimension service=notice-portal', async () => {
  // Prepare
  const from = emf.length;
  const id = await issuedDraft();

  // Act
  await h.as('officer').post(`/notices/${id}/issue`);

  // Assess
  const lines = emf.slice(from);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    for (const directive of line._aws.CloudWatchMetrics) {
      expect(directive.Namespace).toBe(METRIC_NAMESPACE);
      expect(directive.Dimensions).toEqual([['service']]);
    }
    expect(line.service).toBe(METRIC_SERVICE);
  }
});

it('counts a notice issued once, not again when the issue is replayed with the same Idempotency-Key', async () => {
  // Prepare
  const id = await issuedDraft();
  const from = emf.length;
  const key = { 'idempotency-key': `issue-${id}` };

  // Act
  const first = await h.as('officer').post(`/notices/${id}/issue`, undefined, key);
  const replay = await h.as('officer').post(`/notices/${id}/issue`, undefined, key);
  const again = await h.as('officer').post(`/notices/${id}/issue`);

  // Assess: the replay answers as the first did; the unkeyed retry is refused (already issued); one count.
  expect(first.status).toBe(200);
  expect(replay.status).toBe(200);
  expect(again.status).toBe(409);
  expect(emitted(METRICS.noticesIssued, from)).toEqual([{ value: 1, unit: 'Count' }]);
});

it('counts a response filed once, not again when the finalize is sent a second time', async () => {
  // Prepare
  const signer = await registeredSigner(call);
  const opened = await openAndUpload(call, [
    { name: 'response.pdf', bytes: Buffer.from('%PDF-1.7\nAnswers\n%%EOF\n') },
  ]);
  const body = await signedFinalize(opened, signer);
  const from = emf.length;

  // Act
  const filed = await h.as('x-corp-legal').post(finalizePath(opened), body);
  const resent = await h.as('x-corp-legal').post(finalizePath(opened), body);

  // Assess
  expect(filed.status).toBe(200);
  expect(resent.status).toBe(200);
  expect(resent.body.receipt.number).toBe(filed.body.receipt.number);
  expect(emitted(METRICS.responsesFiled, from)).toEqual([{ value: 1, unit: 'Count' }]);
});

it('reports every reminder run: reminders sent, the notices overdue now (as the dashboard counts them), no failure', async () => {
  // Prepare: a quiet run first, then past every notice's due time, when reminders and escalations fall due.
  const quietFrom = emf.length;
  const quiet = await h.anonymous().post('/dev/reminders/run');
  const quietMetrics = {
    sent: emitted(METRICS.remindersSent, quietFrom),
    overdue: emitted(METRICS.overdueNotices, quietFrom),
    failures: emitted(METRICS.reminderRunFailures, quietFrom),
  };
  await h.anonymous().post('/dev/clock', { days: 60 });
  const from = emf.length;

  // Act
  const run = await h.anonymous().post('/dev/reminders/run');

  // Assess
  expect(quiet.status).toBe(200);
  expect(quietMetrics).toEqual({
    sent: [{ value: quiet.body.sent.length, unit: 'Count' }],
    overdue: [{ value: 0, unit: 'Count' }],
    failures: [{ value: 0, unit: 'Count' }],
  });
  const delivered = run.body.sent.filter((s: { delivery: string }) => s.delivery === 'sent').length;
  expect(delivered).toBeGreaterThan(0);
  const counts = await h.as('officer').get('/notices/counts');
  expect(counts.body.overdue).toBeGreaterThan(0);
  expect(emitted(METRICS.remindersSent, from)).toEqual([{ value: delivered, unit: 'Count' }]);
  expect(emitted(METRICS.overdueNotices, from)).toEqual([{ value: counts.body.overdue, unit: 'Count' }]);
  expect(emitted(METRICS.reminderRunFailures, from)).toEqual([{ value: 0, unit: 'Count' }]);
});

it('reports the age of the oldest submission waiting for verification on every run, 0 when none is waiting', async () => {
  // Prepare: the portal's own pending-verification function (the one it runs after a 202 and on its interval).
  const verify = require('../../lambdas/handlers/verify-pending-submissions') as {
    handler: (event: { minimumAgeMs: number }) => Promise<{ examined: number }>;
  };
  const from = emf.length;

  // Act
  const report = await verify.handler({ minimumAgeMs: 0 });

  // Assess
  expect(report.examined).toBe(0);
  expect(emitted(METRICS.oldestPendingHashAgeSeconds, from)).toEqual([{ value: 0, unit: 'Seconds' }]);
});
