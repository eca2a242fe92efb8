import { ROUTES } from '../../../../lambdas/api/routes';
import { REGULATOR_ROLES, type Role } from '../../../../lambdas/domain/caller';
import { type Command, TRANSITIONS } from '../../../../lambdas/domain/notice-lifecycle';
import { defined } from '../../../support/defined';
import { type Harness, type Response, startHarness } from '../portal-harness';
import { CREDENTIAL_VARIANTS, unknownClientRequest } from './credential-variants';
import type { Fixtures } from './fixtures';
import { type LeakMarker, leakMarkers } from './leak-markers';
import { OWNERS, type Owner, otherOwner, RESPONDER } from './owners';
import type { BuildContext, RequestSpec, RequestTemplate } from './request-template';
import { TEMPLATES } from './request-templates';
import { buildRequest, routeOf, send } from './requests';
import { setUpFixtures } from './set-up';
import { HEADER_VARIANTS, TOKEN_VARIANTS, type TokenKit, tokenKit } from './token-variants';

/**
 * The access-control proof (the body of tests/integration/access-matrix.test.ts, a fixed sample of the cases, in
 * `npm test`, and of tests/integration/access-matrix.long.test.ts, every case, in `npm run test:long`): a generated
 * matrix of every route × every kind of caller × the caller's own or another platform's resource × every way of
 * presenting a token, each case checked against the access policy below and for leaks. A refused request must be refused with exactly the status the policy names (401 bad token, 403 role
 * may not, 404 another platform's or not to be seen), must not carry any value of a resource the caller may not see,
 * and must be logged as one JSON line; an allowed request must get past authorization (2xx, or a 400/409 that is
 * about state or input, never about access).
 */

// ---- the access policy (the spec) ------------------------------------------------------------------------------

/**
 * Who may call an operation:
 * - `admin`: regulator-admin only (officers 403);
 * - `regulators`: regulator-admin and regulator-officer;
 * - `regulators+own`: regulators, and platform users for their own platform's resources;
 * - `own`: only platform users, for their own platform's resources (regulators 403);
 * - `all`: every signed-in user (platform users see only their own platform's records — the leak check proves it);
 * - `public`: anyone, with or without a token.
 * `own` / `foreign`: the status a platform user gets where they are refused, on their own platform's resource and on
 * another platform's (for platform-independent resources every platform user is `foreign`). Another platform's
 * notices, submissions, keys and platform record are 404, so a probe cannot tell them from ids that do not exist;
 * an operation refused for the role alone, whatever the resource, is 403 (and then also 403 for ids that do not
 * exist — the phantom cases prove no existence oracle either way). Drafts are 404 even to their own platform.
 */
type Who = 'admin' | 'regulators' | 'regulators+own' | 'own' | 'all' | 'public';
interface Rule {
  who: Who;
  /** Authenticates OAuth clients by their credentials (HTTP Basic or form): bearer tokens play no part. */
  clientAuth?: true;
  own?: 403 | 404;
  foreign?: 403 | 404;
  /** The lifecycle command the operation gives, whose roles in TRANSITIONS must agree with `who`. */
  command?: Command;
}

