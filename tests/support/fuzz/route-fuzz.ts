import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { inProcessBundleBuilds } from '../../../lambdas/runtime/evidence-bundle-dependencies';
import {
  draftNotice,
  infringementNotice,
  issuedNotice,
  noticeWithExtension,
  openAndUpload,
} from '../../integration/support/access/resources';
import { apiClient } from '../../integration/support/access/set-up';
import type { Harness } from '../../integration/support/portal-harness';
import type { FuzzCaller } from './fuzz-callers';
import { caseArbitrary, type FuzzCase, type PathFixtures, type Verdict, verdict } from './route-cases';
import { attributeChanges, changes, type StoreReader, type StoreSnapshot, storeReader } from './store-snapshot';

/**
 * The route fuzzer's runner: for one route, fast-check generates batches of cases (route-cases.ts); each batch's
 * valid cases are sent first (they may succeed and write), then the store is snapshotted, the hostile cases are
 * sent, and the store is compared. Every response must be below 500 with no stack trace; a hostile case must get a
 * 4xx; a 400 must carry the portal's error shape with field-level issues; a hostile batch must change nothing.
 */

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

export interface FuzzKit {
  h: Harness;
  fixtures: PathFixtures;
  store: StoreReader;
  authorization(caller: FuzzCaller): Promise<string | undefined>;
  stats: FuzzStats;
  /** A valid request succeeded since the last settled snapshot: background work it started may still write. */
  unsettled: boolean;
  stop(): Promise<void>;
}

export interface FuzzStats {
  batches: number;
  cases: number;
  hostile: number;
  valid: number;
  byStatus: Record<string, number>;
  byReason: Record<string, number>;
  validAccepted: number;
  /** Wall time per route, in seconds. */
  secondsByRoute: Record<string, number>;
}

/** Real resources for path parameters, made through the API as any caller would. */
export async function startFuzzKit(h: Harness): Promise<FuzzKit> {
  const tag = `fuzz-${Date.now().toString(36)}`;
  const [withExtension, draft, infringement, forSubmission, client] = await Promise.all([
    noticeWithExtension(h, 'x-corp', tag),
    draftNotice(h, 'x-corp', tag),
    infringementNotice(h, 'x-corp', tag),
    issuedNotice(h, 'x-corp', `${tag}-submission`),
    apiClient(h, 'x-corp', 'fuzz client'),
  ]);
  const { submissionId } = await openAndUpload(h, 'x-corp', forSubmission, `${tag}.pdf`);
  const fixtures: PathFixtures = {
    noticeId: [withExtension.noticeId, draft, infringement, forSubmission],
    extensionId: [withExtension.extensionId],
    submissionId: [submissionId],
    fileIndex: ['0'],
    platformId: ['x-corp'],
    seq: ['1'],
  };
  const store = storeReader(h.portal);
  const tokens = new Map<FuzzCaller, { token: string; at: number }>();
  // Refreshed well inside the shortest token lifetime (the machine token's 15 minutes), for long runs.
  const TOKEN_REUSE_MS = 5 * 60 * 1000;
  const kit: FuzzKit = {
    h,
    fixtures,
    store,
    unsettled: false,
    stats: {
      batches: 0,
      cases: 0,
      hostile: 0,
      valid: 0,
      byStatus: {},
      byReason: {},
      validAccepted: 0,
      secondsByRoute: {},
    },
    async authorization(caller) {
      if (caller === 'anonymous') return undefined;
      const cached = tokens.get(caller);
      if (cached && Date.now() - cached.at < TOKEN_REUSE_MS) return `Bearer ${cached.token}`;
      let token: string;
      if (caller === 'machine') {
        const granted = await sendRaw(h.portal.url, {
          method: 'POST',
          target: '/oauth2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from(
            new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: client.clientId,
              client_secret: client.clientSecret,
            }).toString(),
          ),
        });
        token = JSON.parse(granted.text).access_token;
      } else {
        token = await h.portal.identity.tokenFor(caller);
      }
      tokens.set(caller, { token, at: Date.now() });
      return `Bearer ${token}`;
    },
    async stop() {
      store.destroy();
    },
  };
  await settled(store);
  return kit;
}

