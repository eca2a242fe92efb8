import { join } from 'node:path';
import { ENV } from '../../../lambdas/config/env';
import { type Harness, type Response, startHarness, transparencyDraft } from '../../integration/support/portal-harness';
import { type Call, registeredSigner, sha256, signedFinalize } from '../../integration/support/response-filing';
import { assertRecordsConsistent, type RecordStore } from '../record-invariants';
import type { FaultAction, FaultProxy, ObservedRequest } from './fault-proxy';
import { type FaultedStorage, LOCAL_CREDENTIALS, startFaultedStorage } from './faulted-storage';

/**
 * Issue 14 point 1: each multi-step operation driven through every fault point. The real local portal (the
 * in-process harness) reaches dynalite and s3rver+guard only through fault proxies. For each operation, a clean
 * run records the store requests it makes; then, for each of those requests and each fault, the operation runs
 * again on fresh state (a new notice, new platforms) with that fault injected at that request, as a client would
 * run it: each step retried with the same request (and Idempotency-Key) while it answers 5xx or the connection
 * fails. Then the portal's background jobs run (projection repair, pending verification, a reminder rerun after
 * the claim's lease), and the case asserts:
 *
 * - every step ended 2xx (a retry of the same request recovers), and no 5xx reached the client for a fault the
 *   SDK's own retries should absorb (one failed attempt);
 * - the record is consistent (tests/support/record-invariants.ts: no half-accepted state, nothing recorded that
 *   did not happen, nothing committed that repair cannot find);
 * - the end state is the clean run's: the same events, statuses, receipts, hashes, mails (so nothing acknowledged
 *   was lost and nothing happened twice).
 *
 * A fault point is named by the request's operation and item kind and its occurrence among those (e.g. the 2nd
 * `PutItem EVENT#`), not by its global index, so background work that interleaves differently does not move it.
 */
export type FaultKind = 'drop-before' | 'drop-after' | 'reset-mid-response' | 'internal' | 'throttle' | 'delay';

export interface FaultPoint {
  service: 'dynamodb' | 's3';
  signature: string;
  nth: number;
}

export interface FaultCase {
  point: FaultPoint;
  kind: FaultKind;
  /** `once`: one failed attempt (the SDK retries it); `persistent`: every attempt of the SDK's 3 fails. */
  persistence: 'once' | 'persistent';
}

export interface CaseResult {
  name: string;
  fired: number;
  /** Every status the client saw, in order (0: the connection failed). */
  statuses: number[];
}

export interface MatrixPortal {
  h: Harness;
  storage: FaultedStorage;
  store: RecordStore;
  call: Call;
  signer: Awaited<ReturnType<typeof registeredSigner>>;
  stop(): Promise<void>;
}

/** The portal's SDK timeouts are unscaled here (one request at a time): a delay fault crosses them. */
const TIMEOUT_SCALE = '1';
const DELAY_MS = { dynamodb: 2300, s3: 4300 } as const;

export async function startMatrixPortal(): Promise<MatrixPortal> {
  const storage = await startFaultedStorage();
  const env = process.env;
  env.AWS_ENDPOINT_URL_DYNAMODB = storage.dynamodb.endpoint;
  env.AWS_ENDPOINT_URL_S3 = storage.s3.endpoint;
  env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
  env[ENV.sdkTimeoutScale] = TIMEOUT_SCALE;
  // No scheduled jobs: each case runs them itself, after its steps, so they never interleave with a fault.
  const h = await startHarness({ repairIntervalMs: 24 * 3600_000 });
  const call: Call = async (user, method, path, body) =>
    method === 'GET' ? h.as(user).get(path) : h.as(user).post(path, body);
  const signer = await registeredSigner(call);
  const store: RecordStore = {
    tableName: h.portal.tableName,
    dynamodbEndpoint: storage.direct.dynamodb,
    s3Endpoint: storage.direct.s3,
    bucket: h.portal.bucketName,
    outboxDir: join(h.dataDir, 'outbox'),
  };
  return {
    h,
    storage,
    store,
    call,
    signer,
    stop: async () => {
      await h.stop();
      await storage.stop();
      delete env.AWS_ENDPOINT_URL_DYNAMODB;
      delete env.AWS_ENDPOINT_URL_S3;
    },
  };
}

/** What a step of an operation sends; `direct` marks a client's own request to storage (a presigned PUT). */
export type Send = () => Promise<Response>;

export interface StepRunner {
  step(name: string, send: Send, options?: { direct?: boolean }): Promise<Response>;
}