const POLICY: Record<string, Rule> = {
  createDraft: { who: 'regulators', own: 403, foreign: 403 },
  listNotices: { who: 'all' },
  countNotices: { who: 'regulators', foreign: 403 },
  reviseDraft: { who: 'regulators', own: 403, foreign: 403, command: 'revise-draft' },
  // The platform's response being prepared is its privileged work in progress: regulators 403 whatever the id.
  getResponseDraft: { who: 'own', foreign: 404 },
  saveResponseDraft: { who: 'own', foreign: 404 },
  'listNotices:own-filter': { who: 'regulators+own', foreign: 403 },
  getNotice: { who: 'regulators+own', foreign: 404 },
  'getNotice:draft': { who: 'regulators', own: 404, foreign: 404 },
  issueNotice: { who: 'regulators', own: 403, foreign: 403, command: 'issue' },
  acknowledgeNotice: { who: 'own', foreign: 404, command: 'acknowledge' },
  withdrawNotice: { who: 'regulators', own: 403, foreign: 403, command: 'withdraw' },
  getNoticeHistory: { who: 'regulators+own', foreign: 404 },
  'getNoticeHistory:draft': { who: 'regulators', own: 404, foreign: 404 },
  getNoticeCheckpointProofs: { who: 'regulators+own', foreign: 404 },
  'getNoticeCheckpointProofs:draft': { who: 'regulators', own: 404, foreign: 404 },
  requestExtension: { who: 'own', foreign: 404, command: 'request-extension' },
  startReview: { who: 'regulators', own: 403, foreign: 403, command: 'start-review' },
  requestFurtherInformation: { who: 'regulators', own: 403, foreign: 403, command: 'request-further-information' },
  acceptResponse: { who: 'regulators', own: 403, foreign: 403, command: 'accept' },
  closeNotice: { who: 'regulators', own: 403, foreign: 403, command: 'close' },
  grantExtension: { who: 'regulators', own: 403, foreign: 403, command: 'grant-extension' },
  refuseExtension: { who: 'regulators', own: 403, foreign: 403, command: 'refuse-extension' },
  recordPayment: { who: 'regulators', own: 403, foreign: 403, command: 'record-payment' },
  recordNonPayment: { who: 'regulators', own: 403, foreign: 403, command: 'record-non-payment' },
  correctPayment: { who: 'regulators', own: 403, foreign: 403, command: 'correct-payment' },
  listNoticeTypes: { who: 'all' },
  previewDueTime: { who: 'regulators', foreign: 403 },
  createPlatform: { who: 'admin', foreign: 403 },
  listPlatforms: { who: 'regulators', foreign: 403 },
  getPlatform: { who: 'regulators+own', foreign: 404 },
  renamePlatform: { who: 'admin', foreign: 403 },
  changePlatformContacts: { who: 'admin', foreign: 403 },
  mergePlatform: { who: 'admin', foreign: 403 },
  inviteUser: { who: 'admin', own: 403, foreign: 403 },
  listUsers: { who: 'admin', foreign: 403 },
  'listUsers:platform': { who: 'admin', own: 403, foreign: 403 },
  disableUser: { who: 'admin', own: 403, foreign: 403 },
  enableUser: { who: 'admin', own: 403, foreign: 403 },
  registerSigningKey: { who: 'admin', own: 403, foreign: 403 },
  listSigningKeys: { who: 'regulators+own', foreign: 404 },
  revokeSigningKey: { who: 'admin', own: 403, foreign: 403 },
  openSubmission: { who: 'own', foreign: 404, command: 'submit' },
  listSubmissions: { who: 'regulators+own', foreign: 404 },
  getSubmission: { who: 'regulators+own', foreign: 404 },
  requestEvidenceBundle: { who: 'regulators+own', foreign: 404 },
  'requestEvidenceBundle:draft': { who: 'regulators', own: 404, foreign: 404 },
  getEvidenceBundle: { who: 'regulators+own', foreign: 404 },
  getUploadUrls: { who: 'own', foreign: 404, command: 'submit' },
  listUploadedParts: { who: 'own', foreign: 404, command: 'submit' },
  completeFile: { who: 'own', foreign: 404, command: 'submit' },
  finalizeSubmission: { who: 'own', foreign: 404, command: 'submit' },
  downloadFile: { who: 'regulators+own', foreign: 404 },
  createApiClient: { who: 'admin', own: 403, foreign: 403 },
  listApiClients: { who: 'admin', own: 403, foreign: 403 },
  revokeApiClient: { who: 'admin', own: 403, foreign: 403 },
  issueAccessToken: { who: 'public', clientAuth: true },
  getAccessTokenKeys: { who: 'public' },
  getReceiptKeys: { who: 'public' },
  getRegulatorKeys: { who: 'public' },
  getLatestCheckpoint: { who: 'public' },
  getCheckpoint: { who: 'public' },
  getOpenApi: { who: 'public' },
  getHealth: { who: 'public' },
};

/** The rule of a request template (by id); throws, naming it, if POLICY has none. */
const ruleOf = (id: string): Rule => defined(POLICY[id], `the rule of ${id}`);

type Relation = 'regulator-admin' | 'regulator-officer' | 'own' | 'foreign' | 'disabled';
type Expected = number | 'allowed';