function sendRaw(
  baseUrl: string,
  req: { method: string; target: string; headers: Record<string, string>; body: Buffer },
): Promise<FuzzResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      // The raw target: no URL object, so `..`, `%zz` and the like reach the portal exactly as generated.
      { hostname, port, method: req.method, path: req.target, headers: req.headers, timeout: 30_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer in 30 s to ${req.method} ${req.target}`)));
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

export async function sendCase(kit: FuzzKit, c: FuzzCase): Promise<FuzzResponse> {
  const headers: Record<string, string> = { 'content-length': String(c.body.length) };
  const authorization = await kit.authorization(c.caller);
  if (authorization) headers.authorization = authorization;
  if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  if (c.idempotencyKey !== undefined) headers['idempotency-key'] = c.idempotencyKey;
  const started = Date.now();
  const response = await sendRaw(kit.h.portal.url, { method: c.method, target: c.target, headers, body: c.body });
  // FUZZ_DEBUG=1: every case and its answer, to follow a replay.
  if (process.env.FUZZ_DEBUG) {
    process.stderr.write(
      `${response.status} ${Date.now() - started} ms ${describeCase(c, verdict(c)).slice(0, 500)}\n`,
    );
  }
  return response;
}

/** Node and V8 stack frames, and source paths: none may reach a client. */
const STACK_TRACE = /\n\s+at [\w.<>]+ \(|at .*\.[cm]?[jt]s:\d+:\d+|node_modules\/|\/work\/|Error: .*\n/;

/** What is wrong with a response to a case, or nothing. */
export function problemsWith(c: FuzzCase, v: Verdict, r: FuzzResponse): string[] {
  const problems: string[] = [];
  if (r.status >= 500) problems.push(`answered ${r.status}`);
  if (!v.valid && (r.status < 400 || r.status >= 500)) problems.push(`hostile (${v.reason}) but answered ${r.status}`);
  if (STACK_TRACE.test(r.text)) problems.push('the body carries a stack trace or a source path');
  // Node's HTTP server refuses an oversized request line or header block itself (431), before any portal code;
  // API Gateway has its own such limits. No portal body to check.
  if (r.status === 431 && r.text === '') return problems;
  if (r.status >= 400) {
    let body: { error?: unknown; error_description?: unknown } | undefined;
    try {
      body = JSON.parse(r.text);
    } catch {
      problems.push(`a ${r.status} whose body is not JSON`);
    }
    const error = body?.error as { code?: unknown; message?: unknown; issues?: unknown } | string | undefined;
    const oauth = (v.dispatchedTo ?? c.operationId) === 'issueAccessToken';
    if (oauth) {
      // RFC 6749 §5.2: the token endpoint answers in OAuth's own error shape.
      if (typeof error !== 'string' || typeof body?.error_description !== 'string') {
        problems.push(`a ${r.status} from the token endpoint not in OAuth's error shape`);
      }
    } else if (
      body &&
      (typeof error !== 'object' || typeof error?.code !== 'string' || typeof error?.message !== 'string')
    ) {
      problems.push(`a ${r.status} not in the portal's error shape {error: {code, message}}`);
    } else if (r.status === 400 && typeof error === 'object') {
      const issues = error.issues;
      const fieldLevel =
        Array.isArray(issues) &&
        issues.length > 0 &&
        issues.every((i) => typeof i?.path === 'string' && typeof i?.message === 'string' && i.message.length > 0);
      if (!fieldLevel) problems.push('a 400 without field-level issues [{path, message}]');
    }
  }
  return problems;
}

function describeCase(c: FuzzCase, v: Verdict): string {
  const body =
    c.body.length > 300
      ? `${c.body.subarray(0, 300).toString('utf8')}… (${c.body.length} bytes)`
      : c.body.toString('utf8');
  return (
    `${c.method} ${c.target.length > 300 ? `${c.target.slice(0, 300)}…` : c.target} as ${c.caller} ` +
    `[${c.kind}; ${v.valid ? 'valid' : `hostile: ${v.reason}`}] content-type=${c.contentType ?? '(none)'} ` +
    `idempotency-key=${c.idempotencyKey ?? '(none)'} body=${JSON.stringify(body)}`
  );
}