export interface Operation<C> {
  name: string;
  /** Fresh state for one case, made without faults. */
  prepare(p: MatrixPortal): Promise<C>;
  /** The operation, as a client runs it. */
  run(p: MatrixPortal, c: C, steps: StepRunner): Promise<void>;
  /** The background jobs that finish what a fault interrupted. */
  settle(p: MatrixPortal, c: C): Promise<void>;
  /** The end state, without ids and instants, to compare with the clean run's. */
  endState(p: MatrixPortal, c: C): Promise<unknown>;
  noticeIds(c: C): string[];
  /** Leaves nothing behind that would change the next case's requests (e.g. a notice with reminders due). */
  cleanUp?(p: MatrixPortal, c: C): Promise<void>;
  /**
   * The clean run's fault points that the matrix faults, where some are equivalent to others (e.g. the middle parts
   * of a multipart upload). @default every point
   */
  pointsToFault?(points: FaultPoint[]): FaultPoint[];
}

/** `PutItem EVENT#`, `Query by-status`, `GetItem USER#`, S3 `UploadPart`. */
export function signatureOf(request: ObservedRequest): string {
  if (request.service === 's3') return request.operation;
  const detail = request.detail ?? {};
  const kind =
    typeof detail.sk === 'string'
      ? detail.sk.replace(/#.*$/, '#')
      : typeof detail.IndexName === 'string'
        ? String(detail.IndexName)
        : 'table';
  return `${request.operation} ${kind}`;
}

/** Every request of a run as a fault point: its signature and its occurrence among requests with that signature. */
export function faultPoints(requests: { dynamodb: ObservedRequest[]; s3: ObservedRequest[] }): FaultPoint[] {
  const points: FaultPoint[] = [];
  for (const service of ['dynamodb', 's3'] as const) {
    const seen = new Map<string, number>();
    for (const request of requests[service]) {
      const signature = signatureOf(request);
      const nth = (seen.get(signature) ?? 0) + 1;
      seen.set(signature, nth);
      points.push({ service, signature, nth });
    }
  }
  return points;
}

export const ALL_KINDS: readonly FaultKind[] = [
  'drop-before',
  'drop-after',
  'reset-mid-response',
  'internal',
  'throttle',
  'delay',
];

/** Every fault at every point: each kind once and (except a delay, which only slows) persistently. */
export function allCases(points: readonly FaultPoint[], kinds: readonly FaultKind[] = ALL_KINDS): FaultCase[] {
  return points.flatMap((point) =>
    kinds.flatMap((kind) =>
      (kind === 'delay' ? (['once'] as const) : (['once', 'persistent'] as const)).map((persistence) => ({
        point,
        kind,
        persistence,
      })),
    ),
  );
}

function actionFor(kind: FaultKind, service: 'dynamodb' | 's3'): FaultAction {
  switch (kind) {
    case 'internal':
      return { kind: 'error', status: 500, flavour: 'internal' };
    case 'throttle':
      return service === 'dynamodb'
        ? { kind: 'error', status: 400, flavour: 'throttle' }
        : { kind: 'error', status: 503, flavour: 'throttle' };
    case 'delay':
      return { kind: 'delay', ms: DELAY_MS[service] };
    default:
      return { kind };
  }
}

/** A fault point as logs and filters name it: `s3 CompleteMultipartUpload #1`. */
export const pointName = (point: FaultPoint) => `${point.service} ${point.signature} #${point.nth}`;

export const caseName = (c: FaultCase) => `${pointName(c.point)}: ${c.kind} (${c.persistence})`;

const proxyOf = (p: MatrixPortal, service: 'dynamodb' | 's3'): FaultProxy =>
  service === 'dynamodb' ? p.storage.dynamodb : p.storage.s3;

/** Retries of one step by the client: as many as the SDK's attempts, and one more. */
const CLIENT_ATTEMPTS = 4;

async function runSteps<C>(p: MatrixPortal, op: Operation<C>, c: C, statuses: number[]): Promise<void> {
  const runner: StepRunner = {
    async step(name, send, options = {}) {
      let last: Response = { status: 0, headers: new Headers(), body: undefined };
      for (let attempt = 1; attempt <= CLIENT_ATTEMPTS; attempt++) {
        try {
          last = await send();
        } catch (error) {
          last = { status: 0, headers: new Headers(), body: String(error) };
        }
        statuses.push(options.direct ? -last.status : last.status);
        if (last.status > 0 && last.status < 500) break;
      }
      if (last.status < 200 || last.status >= 300) {
        throw new Error(`step "${name}" ended ${last.status}: ${JSON.stringify(last.body).slice(0, 400)}`);
      }
      return last;
    },
  };
  await op.run(p, c, runner);
}

/**
 * Runs `op` without faults and returns its requests and end state: twice, recording the second, since a first run
 * does one-off work (the regulator key's first use logs it) that no later case repeats.
 */
export async function cleanRun<C>(
  p: MatrixPortal,
  op: Operation<C>,
): Promise<{ points: FaultPoint[]; allPoints: FaultPoint[]; endState: unknown; requests: number }> {
  const warmUp = await op.prepare(p);
  await runSteps(p, op, warmUp, []);
  await op.settle(p, warmUp);
  await op.cleanUp?.(p, warmUp);
  const c = await op.prepare(p);
  p.storage.dynamodb.clear();
  p.storage.s3.clear();
  const statuses: number[] = [];
  await runSteps(p, op, c, statuses);
  const requests = { dynamodb: [...p.storage.dynamodb.requests], s3: [...p.storage.s3.requests] };
  await op.settle(p, c);
  const endState = await op.endState(p, c);
  await assertRecordsConsistent(p.store, { noticeIds: op.noticeIds(c) });
  await op.cleanUp?.(p, c);
  const allPoints = faultPoints(requests);
  return {
    points: op.pointsToFault?.(allPoints) ?? allPoints,
    allPoints,
    endState,
    requests: requests.dynamodb.length + requests.s3.length,
  };
}

/** One case: fresh state, the fault, the client's steps and retries, the jobs, then every assertion. */
export async function runCase<C>(
  p: MatrixPortal,
  op: Operation<C>,
  faultCase: FaultCase,
  expectedEndState: unknown,
): Promise<CaseResult> {
  const c = await op.prepare(p);
  const { point, kind, persistence } = faultCase;
  const proxy = proxyOf(p, point.service);
  p.storage.dynamodb.clear();
  p.storage.s3.clear();
  const rule = proxy.inject({
    match: (request) => signatureOf(request) === point.signature,
    nth: point.nth,
    times: persistence === 'once' ? 1 : 3,
    action: actionFor(kind, point.service),
  });
  const statuses: number[] = [];
  const name = caseName(faultCase);
  try {
    await runSteps(p, op, c, statuses);
    p.storage.dynamodb.clear();
    p.storage.s3.clear();
    await op.settle(p, c);
    const transient = persistence === 'once' && statuses.some((s) => s >= 500);
    if (transient) throw new Error(`a 5xx reached the client for one failed attempt: ${statuses.join(' ')}`);
    await assertRecordsConsistent(p.store, { noticeIds: op.noticeIds(c) });
    const endState = await op.endState(p, c);
    if (JSON.stringify(endState) !== JSON.stringify(expectedEndState)) {
      throw new Error(`end state ${JSON.stringify(endState)} ≠ clean run's ${JSON.stringify(expectedEndState)}`);
    }
    return { name, fired: rule.fired(), statuses };
  } catch (error) {
    throw new Error(`${op.name} / ${name} (statuses ${statuses.join(' ')}): ${(error as Error).message}`);
  } finally {
    p.storage.dynamodb.clear();
    p.storage.s3.clear();
    await op.cleanUp?.(p, c).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The operations.

export const key = (name: string) => `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;

async function movedClock(p: MatrixPortal, minutes: number): Promise<void> {
  const moved = await p.h.anonymous().post('/dev/clock', { minutes });
  if (moved.status !== 200) throw new Error(`clock not moved: ${moved.status}`);
}

/** The portal's own scheduled jobs, as EventBridge runs them: repair after its minute, then pending verification. */
export async function repairJobs(p: MatrixPortal): Promise<void> {
  await movedClock(p, 2);
  const repair = require('../../../lambdas/handlers/repair-projections') as { handler: () => Promise<unknown> };
  const verify = require('../../../lambdas/handlers/verify-pending-submissions') as {
    handler: (event: { minimumAgeMs: number }) => Promise<unknown>;
  };
  await repair.handler();
  await verify.handler({ minimumAgeMs: 0 });
}

async function historyKinds(p: MatrixPortal, id: string): Promise<string[]> {
  const res = await p.h.as('officer').get(`/notices/${id}/history?limit=100`);
  return (res.body.items as { kind: string }[]).map((e) => e.kind);
}

export async function noticeState(p: MatrixPortal, id: string) {
  const notice = (await p.h.as('officer').get(`/notices/${id}`)).body;
  return { status: notice.status, version: notice.version, events: await historyKinds(p, id) };
}

async function draftNotice(p: MatrixPortal): Promise<string> {
  const created = await p.h.as('officer').post('/notices', transparencyDraft('x-corp'));
  if (created.status !== 201) throw new Error(`draft not created: ${created.status}`);
  return created.body.id;
}

export async function issuedNotice(p: MatrixPortal): Promise<string> {
  const id = await draftNotice(p);
  const issued = await p.h.as('officer').post(`/notices/${id}/issue`);
  if (issued.status !== 200) throw new Error(`not issued: ${issued.status}`);
  return id;
}

/** A transition (the event's commit, then its projection): issuing a draft, with an Idempotency-Key. */
export const issueTransition: Operation<{ id: string; key: string }> = {
  name: 'issue (transition)',
  prepare: async (p) => ({ id: await draftNotice(p), key: key('issue') }),
  run: async (p, c, steps) => {
    await steps.step('issue', () =>
      p.h.as('officer').post(`/notices/${c.id}/issue`, undefined, { 'idempotency-key': c.key }),
    );
  },
  settle: repairJobs,
  endState: (p, c) => noticeState(p, c.id),
  noticeIds: (c) => [c.id],
};

/** A transition by the platform: acknowledging an issued notice, with an Idempotency-Key. */
export const acknowledgeTransition: Operation<{ id: string; key: string }> = {
  name: 'acknowledge (transition)',
  prepare: async (p) => ({ id: await issuedNotice(p), key: key('ack') }),
  run: async (p, c, steps) => {
    await steps.step('acknowledge', () =>
      p.h.as('x-corp-legal').post(`/notices/${c.id}/acknowledge`, undefined, { 'idempotency-key': c.key }),
    );
  },
  settle: repairJobs,
  endState: (p, c) => noticeState(p, c.id),
  noticeIds: (c) => [c.id],
};

/** A filing case: the notice, the open's Idempotency-Key, the one file's bytes, and the submission once opened. */
export interface FilingCase {
  id: string;
  key: string;
  bytes: Buffer;
  submissionId?: string;
}

/** The one file's name in both filing operations. */
export const FILE_NAME = 'response.pdf';

/**
 * The open step of both filing operations: a submission of one PDF of the case's bytes, opened with the case's
 * Idempotency-Key (so a retry is the same open); its id is kept on the case for the end state and the cleanup.
 */
export async function openOneFile(p: MatrixPortal, c: FilingCase, steps: StepRunner): Promise<Response> {
  const file = { name: FILE_NAME, size: c.bytes.length, sha256: sha256(c.bytes), contentType: 'application/pdf' };
  const opened = await steps.step('open', () =>
    p.h.as('x-corp-legal').post(`/notices/${c.id}/submissions`, { files: [file] }, { 'idempotency-key': c.key }),
  );
  c.submissionId = opened.body.submission.submissionId;
  return opened;
}

/**
 * The finalize step of both filing operations: the manifest of the one file, signed at the portal's clock (so a
 * retry sends the same manifest and signature).
 */
export async function finalizeOneFile(p: MatrixPortal, c: FilingCase, steps: StepRunner): Promise<Response> {
  const portalNow = new Date((await p.h.anonymous().get('/dev/clock')).body.now);
  const finalize = await signedFinalize(
    { noticeId: c.id, submissionId: c.submissionId!, files: [{ name: FILE_NAME, bytes: c.bytes }] },
    p.signer,
    portalNow,
  );
  return steps.step('finalize', () =>
    p.h.as('x-corp-legal').post(`/notices/${c.id}/submissions/${c.submissionId}/finalize`, finalize),
  );
}

/**
 * Filing a response: open a submission (Idempotency-Key), upload its file with the presigned PUT, finalize with
 * the signed manifest (a retry sends the same manifest and signature), hashing in the finalize or in pending
 * verification.
 */
export const fileResponse: Operation<FilingCase> = {
  name: 'file a response (open, upload, hash, finalize)',
  prepare: async (p) => ({
    id: await issuedNotice(p),
    key: key('open'),
    bytes: Buffer.from(`response ${key('bytes')}`),
  }),
  run: async (p, c, steps) => {
    const opened = await openOneFile(p, c, steps);
    const [upload] = opened.body.uploads;
    await steps.step(
      'upload',
      async () => {
        const put = await fetch(upload.url, {
          method: 'PUT',
          body: new Uint8Array(c.bytes),
          headers: { 'content-type': 'application/pdf', ...upload.headers },
        });
        return { status: put.status, headers: put.headers, body: await put.text() };
      },
      { direct: true },
    );
    await finalizeOneFile(p, c, steps);
  },
  settle: repairJobs,
  endState: async (p, c) => {
    const submissions = (await p.h.as('x-corp-legal').get(`/notices/${c.id}/submissions`)).body.items as {
      status: string;
      receipt?: unknown;
      files: { sha256?: string }[];
    }[];
    return {
      ...(await noticeState(p, c.id)),
      submissions: submissions.map((s) => ({
        status: s.status,
        receipt: Boolean(s.receipt),
        hashed: s.files.map((f) => f.sha256 === sha256(c.bytes)),
      })),
    };
  },
  noticeIds: (c) => [c.id],
};

/**
 * A reminder run (claim, send, record): a removal notice whose first reminder has fallen due, the run, and as the
 * scheduled rerun, another run once a claim left by a failed one has lapsed. The notice is withdrawn afterwards, so
 * the next case's run finds only its own reminder due.
 */
export const reminderRun: Operation<{ id: string }> = {
  name: 'reminder run (claim, send, record)',
  prepare: async (p) => {
    const officer = p.h.as('officer');
    const created = await officer.post('/notices', {
      type: 'removal-notice',
      platformId: 'x-corp',
      title: 'Remove the material (fault matrix)',
      mannerAndForm: 'Confirm removal through the portal.',
      contacts: ['legal@x-corp.example'],
      requirements: { requiredAction: 'Remove the material at the listed URLs.' },
      responsePeriod: { amount: 24, unit: 'hours' },
    });
    const issued = await officer.post(`/notices/${created.body.id}/issue`);
    if (issued.status !== 200) throw new Error(`not issued: ${issued.status}`);
    const now = Date.parse((await p.h.anonymous().get('/dev/clock')).body.now);
    await movedClock(p, Math.ceil((Date.parse(issued.body.nextReminderAt) + 60_000 - now) / 60_000));
    return { id: created.body.id };
  },
  run: async (p, _c, steps) => {
    await steps.step('run reminders', () => p.h.anonymous().post('/dev/reminders/run'));
  },
  settle: async (p) => {
    await repairJobs(p);
    // A claim taken by a run that failed protects the reminder for its 5-minute lease; the next run takes over.
    await movedClock(p, 6);
    const rerun = await p.h.anonymous().post('/dev/reminders/run');
    if (rerun.status !== 200) throw new Error(`reminder rerun ${rerun.status}`);
    await repairJobs(p);
  },
  endState: async (p, c) => {
    const outbox = (await p.h.anonymous().get('/dev/outbox')).body.items as { noticeId: string }[];
    return { ...(await noticeState(p, c.id)), mails: outbox.filter((m) => m.noticeId === c.id).length };
  },
  noticeIds: (c) => [c.id],
  cleanUp: async (p, c) => {
    await p.h.as('officer').post(`/notices/${c.id}/withdraw`, { reason: 'Fault matrix case finished.' });
    await repairJobs(p);
  },
};

/** A platform merge (the successor records what it absorbed, then the merged platform where it went). */
export const platformMerge: Operation<{ from: string; into: string }> = {
  name: 'platform merge',
  prepare: async (p) => {
    const ids = {
      from: key('old')
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, ''),
      into: key('new')
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, ''),
    };
    for (const platformId of [ids.from, ids.into]) {
      const created = await p.h.as('admin').post('/platforms', {
        platformId,
        legalName: `${platformId} Pty Ltd`,
        jurisdiction: { country: 'AU' },
        contacts: [`legal@${platformId}.example`],
      });
      if (created.status !== 201) throw new Error(`platform not created: ${JSON.stringify(created.body)}`);
    }
    return ids;
  },
  run: async (p, c, steps) => {
    await steps.step('merge', () =>
      p.h.as('admin').post(`/platforms/${c.from}/merge`, { into: c.into, reason: 'Acquired.' }),
    );
  },
  settle: async () => {},
  endState: async (p, c) => {
    const from = (await p.h.as('admin').get(`/platforms/${c.from}`)).body;
    const into = (await p.h.as('admin').get(`/platforms/${c.into}`)).body;
    return {
      from: {
        status: from.status,
        mergedInto: from.mergedInto === c.into,
        kinds: from.provenance.map((e: { kind: string }) => e.kind),
      },
      into: { predecessors: into.predecessors.length, kinds: into.provenance.map((e: { kind: string }) => e.kind) },
    };
  },
  noticeIds: () => [],
};

export const OPERATIONS = [issueTransition, acknowledgeTransition, fileResponse, reminderRun, platformMerge] as const;