function expectedFor(rule: Rule, relation: Relation): Expected {
  if (rule.who === 'public') return 'allowed';
  const denied = (status: number | undefined) => {
    if (status === undefined) throw new Error(`The policy names no refusal status for ${relation} (${rule.who})`);
    return status;
  };
  switch (relation) {
    case 'disabled':
      return 401;
    case 'regulator-admin':
      return rule.who === 'own' ? 403 : 'allowed';
    case 'regulator-officer':
      return ['regulators', 'regulators+own', 'all'].includes(rule.who) ? 'allowed' : 403;
    case 'own':
      return ['regulators+own', 'own', 'all'].includes(rule.who) ? 'allowed' : denied(rule.own);
    case 'foreign':
      return rule.who === 'all' ? 'allowed' : denied(rule.foreign);
  }
}

// ---- the generated cases -------------------------------------------------------------------------------------

/**
 * Principals: the seeded users and each platform's API client (a platform-responder of its platform).
 * Cut off: tokens that were good until their user was disabled or their client revoked.
 */
const CUT_OFF_LABELS = ['disabled x-corp responder', 'disabled officer', 'revoked x-corp API client'];

type CallerRef =
  | { kind: 'principal'; id: string }
  | { kind: 'cut-off'; index: number }
  | { kind: 'header'; variant: number }
  | { kind: 'token'; variant: number; id: string }
  | { kind: 'credentials'; variant: number };

interface Case {
  name: string;
  template: RequestTemplate;
  owner: Owner;
  caller: CallerRef;
  /** Whose records the caller may see: regulators everything; a platform user their own; null: nothing. */
  sees: Owner | 'regulators' | null;
  expected: Expected;
  /** Instead of `expected`: any of these statuses (the token endpoint's credential cases). */
  statuses?: number[];
  /** Probe with ids that do not exist, and compare with the same probe on another platform's real resource. */
  phantom: boolean;
}

const clientOf = (owner: Owner) => `${owner}-api-client`;

const platformOf = (id: string): Owner | 'regulators' =>
  OWNERS.find((owner) => id === RESPONDER[owner] || id === clientOf(owner)) ?? 'regulators';

function relationOf(id: string, owner: Owner, scope: RequestTemplate['scope']): Relation {
  if (id === 'admin') return 'regulator-admin';
  if (id === 'officer') return 'regulator-officer';
  return scope === 'per-platform' && platformOf(id) === owner ? 'own' : 'foreign';
}

function describeRoute(template: RequestTemplate): string {
  const route = routeOf(template.operationId);
  return `${route.method} ${route.path}${template.variant ? ` (${template.variant})` : ''}`;
}

const expectLabel = (template: RequestTemplate, expected: Expected) =>
  expected === 'allowed' ? `allowed (${template.ok.join('/')})` : String(expected);