/**
 * Waits until background work a valid request started (a hash, an evidence bundle build) has stopped changing the
 * store: unchanged over three looks 250 ms apart. A build pauses between its stages, so one quiet look is not enough.
 */
async function settled(store: StoreReader, timeoutMs = 30_000): Promise<StoreSnapshot> {
  const deadline = Date.now() + timeoutMs;
  // The portal runs in this process: its evidence bundle builds can be awaited exactly (a build may spend more than
  // the quiet window reading before its first write on a busy machine).
  await inProcessBundleBuilds().settle();
  let previous = await store.snapshot();
  let quiet = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const current = await store.snapshot();
    quiet = changes(previous, current).length === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return current;
    if (Date.now() > deadline) throw new Error(`the store was still changing ${timeoutMs} ms after a valid request`);
    previous = current;
  }
}

/** Longer than any fuzz run: no scheduled repair or sweep writes in the middle of a batch (see startHarness). */
export const FUZZ_REPAIR_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface FuzzRunOptions {
  numRuns: number;
  seed: number;
  /** fast-check's replay path, printed with a failure. */
  path?: string;
  maxBatch?: number;
}

/** Fuzzes one route; throws (with fast-check's seed and counterexample) on the first problem. */
export async function fuzzRoute(kit: FuzzKit, operationId: string, options: FuzzRunOptions): Promise<void> {
  const batch = fc.array(caseArbitrary(operationId, kit.fixtures), { minLength: 1, maxLength: options.maxBatch ?? 4 });
  const property = fc.asyncProperty(batch, async (cases) => {
    const judged = cases.map((c) => ({ c, v: verdict(c) }));
    const problems: string[] = [];
    const record = (c: FuzzCase, v: Verdict, r: FuzzResponse) => {
      const s = kit.stats;
      s.cases++;
      if (v.valid) s.valid++;
      else s.hostile++;
      if (v.valid && r.status < 300) s.validAccepted++;
      s.byStatus[r.status] = (s.byStatus[r.status] ?? 0) + 1;
      s.byReason[v.reason] = (s.byReason[v.reason] ?? 0) + 1;
      for (const p of problemsWith(c, v, r)) problems.push(`${p}: ${describeCase(c, v)} → ${r.text.slice(0, 400)}`);
    };
    kit.stats.batches++;
    for (const { c, v } of judged.filter((j) => j.v.valid)) {
      const r = await sendCase(kit, c);
      // Its background work (a bundle build) may outlast this batch: the next snapshot waits for it.
      if (r.status < 300) kit.unsettled = true;
      record(c, v, r);
    }
    const hostile = judged.filter((j) => !j.v.valid);
    if (hostile.length) {
      // Tokens first: the machine client's grant is a request of its own.
      for (const { c } of hostile) await kit.authorization(c.caller);
      const before = kit.unsettled ? await settled(kit.store) : await kit.store.snapshot();
      kit.unsettled = false;
      for (const { c, v } of hostile) record(c, v, await sendCase(kit, c));
      const after = await kit.store.snapshot();
      const changed = changes(before, after);
      if (changed.length) {
        problems.push(
          `hostile cases changed the store (${changed
            .slice(0, 5)
            .map((k) => `${k} ${k.startsWith('changed table:') ? attributeChanges(before, after, k.slice(8)) : ''}`)
            .join('; ')}): ${hostile.map(({ c, v }) => describeCase(c, v)).join(' | ')}`,
        );
      }
    }
    if (problems.length) throw new Error(problems.join('\n'));
  });
  const started = Date.now();
  try {
    await fc.assert(property, {
      numRuns: options.numRuns,
      seed: options.seed,
      path: options.path,
      // Shrinking through a live portal replays hundreds of batches against state that has moved on; the failing
      // batch is printed whole (at most 4 cases), so shrinking is opt-in (FUZZ_SHRINK=1).
      endOnFailure: !process.env.FUZZ_SHRINK,
    });
  } finally {
    kit.stats.secondsByRoute[operationId] = Math.round((Date.now() - started) / 100) / 10;
  }
}