function generateCases(): Case[] {
  const cases: Case[] = [];
  for (const template of TEMPLATES) {
    const rule = POLICY[template.id];
    if (!rule) continue; // reported by the coverage test below
    const owners: readonly Owner[] = template.scope === 'per-platform' ? OWNERS : ['x-corp'];
    const route = describeRoute(template);
    const base = { template, phantom: false };
    // Every kind of caller, on each platform's resource.
    for (const owner of owners) {
      const whose = template.scope === 'per-platform' ? ` [${owner}'s]` : '';
      const other = otherOwner(owner);
      const principals = ['admin', 'officer', RESPONDER[owner], RESPONDER[other], clientOf(owner), clientOf(other)];
      for (const id of principals) {
        const relation = relationOf(id, owner, template.scope);
        const expected = expectedFor(rule, relation);
        const label =
          template.scope === 'global' && relation === 'foreign' ? 'platform' : relation.replace('regulator-', '');
        const caller: CallerRef = { kind: 'principal', id };
        cases.push({
          ...base,
          name: `${route}${whose} as ${id} (${label}) → ${expectLabel(template, expected)}`,
          owner,
          caller,
          sees: platformOf(id),
          expected,
        });
        if (relation === 'foreign' && expected !== 'allowed' && template.params !== undefined) {
          cases.push({
            ...base,
            name: `${route}${whose} as ${id} (${label}, ids that do not exist) → ${expected}, same answer`,
            owner,
            caller,
            sees: platformOf(id),
            expected,
            phantom: true,
          });
        }
      }
      CUT_OFF_LABELS.forEach((label, index) => {
        const expected = expectedFor(rule, 'disabled');
        cases.push({
          ...base,
          name: `${route}${whose} as ${label} (token from before) → ${expectLabel(template, expected)}`,
          owner,
          caller: { kind: 'cut-off', index },
          sees: null,
          expected,
        });
      });
    }
    // Every way of presenting a bad (or over-claiming) token, on x-corp's resource.
    HEADER_VARIANTS.forEach((variant, index) => {
      // At the token endpoint a Basic header is the client's credentials (here: wrong ones).
      const expected = rule.clientAuth && variant.basic ? 401 : rule.who === 'public' ? 'allowed' : 401;
      cases.push({
        ...base,
        name: `${route} with ${variant.name} → ${expectLabel(template, expected)}`,
        owner: 'x-corp',
        caller: { kind: 'header', variant: index },
        sees: null,
        expected,
      });
    });
    TOKEN_VARIANTS.forEach((variant, index) => {
      for (const id of variant.appliesTo) {
        const expected: Expected =
          rule.who === 'public'
            ? 'allowed'
            : variant.expect === 'as-caller'
              ? expectedFor(rule, relationOf(id, 'x-corp', template.scope))
              : variant.expect;
        cases.push({
          ...base,
          name: `${route} as ${id} with ${variant.name} → ${expectLabel(template, expected)}`,
          owner: 'x-corp',
          caller: { kind: 'token', variant: index, id },
          sees: variant.expect === 'as-caller' ? platformOf(id) : null,
          expected,
        });
      }
    });
    // The token endpoint: every way of presenting client credentials.
    if (rule.clientAuth) {
      CREDENTIAL_VARIANTS.forEach((variant, index) => {
        cases.push({
          ...base,
          name: `${route} with ${variant.name} → ${variant.statuses.join(' or ')}${variant.sameAsUnknownClient ? ', same answer as an unknown client' : ''}`,
          owner: 'x-corp',
          caller: { kind: 'credentials', variant: index },
          sees: null,
          expected: variant.statuses.includes(200)
            ? 'allowed'
            : defined(variant.statuses[0], `the status of ${variant.name}`),
          statuses: variant.statuses,
        });
      });
    }
  }
  return cases;
}

/** Every case of the matrix. */
const ALL_CASES = generateCases();

/** What kind of caller a case uses (the variant of a bad header, token or credentials), for the sample's coverage. */
const callerKindOf = (c: Case): string =>
  c.caller.kind === 'principal'
    ? `principal${c.phantom ? ' (phantom)' : ''}`
    : c.caller.kind === 'cut-off'
      ? `cut-off ${c.caller.index}`
      : `${c.caller.kind} ${c.caller.variant}`;

/**
 * `npm test`'s sample, the same on every run: of the i-th request template's cases (in generation order: each
 * principal on each platform's resource, the phantom probes, the cut-off callers, then each header, token and
 * credential variant), those at positions i, i + stride, i + 2·stride… So every route is called (at least once per
 * template), and as the offset turns from one template to the next, each kind of caller and each bad-token variant
 * is tried on about one route in `stride`; a kind of caller the strides miss gets its first case. The checks are
 * the full matrix's; `npm run test:long` runs every case.
 */
export function sampleOf(cases: readonly Case[], stride: number): Case[] {
  const byTemplate = new Map<RequestTemplate, Case[]>();
  for (const c of cases) byTemplate.set(c.template, [...(byTemplate.get(c.template) ?? []), c]);
  const strided = new Set(
    [...byTemplate.values()].flatMap((own, t) => {
      const offset = t % Math.min(stride, own.length);
      return own.filter((_, i) => i % stride === offset);
    }),
  );
  // A kind of caller only one route takes (the token endpoint's credential variants) may fall between the strides:
  // its first case is added.
  const kinds = new Set([...strided].map(callerKindOf));
  for (const c of cases) {
    if (!kinds.has(callerKindOf(c))) {
      kinds.add(callerKindOf(c));
      strided.add(c);
    }
  }
  return cases.filter((c) => strided.has(c));
}

/** The cases this file runs: every case, or {@link sampleOf} them. */
let CASES: Case[] = ALL_CASES;

// ---- running them ----------------------------------------------------------------------------------------------

interface Outcome {
  request: RequestSpec;
  authorization?: string;
  response: Response;
  /** For phantom cases: the same probe on the real resource of another platform. */
  real?: { request: RequestSpec; response: Response };
}

let h: Harness;
let f: Fixtures;
let markers: LeakMarker[];
const principalTokens = new Map<string, string>();
const kits = new Map<string, TokenKit>();
const variantTokens = new Map<string, string>();
const outcomes = new Map<Case, Promise<Outcome | { error: unknown }>>();
const CONCURRENCY = 6;

/** Every JSON log line the portal wrote, by request id (the portal logs at `warn` for this file). */
const logs = new Map<string, Record<string, unknown>[]>();
const allLogLines: string[] = [];
let logCaptureActive = false;
let restoreStdout: (() => void) | undefined;

function captureLogs(): void {
  // Powertools writes info lines to stdout and warn/error lines to stderr: both are read.
  const capture = (stream: NodeJS.WriteStream) => {
    const original = stream.write.bind(stream);
    return jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const lines = text.split('\n').filter((line) => line.length > 0);
      const parsed = lines.map((line) => {
        try {
          const value = JSON.parse(line);
          return value && typeof value === 'object' && value.service === 'notice-portal' ? value : undefined;
        } catch {
          return undefined;
        }
      });
      if (lines.length === 0 || parsed.some((p) => p === undefined)) return (original as any)(chunk, ...rest);
      for (const [i, entry] of parsed.entries()) {
        allLogLines.push(defined(lines[i], `log line ${i}`));
        const id = String(entry.requestId ?? '');
        logs.set(id, [...(logs.get(id) ?? []), entry]);
      }
      return true;
    }) as typeof stream.write);
  };
  const spies = [capture(process.stdout), capture(process.stderr)];
  restoreStdout = () => {
    for (const spy of spies) spy.mockRestore();
  };
}

function authorizationFor(c: Case): string | undefined {
  switch (c.caller.kind) {
    case 'principal':
      return `Bearer ${principalTokens.get(c.caller.id)}`;
    case 'cut-off':
      return `Bearer ${defined(f.cutOff[c.caller.index], `cut-off caller ${c.caller.index}`).token}`;
    case 'header':
      return defined(HEADER_VARIANTS[c.caller.variant], `header variant ${c.caller.variant}`).header(
        principalTokens.get('officer') as string,
      );
    case 'token':
      return `Bearer ${variantTokens.get(`${c.caller.variant}:${c.caller.id}`)}`;
    case 'credentials':
      return defined(CREDENTIAL_VARIANTS[c.caller.variant], `credential variant ${c.caller.variant}`).request(f)
        .authorization;
  }
}

async function runCase(c: Case): Promise<Outcome> {
  const ctx: BuildContext = { h, f, owner: c.owner, p: f.platforms[c.owner] };
  const allowed = c.expected === 'allowed';
  const authorization = authorizationFor(c);
  if (c.caller.kind === 'credentials') {
    const variant = defined(CREDENTIAL_VARIANTS[c.caller.variant], `credential variant ${c.caller.variant}`);
    const request = variant.request(f).spec;
    const response = await send(h, request, authorization);
    if (!variant.sameAsUnknownClient) return { request, authorization, response };
    const unknown = unknownClientRequest();
    return {
      request,
      authorization,
      response,
      real: { request: unknown, response: await send(h, unknown, undefined) },
    };
  }
  if (c.phantom) {
    const request = await buildRequest(c.template, ctx, { allowed: false, phantom: true });
    const realRequest = await buildRequest(c.template, ctx, { allowed: false, phantom: false });
    const [response, real] = await Promise.all([send(h, request, authorization), send(h, realRequest, authorization)]);
    return { request, authorization, response, real: { request: realRequest, response: real } };
  }
  const request = await buildRequest(c.template, ctx, { allowed, phantom: false });
  return { request, authorization, response: await send(h, request, authorization) };
}

function startAll(): void {
  const deferred = CASES.map(() => {
    let resolve!: (value: Outcome | { error: unknown }) => void;
    const promise = new Promise<Outcome | { error: unknown }>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  });
  CASES.forEach((c, i) => {
    outcomes.set(c, defined(deferred[i], `the outcome of case ${i}`).promise);
  });
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < CASES.length) {
      const i = nextIndex++;
      const { resolve } = defined(deferred[i], `the outcome of case ${i}`);
      try {
        resolve(await runCase(defined(CASES[i], `case ${i}`)));
      } catch (error) {
        resolve({ error });
      }
    }
  };
  for (let i = 0; i < CONCURRENCY; i++) void worker();
}

// ---- checks ----------------------------------------------------------------------------------------------------

const CODE_OF: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not-found' };

function fail(c: Case, outcome: Outcome, problem: string): never {
  const { request, response, real } = outcome;
  throw new Error(
    `${problem}\n  request: ${request.method} ${request.path}${request.body === undefined ? '' : ` ${JSON.stringify(request.body).slice(0, 300)}`}` +
      `\n  response: ${response.status} ${JSON.stringify(response.body).slice(0, 1500)}` +
      (real
        ? `\n  compared with ${real.request.method} ${real.request.path}: ${real.response.status} ${JSON.stringify(real.response.body).slice(0, 600)}`
        : '') +
      `\n  case: ${c.name}`,
  );
}

function checkStatus(c: Case, outcome: Outcome): void {
  const { response } = outcome;
  const rule = ruleOf(c.template.id);
  if (rule.clientAuth) {
    checkOAuthStatus(c, outcome);
    return;
  }
  const code = response.body?.error?.code;
  if (c.expected === 'allowed') {
    if (!c.template.ok.includes(response.status)) {
      fail(c, outcome, `Expected an allowed caller to get ${c.template.ok.join(' or ')}, got ${response.status}`);
    }
    if (response.status >= 400 && ['unauthenticated', 'forbidden', 'not-found'].includes(code)) {
      fail(c, outcome, `An allowed caller was refused for access reasons (${code})`);
    }
    return;
  }
  if (response.status !== c.expected) fail(c, outcome, `Expected ${c.expected}, got ${response.status}`);
  if (code !== CODE_OF[c.expected]) fail(c, outcome, `Expected error code ${CODE_OF[c.expected]}, got ${code}`);
  if (c.expected === 401) {
    const challenge = response.headers.get('www-authenticate');
    const wanted =
      outcome.authorization === undefined ? 'Bearer realm="notice-portal"' : 'Bearer error="invalid_token"';
    if (challenge !== wanted) fail(c, outcome, `Expected WWW-Authenticate: ${wanted}, got ${challenge}`);
  }
}

/** The token endpoint answers in OAuth's format: a token, or `{"error": "invalid_client" | …}`. */
function checkOAuthStatus(c: Case, outcome: Outcome): void {
  const { response } = outcome;
  const statuses = c.statuses ?? (c.expected === 'allowed' ? c.template.ok : [c.expected]);
  if (!statuses.includes(response.status)) {
    fail(c, outcome, `Expected ${statuses.join(' or ')}, got ${response.status}`);
  }
  if (response.status === 200) {
    if (typeof response.body?.access_token !== 'string' || response.body.token_type !== 'Bearer') {
      fail(c, outcome, 'Expected an access token');
    }
    return;
  }
  const wanted: Record<number, string[]> = {
    400: ['invalid_request', 'unsupported_grant_type'],
    401: ['invalid_client'],
  };
  if (!wanted[response.status]?.includes(response.body?.error)) {
    fail(c, outcome, `Expected an OAuth error (${wanted[response.status]}), got ${JSON.stringify(response.body)}`);
  }
  if (response.status === 401 && response.headers.get('www-authenticate') !== 'Basic realm="notice-portal"') {
    fail(c, outcome, `Expected WWW-Authenticate: Basic realm="notice-portal"`);
  }
}

/** No value of a resource the caller may not see, unless the caller named it in the request themselves. */
function checkLeaks(c: Case, outcome: Outcome): void {
  const { request, response } = outcome;
  const refused = c.expected !== 'allowed';
  const mayNotSee = (m: LeakMarker) =>
    m.visibleTo === 'nobody' ||
    refused ||
    (typeof m.visibleTo === 'object'
      ? m.visibleTo.platformOnly !== c.sees
      : c.sees !== 'regulators' && m.visibleTo !== c.sees);
  const asked = `${request.path} ${JSON.stringify(request.body ?? '')} ${JSON.stringify(request.form ?? '')} ${outcome.authorization ?? ''}`;
  const text = JSON.stringify(response.body);
  const leaked = markers.filter((m) => mayNotSee(m) && !asked.includes(m.value) && text.includes(m.value));
  if (leaked.length > 0) {
    fail(c, outcome, `The response leaks ${leaked.map((m) => `${m.what} "${m.value}"`).join(', ')}`);
  }
}

/** A refused request and a probe with ids that do not exist must be indistinguishable (ids aside). */
function checkNoOracle(c: Case, outcome: Outcome): void {
  if (!outcome.real) return;
  const normalise = (o: { request: RequestSpec; response: Response }) => {
    const error = o.response.body?.error;
    // Ours: {"error": {"code", "message"}}; OAuth's: {"error": "invalid_client", "error_description"}.
    if (typeof error === 'string') {
      return { status: o.response.status, code: error, message: o.response.body?.error_description };
    }
    let message = String(error?.message ?? '');
    for (const part of o.request.path.split(/[/?=&]/).filter((s) => s.length > 3)) {
      message = message.split(decodeURIComponent(part)).join('<id>');
    }
    return { status: o.response.status, code: o.response.body?.error?.code, message };
  };
  const phantom = normalise(outcome);
  const real = normalise(outcome.real);
  if (JSON.stringify(phantom) !== JSON.stringify(real)) {
    fail(c, outcome, `A probe can tell another platform's resource from one that does not exist`);
  }
}

function checkRefusalLogged(c: Case, outcome: Outcome): void {
  // The token endpoint logs in its own shape ('token refused'); it is checked by its own cases.
  if (!logCaptureActive || c.expected === 'allowed' || ruleOf(c.template.id).clientAuth) return;
  const { response } = outcome;
  const requestId = response.body?.error?.requestId;
  const lines = logs.get(String(requestId)) ?? [];
  const refusals = lines.filter((l) => l.message === 'request refused');
  const route = routeOf(c.template.operationId);
  const refusal = refusals[0];
  if (!refusal) fail(c, outcome, `No "request refused" log line for request ${requestId}`);
  if (refusals.length > 1) fail(c, outcome, `${refusals.length} "request refused" lines for request ${requestId}`);
  const shape = {
    level: refusal.level,
    route: refusal.route,
    status: refusal.status,
    hasCaller: typeof (refusal.caller as any)?.kind === 'string' && typeof (refusal.caller as any)?.id === 'string',
    hasReason: typeof refusal.reason === 'string' && refusal.reason.length > 0,
  };
  const wanted = { level: 'WARN', route: `${route.method} ${route.path}`, status: response.status };
  if (JSON.stringify(shape) !== JSON.stringify({ ...wanted, hasCaller: true, hasReason: true })) {
    fail(c, outcome, `The refusal log line is not as expected: ${JSON.stringify(refusal)}`);
  }
  const token = outcome.authorization?.replace(/^\S+\s+/, '').trim();
  if (token && token.length > 20 && lines.some((l) => JSON.stringify(l).includes(token))) {
    fail(c, outcome, 'The token was written to the log');
  }
}

/** Every bad (or over-claiming) token of TOKEN_VARIANTS, for each principal it applies to. */
async function makeVariantTokens(): Promise<void> {
  for (const [index, variant] of TOKEN_VARIANTS.entries()) {
    for (const id of variant.appliesTo) {
      if (!kits.has(id)) kits.set(id, await tokenKit(h, f, id));
      variantTokens.set(`${index}:${id}`, await variant.make(kits.get(id) as TokenKit));
    }
  }
}

/**
 * Registers the matrix's tests: with `sample`, every `sample`-th case of each template (see {@link sampleOf}), else
 * every case.
 */
export function describeAccessMatrix(options: { sample?: number } = {}): void {
  CASES = options.sample === undefined ? ALL_CASES : sampleOf(ALL_CASES, options.sample);
  const started = Date.now();
  beforeAll(async () => {
    captureLogs();
    // Refusals are logged at `warn`, which the portal is asked to write (the harness's default is `error`).
    h = await startHarness({ logLevel: 'warn' });
    for (const username of ['admin', 'officer', 'x-corp-legal', 'videoshare-legal']) {
      principalTokens.set(username, await h.portal.identity.tokenFor(username));
    }
    f = await setUpFixtures(h);
    for (const owner of OWNERS) principalTokens.set(clientOf(owner), f.clients[owner].token);
    if (JSON.stringify(f.cutOff.map((c) => c.label)) !== JSON.stringify(CUT_OFF_LABELS)) {
      throw new Error(`The cut-off callers are ${f.cutOff.map((c) => c.label)}, not ${CUT_OFF_LABELS}`);
    }
    markers = leakMarkers(f);
    await makeVariantTokens();
    // Is refusal logging visible to this file? (A request with no token is always refused.)
    const probe = await h.anonymous().get('/notices');
    logCaptureActive = (logs.get(probe.body?.error?.requestId) ?? []).length > 0;
    startAll();
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([...outcomes.values()]);
    restoreStdout?.();
    await h?.stop();
    const counts = new Map<string, number>();
    for (const c of CASES) counts.set(String(c.expected), (counts.get(String(c.expected)) ?? 0) + 1);
    const breakdown = [...counts].map(([expected, n]) => `${n} ${expected}`).join(', ');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `access matrix: ${CASES.length} cases${CASES === ALL_CASES ? '' : ` (a sample of ${ALL_CASES.length})`} ` +
        `(${breakdown}) over ${TEMPLATES.length} request templates ` +
        `for ${ROUTES.length} routes in ${seconds} s`,
    );
  }, 120_000);

  describe('access matrix', () => {
    it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const outcome = await outcomes.get(c);
      if (!outcome) throw new Error('The case did not run');
      if ('error' in outcome) throw outcome.error;
      checkStatus(c, outcome);
      checkLeaks(c, outcome);
      checkNoOracle(c, outcome);
      checkRefusalLogged(c, outcome);
    });
  });

  describe('the access policy itself', () => {
    it('names every route in ROUTES, with a request template for each', () => {
      const withoutRule = ROUTES.filter((r) => !POLICY[r.operationId]).map((r) => `${r.method} ${r.path}`);
      const withoutTemplate = ROUTES.filter((r) => !TEMPLATES.some((t) => t.id === r.operationId)).map(
        (r) => `${r.method} ${r.path}`,
      );
      const templatesWithoutRule = TEMPLATES.filter((t) => !POLICY[t.id]).map((t) => t.id);
      expect({ withoutRule, withoutTemplate, templatesWithoutRule }).toEqual({
        withoutRule: [],
        withoutTemplate: [],
        templatesWithoutRule: [],
      });
    });

    it('calls public exactly the routes the route table marks public', () => {
      const policyPublic = Object.entries(POLICY)
        .filter(([, rule]) => rule.who === 'public')
        .map(([id]) => id)
        .sort();
      expect(policyPublic).toEqual(
        ROUTES.filter((r) => r.public)
          .map((r) => r.operationId)
          .sort(),
      );
    });

    it('agrees with the roles of TRANSITIONS for every lifecycle command', () => {
      const rolesOf = (who: Who): readonly Role[] =>
        who === 'own' ? ['platform-responder'] : who === 'regulators' ? REGULATOR_ROLES : [];
      const disagreements = Object.entries(POLICY)
        .filter(([, rule]) => rule.command)
        .filter(([, rule]) => {
          const spec = [...rolesOf(rule.who)].sort();
          return JSON.stringify(spec) !== JSON.stringify([...TRANSITIONS[rule.command as Command].roles].sort());
        })
        .map(([id, rule]) => `${id}: ${rule.who} vs ${TRANSITIONS[rule.command as Command].roles.join(', ')}`);
      expect(disagreements).toEqual([]);
    });
  });

  describe('cut-off callers', () => {
    it('get no new token from the dev IdP once disabled', () => {
      expect(f.tokenAfterDisable).toEqual(f.disabled.map(() => 403));
    });
  });

  describe('refusal logging', () => {
    it('writes one JSON line per refusal (checked case by case above) and never a token', async () => {
      await Promise.allSettled([...outcomes.values()]);
      if (!logCaptureActive) {
        throw new Error(
          'A request without a token was refused but no "request refused" JSON line was captured: either refusals ' +
            'are no longer logged at warn, or the portal no longer applies its logLevel option',
        );
      }
      const jwtInLog = allLogLines.filter((line) => /eyJ[\w-]{8,}\.eyJ[\w-]{8,}/.test(line));
      expect(jwtInLog).toEqual([]);
    });
  });

  if (options.sample !== undefined) {
    describe('the sample', () => {
      it('calls every request template, with every kind of caller and every bad-token variant somewhere', () => {
        const templates = (cases: readonly Case[]) => new Set(cases.map((c) => c.template.id));
        const kinds = (cases: readonly Case[]) => new Set(cases.map(callerKindOf));
        expect([...templates(CASES)].sort()).toEqual([...templates(ALL_CASES)].sort());
        expect([...kinds(CASES)].sort()).toEqual([...kinds(ALL_CASES)].sort());
      });
    });
  }
}
