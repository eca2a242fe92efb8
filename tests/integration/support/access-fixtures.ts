import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  base64url,
  calculateJwkThumbprint,
  decodeJwt,
  exportJWK,
  FlattenedSign,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  type KeyLike,
  SignJWT,
} from 'jose';
import { ROUTES } from '../../../lambdas/api/routes';
import { MACHINE_TOKEN_AUDIENCE, MACHINE_TOKEN_ISSUER } from '../../../lambdas/config/auth';
import { canonicalJson } from '../../../lambdas/domain/canonical-json';
import { type Harness, type Response, transparencyDraft } from './portal-harness';

/**
 * Fixtures and request templates for the access matrix (tests/integration/access-matrix.test.ts).
 *
 * Everything is set up once, through the API, for each of the two seeded platforms (so every tenant-scoped route is
 * tried on x-corp's resources and on videoshare's): an issued notice with a pending extension, a draft, an issued
 * infringement notice, a registered signing key, an open submission with one uploaded file, a multipart submission,
 * and a throw-away user. Routes that change shared records (rename, contacts, merge) act on throw-away platforms.
 * Callers the policy allows get fresh resources where the outcome depends on state, so the order in which the
 * matrix runs never changes what a case proves.
 */

export const OWNERS = ['x-corp', 'videoshare'] as const;
export type Owner = (typeof OWNERS)[number];

/** The seeded platform-responder of each platform. */
export const RESPONDER: Record<Owner, string> = { 'x-corp': 'x-corp-legal', videoshare: 'videoshare-legal' };
export const LEGAL_NAME: Record<Owner, string> = { 'x-corp': 'X Corp.', videoshare: 'VideoShare Pty Ltd' };

export const otherOwner = (owner: Owner): Owner => (owner === 'x-corp' ? 'videoshare' : 'x-corp');

const MIB = 1024 ** 2;
const DAY = 24 * 60 * 60 * 1000;
/** Declared size of the multipart fixture file: above the single-PUT limit, never uploaded. */
const MULTIPART_SIZE = 65 * MIB + 1;
const MULTIPART_PARTS = 5; // 16 MiB parts

export interface SigningKeyPair {
  privateKey: KeyLike;
  jwk: JWK;
  kid: string;
}

export interface PlatformFixtures {
  owner: Owner;
  /** In the title of every notice of this platform that is (or will be) issued, in file names and reasons. */
  canary: string;
  /** In the title of every notice of this platform that stays a draft: platforms must never see it. */
  draftCanary: string;
  issuedNoticeId: string;
  extensionId: string;
  draftNoticeId: string;
  infringementNoticeId: string;
  key: SigningKeyPair;
  submissionId: string;
  fileName: string;
  multipartSubmissionId: string;
  multipartFileName: string;
  /** A platform-responder of this platform, invited for the disable/enable routes to act on. */
  throwawayUser: { subject: string; email: string };
}

export interface DisabledUser {
  label: string;
  email: string;
  subject: string;
  /** Obtained from the dev IdP before the user was disabled. */
  token: string;
}

/** A platform's machine client (OAuth 2.0 client credentials) and an access token it was given. */
export interface ApiClientFixture {
  owner: Owner;
  clientId: string;
  clientSecret: string;
  token: string;
}

export interface Fixtures {
  tag: string;
  platforms: Record<Owner, PlatformFixtures>;
  throwawayPlatforms: { rename: string; contacts: string; merge: string; mergeInto: string; marker: string };
  disabled: DisabledUser[];
  /** The dev IdP's answer to a token request for each disabled user, after disabling (must be a refusal). */
  tokenAfterDisable: number[];
  clients: Record<Owner, ApiClientFixture>;
  /** An x-corp client revoked after its token was issued: the token must then get 401 everywhere. */
  revokedClient: ApiClientFixture;
  /** Callers whose token was good and is now cut off (disabled users, the revoked client). */
  cutOff: { label: string; token: string }[];
  /** A receipt the regulator signed (a JWS every platform holds): never a bearer token. */
  receiptJws: string;
  /** Private keys of the portal (dev IdP, receipts, machine tokens): never in any response. */
  privateKeys: { what: string; d: string }[];
  /** The portal's machine-token signing key, so tests can mint machine tokens with any claim wrong. */
  tokenKey: JWK;
}

/** A value that must not reach a caller who may not see it. */
export interface LeakMarker {
  value: string;
  what: string;
  /** Who may see it: regulators always; a platform's users only their own platform's; `nobody`: no one, ever. */
  visibleTo: 'regulators' | Owner | 'nobody';
}

// ---- set-up --------------------------------------------------------------------------------------------------

export async function setUpFixtures(h: Harness): Promise<Fixtures> {
  const tag = randomBytes(4).toString('hex');
  const admin = h.as('admin');
  const marker = `THROWAWAY-${tag}`;
  const throwaway = {
    rename: `tp-rename-${tag}`,
    contacts: `tp-contacts-${tag}`,
    merge: `tp-merge-${tag}`,
    mergeInto: `tp-into-${tag}`,
  };
  const [xCorp, videoshare] = await Promise.all(OWNERS.map((owner) => platformFixtures(h, owner, tag)));
  await Promise.all(
    Object.values(throwaway).map(async (platformId) =>
      expectStatus(
        await admin.post('/platforms', {
          platformId,
          legalName: `${marker} ${platformId} Pty Ltd`,
          jurisdiction: { country: 'AU' },
          contacts: [`legal@${platformId}.example`],
        }),
        201,
        `onboard ${platformId}`,
      ),
    ),
  );
  const disabled = [
    await invitedUser(h, 'disabled x-corp responder', {
      email: `disabled-responder-${tag}@x-corp.example`,
      name: 'Dana Disabled',
      role: 'platform-responder',
      platformId: 'x-corp',
    }),
    await invitedUser(h, 'disabled officer', {
      email: `disabled-officer-${tag}@regulator.example`,
      name: 'Otto Disabled',
      role: 'regulator-officer',
    }),
  ];
  // Each token works before its user is disabled (else the 401s after would prove nothing) …
  for (const user of disabled) {
    const before = await h
      .anonymous()
      .get(`/notices/${xCorp.issuedNoticeId}`, { authorization: `Bearer ${user.token}` });
    expectStatus(before, 200, `${user.label} reads a notice before being disabled`);
  }
  // … then the user is disabled, and the old token is kept for the matrix.
  for (const user of disabled) {
    const off = await admin.post(`/users/${user.subject}/disable`, { reason: 'Access review: account closed.' });
    expectStatus(off, 200, `disable ${user.label}`);
  }
  const tokenAfterDisable = await Promise.all(
    disabled.map(async (user) => (await fetch(devIdpTokenUrl(h, user.email), { method: 'POST' })).status),
  );

  const clients = {
    'x-corp': await apiClient(h, 'x-corp', 'matrix client'),
    videoshare: await apiClient(h, 'videoshare', 'matrix client'),
  };
  const revokedClient = await apiClient(h, 'x-corp', 'revoked client');
  const before = await h
    .anonymous()
    .get(`/notices/${xCorp.issuedNoticeId}`, { authorization: `Bearer ${revokedClient.token}` });
  expectStatus(before, 200, 'the revoked client reads a notice before being revoked');
  expectStatus(
    await admin.post(`/platforms/x-corp/api-clients/${revokedClient.clientId}/revoke`, { reason: 'Secret leaked.' }),
    200,
    'revoke the client',
  );

  const ready = await readyToFinalize(h, xCorp);
  const filed = await h
    .as('x-corp-legal')
    .post(`/notices/${ready.noticeId}/submissions/${ready.submissionId}/finalize`, ready.body);
  expectStatus(filed, 200, 'file a response to get a receipt');

  const keyFile = (name: string) => JSON.parse(readFileSync(join(h.dataDir, name), 'utf8')) as JWK;
  const tokenKey = keyFile('token-key.json');
  const privateKeys = [
    { what: 'dev IdP private key', d: keyFile('dev-identity-key.json').d as string },
    { what: 'receipt private key', d: keyFile('receipt-key.json').d as string },
    { what: 'machine-token private key', d: tokenKey.d as string },
  ];
  return {
    tag,
    platforms: { 'x-corp': xCorp, videoshare },
    throwawayPlatforms: { ...throwaway, marker },
    disabled,
    tokenAfterDisable,
    clients,
    revokedClient,
    cutOff: [
      ...disabled.map(({ label, token }) => ({ label, token })),
      { label: 'revoked x-corp API client', token: revokedClient.token },
    ],
    receiptJws: filed.body.receipt.jws,
    privateKeys,
    tokenKey,
  };
}

/** Creates a machine client (regulator admin) and exchanges its credentials for an access token. */
export async function apiClient(h: Harness, owner: string, label: string): Promise<ApiClientFixture> {
  const created = await h.as('admin').post(`/platforms/${owner}/api-clients`, { label });
  expectStatus(created, 201, `create an API client for ${owner}`);
  const { clientId } = created.body.client;
  const { clientSecret } = created.body;
  const granted = await send(h, tokenRequest({ client_id: clientId, client_secret: clientSecret }), undefined);
  expectStatus(granted, 200, `client-credentials grant for ${owner}`);
  return { owner: owner as Owner, clientId, clientSecret, token: granted.body.access_token };
}

/** POST /oauth2/token with a form-encoded client-credentials grant. */
export function tokenRequest(fields: Record<string, string>): RequestSpec {
  return { method: 'POST', path: '/oauth2/token', form: { grant_type: 'client_credentials', ...fields } };
}

/** A throw-away platform (for routes whose allowed outcome would otherwise exhaust a seeded platform's quota). */
export async function throwawayPlatform(h: Harness, f: Fixtures): Promise<string> {
  const platformId = `tp-fresh-${f.tag}-${next()}`;
  const created = await h.as('admin').post('/platforms', {
    platformId,
    legalName: `${f.throwawayPlatforms.marker} ${platformId} Pty Ltd`,
    jurisdiction: { country: 'AU' },
    contacts: [`legal@${platformId}.example`],
  });
  expectStatus(created, 201, `onboard ${platformId}`);
  return platformId;
}

async function platformFixtures(h: Harness, owner: Owner, tag: string): Promise<PlatformFixtures> {
  const canary = `CANARY-${owner}-${tag}`;
  const draftCanary = `DRAFTCANARY-${owner}-${tag}`;
  const responder = h.as(RESPONDER[owner]);
  const issuedNoticeId = await issuedNotice(h, owner, canary);
  const extension = await responder.post(`/notices/${issuedNoticeId}/extensions`, extensionRequest(canary));
  expectStatus(extension, 201, `request an extension of ${owner}'s notice`);
  const extensionId: string = extension.body.extensions.at(-1).id;
  const draftNoticeId = await draftNotice(h, owner, draftCanary);
  const infringementNoticeId = await infringementNotice(h, owner, canary);
  const key = await registeredKey(h, owner);
  const fileName = `${canary}-response.pdf`;
  const { submissionId } = await openAndUpload(h, owner, issuedNoticeId, fileName);
  const multipartFileName = `${canary}-evidence.zip`;
  const multipart = await responder.post(`/notices/${issuedNoticeId}/submissions`, {
    // Nothing is uploaded for it: the declared hash is never checked against bytes.
    files: [{ name: multipartFileName, size: MULTIPART_SIZE, sha256: 'e'.repeat(64), contentType: 'application/zip' }],
  });
  expectStatus(multipart, 201, `open a multipart submission for ${owner}`);
  if (multipart.body.uploads[0].partCount !== MULTIPART_PARTS) {
    throw new Error(`Expected a ${MULTIPART_PARTS}-part upload: ${JSON.stringify(multipart.body.uploads[0])}`);
  }
  const throwawayUser = await inviteUser(h, {
    email: `throwaway-${tag}@${owner}.example`,
    name: 'Theo Throwaway',
    role: 'platform-responder',
    platformId: owner,
  });
  return {
    owner,
    canary,
    draftCanary,
    issuedNoticeId,
    extensionId,
    draftNoticeId,
    infringementNoticeId,
    key,
    submissionId,
    fileName,
    multipartSubmissionId: multipart.body.submission.submissionId,
    multipartFileName,
    throwawayUser: { subject: throwawayUser.user.subject, email: throwawayUser.user.email },
  };
}

export async function draftNotice(h: Harness, owner: Owner, titleMarker: string): Promise<string> {
  const created = await h.as('officer').post('/notices', transparencyDraft(owner, { title: `Notice ${titleMarker}` }));
  expectStatus(created, 201, `draft a notice for ${owner}`);
  return created.body.id;
}

export async function issuedNotice(h: Harness, owner: Owner, titleMarker: string): Promise<string> {
  const id = await draftNotice(h, owner, titleMarker);
  expectStatus(await h.as('officer').post(`/notices/${id}/issue`), 200, `issue ${id}`);
  return id;
}

export async function infringementNotice(h: Harness, owner: Owner, titleMarker: string): Promise<string> {
  const created = await h.as('officer').post('/notices', {
    type: 'infringement-notice',
    platformId: owner,
    title: `Infringement notice ${titleMarker}`,
    mannerAndForm: 'Pay the amount payable by the time for payment.',
    infringement: {
      provisionContravened: 'Online Safety Act 2021 (Cth) s 57',
      contravention: {
        description: 'Failed to give a report in response to a transparency notice by the time it was due.',
        occurredFrom: '2026-01-01T00:00:00.000Z',
      },
      maximumPenalty: { currency: 'AUD', amount: '782500.00' },
      amountPayable: { currency: 'AUD', amount: '16500.00' },
      paymentPlace: 'By BPAY (biller code 12345) or at https://pay.regulator.example/infringements',
    },
  });
  expectStatus(created, 201, `draft an infringement notice for ${owner}`);
  expectStatus(await h.as('officer').post(`/notices/${created.body.id}/issue`), 200, 'issue the infringement notice');
  return created.body.id;
}

/** An issued notice with a pending extension (ext_1) asked for by the platform. */
export async function noticeWithExtension(h: Harness, owner: Owner, titleMarker: string) {
  const id = await issuedNotice(h, owner, titleMarker);
  const asked = await h.as(RESPONDER[owner]).post(`/notices/${id}/extensions`, extensionRequest(titleMarker));
  expectStatus(asked, 201, `request an extension of ${id}`);
  return { noticeId: id, extensionId: asked.body.extensions.at(-1).id as string };
}

export function extensionRequest(marker: string) {
  return {
    requestedDueAt: new Date(Date.now() + 120 * DAY).toISOString(),
    reason: `Our data team needs more time to compile the figures (${marker}).`,
  };
}

export async function newSigningKey(): Promise<SigningKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, kid: await calculateJwkThumbprint(jwk) };
}

export async function registeredKey(h: Harness, owner: Owner): Promise<SigningKeyPair> {
  const key = await newSigningKey();
  const registered = await h.as('admin').post(`/platforms/${owner}/signing-keys`, { jwk: key.jwk });
  expectStatus(registered, 201, `register a signing key for ${owner}`);
  return key;
}

const pdf = (text: string) => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

/** Opens a submission with one small file and uploads it through its presigned PUT URL. */
export async function openAndUpload(h: Harness, owner: Owner, noticeId: string, fileName: string) {
  const bytes = pdf(`Response of ${owner} to ${noticeId}`);
  const opened = await h.as(RESPONDER[owner]).post(`/notices/${noticeId}/submissions`, {
    files: [
      {
        name: fileName,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        contentType: 'application/pdf',
      },
    ],
  });
  expectStatus(opened, 201, `open a submission on ${noticeId}`);
  const upload = opened.body.uploads[0];
  const put = await fetch(upload.url, {
    method: 'PUT',
    body: bytes,
    headers: { ...upload.headers, 'content-type': 'application/pdf' },
  });
  if (put.status !== 200) throw new Error(`Upload of ${fileName} through its presigned URL failed: ${put.status}`);
  return { submissionId: opened.body.submission.submissionId as string, bytes };
}

/** A fresh notice with an uploaded response and a manifest signed with the platform's registered key. */
export async function readyToFinalize(h: Harness, f: PlatformFixtures) {
  const noticeId = await issuedNotice(h, f.owner, f.canary);
  const fileName = `${f.canary}-fresh.pdf`;
  const { submissionId, bytes } = await openAndUpload(h, f.owner, noticeId, fileName);
  const manifest = manifestFor(noticeId, submissionId, [
    { name: fileName, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
  ]);
  const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(manifest)))
    .setProtectedHeader({ alg: 'EdDSA', kid: f.key.kid })
    .sign(f.key.privateKey);
  return { noticeId, submissionId, body: { manifest, signature: `${jws.protected}..${jws.signature}` } };
}

export function manifestFor(
  noticeId: string,
  submissionId: string,
  files: { name: string; size: number; sha256: string }[],
) {
  return {
    noticeId,
    submissionId,
    files,
    answers: [
      { question: '1', answer: 'We use hash matching and an in-house classifier on every upload.' },
      { question: '2', cannotAnswer: { reason: 'We do not measure time to action per report category.' } },
    ],
    signer: { name: 'Counsel', title: 'General Counsel' },
    signedAt: new Date().toISOString(),
  };
}

async function inviteUser(h: Harness, request: Record<string, unknown>) {
  const invited = await h.as('admin').post('/users', request);
  expectStatus(invited, 201, `invite ${request.email}`);
  return invited.body as { user: { subject: string; email: string }; temporaryPassword?: string };
}

function devIdpTokenUrl(h: Harness, username: string): string {
  // Not percent-encoded: the dev IdP matches the e-mail literally (`@` is allowed in a path).
  return `${h.portal.url}/dev-idp/token/${username}`;
}

/** Invites a user, then gets a token for them from the dev IdP the way a client would (POST /dev-idp/token/…). */
async function invitedUser(h: Harness, label: string, request: Record<string, unknown>): Promise<DisabledUser> {
  const invited = await inviteUser(h, request);
  if (!invited.temporaryPassword) throw new Error('The local portal should return a temporary password');
  const response = await fetch(devIdpTokenUrl(h, invited.user.email), { method: 'POST' });
  const token = await response.text();
  if (response.status !== 200) throw new Error(`No dev IdP token for ${label}: ${response.status} ${token}`);
  return { label, email: invited.user.email, subject: invited.user.subject, token };
}

function expectStatus(response: Response, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`Fixture step "${what}" answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
}

// ---- leak markers --------------------------------------------------------------------------------------------

/** Values each caller may see only if entitled to: checked in every response body of the matrix. */
export function leakMarkers(f: Fixtures): LeakMarker[] {
  const markers: LeakMarker[] = [];
  for (const owner of OWNERS) {
    const p = f.platforms[owner];
    const add = (value: string, what: string, visibleTo: LeakMarker['visibleTo'] = owner) =>
      markers.push({ value, what: `${owner}'s ${what}`, visibleTo });
    add(owner, 'platform id');
    add(LEGAL_NAME[owner], 'legal name');
    // In every issued title, file name and extension reason of this platform.
    add(p.canary, 'notice title / file name / reason canary');
    add(p.issuedNoticeId, 'issued notice id');
    add(p.infringementNoticeId, 'infringement notice id');
    add(p.submissionId, 'submission id');
    add(p.multipartSubmissionId, 'multipart submission id');
    add(p.key.kid, 'signing key id');
    add(p.key.jwk.x as string, 'signing key');
    // Drafts have not been given to anyone: only regulators see them.
    add(p.draftCanary, 'draft title canary', 'regulators');
    add(p.draftNoticeId, 'draft notice id', 'regulators');
    add(p.throwawayUser.email, 'invited user e-mail', 'regulators');
    add(p.throwawayUser.subject, 'invited user subject', 'regulators');
  }
  markers.push({ value: f.throwawayPlatforms.marker, what: 'throw-away platform names', visibleTo: 'regulators' });
  for (const client of [...Object.values(f.clients), f.revokedClient]) {
    markers.push({ value: client.clientId, what: `${client.owner}'s API client id`, visibleTo: client.owner });
    // Shown once, to the admin who created the client; never again, to anyone.
    markers.push({ value: client.clientSecret, what: `${client.owner}'s API client secret`, visibleTo: 'nobody' });
  }
  for (const key of f.privateKeys) markers.push({ value: key.d, what: key.what, visibleTo: 'nobody' });
  // Stored secrets are never shown, even hashed.
  markers.push({ value: '"secretHash"', what: 'an API client secret hash', visibleTo: 'nobody' });
  markers.push({ value: '"passwordHash"', what: 'a password hash', visibleTo: 'nobody' });
  for (const user of f.disabled) {
    markers.push({ value: user.email, what: `${user.label}'s e-mail`, visibleTo: 'regulators' });
    markers.push({ value: user.subject, what: `${user.label}'s subject`, visibleTo: 'regulators' });
  }
  return markers;
}

// ---- request templates ---------------------------------------------------------------------------------------

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** Sent form-encoded instead of a JSON body (the OAuth token endpoint). */
  form?: Record<string, string>;
  /** Sent exactly as given. */
  raw?: { contentType: string; body: string };
}

export interface BuildContext {
  h: Harness;
  f: Fixtures;
  /** The platform whose resource the request is about (for platform-independent templates: x-corp). */
  owner: Owner;
  p: PlatformFixtures;
}

export interface RequestTemplate {
  /** Unique: the operationId, or `<operationId>:<variant>`. */
  id: string;
  operationId: string;
  /** What is different about this variant, in the test name. */
  variant?: string;
  /** `per-platform`: run for each platform's resources; `global`: once. */
  scope: 'per-platform' | 'global';
  /** Path parameters and query of the request for callers the policy refuses (and for reads). */
  params?(ctx: BuildContext): Record<string, string>;
  query?(ctx: BuildContext): Record<string, string>;
  /** A valid body, so that a refused caller is refused for who they are, not for what they sent. */
  body?(ctx: BuildContext): unknown | Promise<unknown>;
  form?(ctx: BuildContext): Record<string, string>;
  /** Fresh resources for an allowed caller, where the outcome depends on state (issue, acknowledge, …). */
  allowed?(ctx: BuildContext): Promise<{ params?: Record<string, string>; body?: unknown }>;
  /** Statuses an allowed caller may get (a 400/409 here never names access). */
  ok: number[];
}

let sequence = 0;
const next = () => `${Date.now().toString(36)}-${++sequence}`;

const REASON = { reason: 'Issued to the wrong entity; see file note.' };

export const TEMPLATES: RequestTemplate[] = [
  // notices
  {
    id: 'createDraft',
    operationId: 'createDraft',
    scope: 'per-platform',
    body: ({ owner, p }) => transparencyDraft(owner, { title: `Notice ${p.draftCanary}` }),
    ok: [201],
  },
  { id: 'listNotices', operationId: 'listNotices', scope: 'global', ok: [200] },
  {
    id: 'listNotices:own-filter',
    operationId: 'listNotices',
    variant: '?platformId=<the resource platform>',
    scope: 'per-platform',
    query: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'getNotice',
    operationId: 'getNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [200],
  },
  {
    id: 'getNotice:draft',
    operationId: 'getNotice',
    variant: 'a draft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    ok: [200],
  },
  {
    id: 'issueNotice',
    operationId: 'issueNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await draftNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    id: 'acknowledgeNotice',
    operationId: 'acknowledgeNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await issuedNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    id: 'withdrawNotice',
    operationId: 'withdrawNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => REASON,
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await issuedNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    id: 'getNoticeHistory',
    operationId: 'getNoticeHistory',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [200],
  },
  {
    id: 'getNoticeHistory:draft',
    operationId: 'getNoticeHistory',
    variant: 'a draft',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.draftNoticeId }),
    ok: [200],
  },
  // The review steps need a submitted response; on an issued notice an allowed caller gets a 409 (not an access
  // refusal), which is all the matrix asks of them. The filing flow itself is proven in signed-responses tests.
  {
    id: 'startReview',
    operationId: 'startReview',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    ok: [409],
  },
  {
    id: 'requestFurtherInformation',
    operationId: 'requestFurtherInformation',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({
      dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      reason: 'Please give the figures by month.',
    }),
    ok: [409],
  },
  {
    id: 'acceptResponse',
    operationId: 'acceptResponse',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({}),
    ok: [409],
  },
  {
    id: 'closeNotice',
    operationId: 'closeNotice',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({}),
    ok: [409],
  },
  {
    id: 'requestExtension',
    operationId: 'requestExtension',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: ({ p }) => extensionRequest(p.canary),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await issuedNotice(h, owner, p.canary) } }),
    ok: [201],
  },
  {
    id: 'grantExtension',
    operationId: 'grantExtension',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, extensionId: p.extensionId }),
    body: () => ({}),
    allowed: async ({ h, owner, p }) => ({ params: await noticeWithExtension(h, owner, p.canary) }),
    ok: [200],
  },
  {
    id: 'refuseExtension',
    operationId: 'refuseExtension',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, extensionId: p.extensionId }),
    body: () => ({ reason: 'No exceptional circumstances were shown.' }),
    allowed: async ({ h, owner, p }) => ({ params: await noticeWithExtension(h, owner, p.canary) }),
    ok: [200],
  },
  {
    id: 'recordPayment',
    operationId: 'recordPayment',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.infringementNoticeId }),
    body: () => ({
      // Now: a payment must be made no earlier than the notice (issued just before) was given.
      paidAt: new Date().toISOString(),
      amount: { currency: 'AUD', amount: '16500.00' },
      reference: 'BPAY 9988776655',
    }),
    allowed: async ({ h, owner, p }) => ({ params: { noticeId: await infringementNotice(h, owner, p.canary) } }),
    ok: [200],
  },
  {
    // The fixture's infringement notice is not paid: an allowed caller gets 409 (nothing to correct), never 403.
    id: 'correctPayment',
    operationId: 'correctPayment',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.infringementNoticeId }),
    body: () => ({ reason: 'Entered against the wrong notice.', void: true }),
    ok: [409],
  },
  {
    // The time for payment (28 days) has not passed for any fixture: an allowed caller gets 409, never 403.
    id: 'recordNonPayment',
    operationId: 'recordNonPayment',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.infringementNoticeId }),
    body: () => ({ reason: 'Not paid by the time for payment.' }),
    ok: [409],
  },
  // platforms
  {
    id: 'createPlatform',
    operationId: 'createPlatform',
    scope: 'global',
    body: ({ f }) => ({
      platformId: `tp-new-${f.tag}-${next()}`,
      legalName: `${f.throwawayPlatforms.marker} New Platform Pty Ltd`,
      jurisdiction: { country: 'AU' },
      contacts: ['legal@new-platform.example'],
    }),
    ok: [201],
  },
  { id: 'listNoticeTypes', operationId: 'listNoticeTypes', scope: 'global', ok: [200] },
  { id: 'listPlatforms', operationId: 'listPlatforms', scope: 'global', ok: [200] },
  {
    id: 'getPlatform',
    operationId: 'getPlatform',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'renamePlatform',
    operationId: 'renamePlatform',
    scope: 'global',
    params: ({ f }) => ({ platformId: f.throwawayPlatforms.rename }),
    body: ({ f }) => ({
      legalName: `${f.throwawayPlatforms.marker} Renamed Pty Ltd`,
      tradingNames: ['Renamed'],
      reason: 'Rebranded after an acquisition.',
    }),
    ok: [200],
  },
  {
    id: 'changePlatformContacts',
    operationId: 'changePlatformContacts',
    scope: 'global',
    params: ({ f }) => ({ platformId: f.throwawayPlatforms.contacts }),
    body: () => ({ contacts: ['notices@throwaway.example'], reason: 'The legal team moved.' }),
    ok: [200],
  },
  {
    id: 'mergePlatform',
    operationId: 'mergePlatform',
    scope: 'global',
    params: ({ f }) => ({ platformId: f.throwawayPlatforms.merge }),
    body: ({ f }) => ({ into: f.throwawayPlatforms.mergeInto, reason: 'Acquired by its successor.' }),
    ok: [200],
  },
  // users
  {
    id: 'inviteUser',
    operationId: 'inviteUser',
    scope: 'per-platform',
    body: ({ owner, f }) => ({
      email: `invitee-${f.tag}-${next()}@${owner}.example`,
      name: 'Ivy Invitee',
      role: 'platform-responder',
      platformId: owner,
    }),
    ok: [201],
  },
  { id: 'listUsers', operationId: 'listUsers', scope: 'global', ok: [200] },
  {
    id: 'listUsers:platform',
    operationId: 'listUsers',
    variant: '?platformId=<the resource platform>',
    scope: 'per-platform',
    query: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'disableUser',
    operationId: 'disableUser',
    scope: 'per-platform',
    params: ({ p }) => ({ subject: p.throwawayUser.subject }),
    body: () => ({ reason: 'Left the company.' }),
    ok: [200],
  },
  {
    id: 'enableUser',
    operationId: 'enableUser',
    scope: 'per-platform',
    params: ({ p }) => ({ subject: p.throwawayUser.subject }),
    ok: [200],
  },
  // signing keys
  {
    id: 'registerSigningKey',
    operationId: 'registerSigningKey',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    body: async () => ({ jwk: (await newSigningKey()).jwk, label: 'rotation key' }),
    ok: [201],
  },
  {
    id: 'listSigningKeys',
    operationId: 'listSigningKeys',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'revokeSigningKey',
    operationId: 'revokeSigningKey',
    scope: 'per-platform',
    params: ({ owner, p }) => ({ platformId: owner, kid: p.key.kid }),
    body: () => ({ reason: 'Key rotated.' }),
    allowed: async ({ h, owner }) => ({ params: { platformId: owner, kid: (await registeredKey(h, owner)).kid } }),
    ok: [200],
  },
  // machine clients
  {
    // Allowed callers create on a throw-away platform: a platform may have only two active clients.
    id: 'createApiClient',
    operationId: 'createApiClient',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    body: () => ({ label: 'automation' }),
    allowed: async ({ h, f }) => ({ params: { platformId: await throwawayPlatform(h, f) } }),
    ok: [201],
  },
  {
    id: 'listApiClients',
    operationId: 'listApiClients',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'revokeApiClient',
    operationId: 'revokeApiClient',
    scope: 'per-platform',
    params: ({ owner, f }) => ({ platformId: owner, clientId: f.clients[owner].clientId }),
    body: () => ({ reason: 'Secret rotated.' }),
    allowed: async ({ h, f }) => {
      const platformId = await throwawayPlatform(h, f);
      return { params: { platformId, clientId: (await apiClient(h, platformId, 'to revoke')).clientId } };
    },
    ok: [200],
  },
  {
    // Client authentication is by the client's credentials (form or HTTP Basic); a bearer token plays no part.
    id: 'issueAccessToken',
    operationId: 'issueAccessToken',
    scope: 'global',
    form: ({ f }) => ({
      grant_type: 'client_credentials',
      client_id: f.clients['x-corp'].clientId,
      client_secret: f.clients['x-corp'].clientSecret,
    }),
    ok: [200],
  },
  { id: 'getAccessTokenKeys', operationId: 'getAccessTokenKeys', scope: 'global', ok: [200] },
  // submissions
  {
    id: 'openSubmission',
    operationId: 'openSubmission',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId }),
    body: () => ({
      files: [{ name: 'response.pdf', size: 10, sha256: 'a'.repeat(64), contentType: 'application/pdf' }],
    }),
    ok: [201],
  },
  {
    id: 'getSubmission',
    operationId: 'getSubmission',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.submissionId }),
    ok: [200],
  },
  {
    id: 'getUploadUrls',
    operationId: 'getUploadUrls',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.submissionId, fileIndex: '0' }),
    body: () => ({}),
    ok: [200],
  },
  {
    id: 'listUploadedParts',
    operationId: 'listUploadedParts',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.multipartSubmissionId, fileIndex: '0' }),
    ok: [200],
  },
  {
    // No part was uploaded, so S3 refuses to assemble: an allowed caller gets 400 naming the parts.
    id: 'completeFile',
    operationId: 'completeFile',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.multipartSubmissionId, fileIndex: '0' }),
    body: () => ({
      parts: Array.from({ length: MULTIPART_PARTS }, (_, i) => ({ partNumber: i + 1, etag: `"etag-${i + 1}"` })),
    }),
    ok: [400],
  },
  {
    id: 'finalizeSubmission',
    operationId: 'finalizeSubmission',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.submissionId }),
    body: ({ p }) => ({
      manifest: manifestFor(p.issuedNoticeId, p.submissionId, [{ name: p.fileName, size: 1, sha256: '0'.repeat(64) }]),
      signature: 'eyJhbGciOiJFZERTQSJ9..AAAA',
    }),
    allowed: async ({ h, p }) => {
      const ready = await readyToFinalize(h, p);
      return { params: { noticeId: ready.noticeId, submissionId: ready.submissionId }, body: ready.body };
    },
    ok: [200, 202],
  },
  {
    id: 'downloadFile',
    operationId: 'downloadFile',
    scope: 'per-platform',
    params: ({ p }) => ({ noticeId: p.issuedNoticeId, submissionId: p.submissionId, fileIndex: '0' }),
    ok: [200],
  },
  // public
  { id: 'getReceiptKeys', operationId: 'getReceiptKeys', scope: 'global', ok: [200] },
  { id: 'getOpenApi', operationId: 'getOpenApi', scope: 'global', ok: [200] },
  { id: 'getHealth', operationId: 'getHealth', scope: 'global', ok: [200] },
];

export function routeOf(operationId: string) {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`No route ${operationId} in ROUTES`);
  return route;
}

/** Fills `{name}` placeholders; every one must have a value. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`No value for path parameter ${name} of ${path}`);
    return encodeURIComponent(value);
  });
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const crockford = (n: number) => Array.from(randomBytes(n), (b) => CROCKFORD[b % 32]).join('');

/** Well-formed ids that name nothing: a probe with them must be answered exactly as one for a foreign resource. */
export function phantomParams(params: Record<string, string>): Record<string, string> {
  const phantom: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name === 'noticeId') phantom[name] = `ntc_${crockford(26)}`;
    else if (name === 'submissionId') phantom[name] = `sub_${crockford(26)}`;
    else if (name === 'platformId') phantom[name] = `no-such-platform-${randomBytes(3).toString('hex')}`;
    else if (name === 'kid') phantom[name] = base64url.encode(randomBytes(32));
    else if (name === 'subject') phantom[name] = randomUUID();
    else phantom[name] = value; // extensionId, fileIndex: meaningless without the resource
  }
  return phantom;
}

export async function buildRequest(
  template: RequestTemplate,
  ctx: BuildContext,
  options: { allowed: boolean; phantom: boolean },
): Promise<RequestSpec> {
  const route = routeOf(template.operationId);
  const fresh = options.allowed && template.allowed ? await template.allowed(ctx) : {};
  let params = fresh.params ?? template.params?.(ctx) ?? {};
  if (options.phantom) params = phantomParams(params);
  const query = template.query?.(ctx);
  const path = fillPath(route.path, params) + (query ? `?${new URLSearchParams(query)}` : '');
  const body = 'body' in fresh ? fresh.body : await template.body?.(ctx);
  return { method: route.method, path, body, form: template.form?.(ctx) };
}

export async function send(h: Harness, request: RequestSpec, authorization: string | undefined): Promise<Response> {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  let body: string | undefined;
  if (request.raw !== undefined) {
    headers['content-type'] = request.raw.contentType;
    body = request.raw.body;
  } else if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = Object.entries(request.form)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
  } else if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  return h.anonymous().raw(request.path, { method: request.method, headers, body });
}

// ---- tokens --------------------------------------------------------------------------------------------------

/** Ways to present a token that must never be accepted, whoever it names. */
export const HEADER_VARIANTS: { name: string; header: (valid: string) => string | undefined; basic?: true }[] = [
  { name: 'no Authorization header', header: () => undefined },
  {
    name: 'a Basic Authorization header',
    header: () => `Basic ${Buffer.from('officer:secret').toString('base64')}`,
    basic: true,
  },
  { name: 'a bearer value that is not a JWT', header: () => 'Bearer not-a-jwt' },
  { name: 'an empty bearer value', header: () => 'Bearer ' },
  { name: 'two bearer tokens', header: (valid) => `Bearer ${valid} ${valid}` },
];

export interface TokenVariant {
  name: string;
  /** Which callers' tokens it is built from (seeded usernames, or `x-corp-api-client`). */
  appliesTo: readonly string[];
  /** `as-caller`: the token is honoured but the directory decides (expect the caller's normal outcome). */
  expect: 401 | 403 | 'as-caller';
  make(t: TokenKit): Promise<string>;
}

export interface TokenKit {
  h: Harness;
  f: Fixtures;
  /** A good token of the caller, its payload, and the kid and public key of the key that signed it. */
  valid: string;
  payload: JWTPayload;
  kid: string;
  publicJwk: JWK;
  /** A token of the same caller with `overrides` (undefined removes a claim), signed by the portal's own key. */
  mint(overrides: Record<string, unknown>, expiresInSeconds?: number): Promise<string>;
  attacker: { privateKey: KeyLike; jwk: JWK; kid: string };
}

export const MACHINE_CALLER = 'x-corp-api-client';

const b64json = (value: unknown) => base64url.encode(JSON.stringify(value));
const signWith = (payload: JWTPayload, header: Record<string, unknown>, key: KeyLike | Uint8Array) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...header } as never).sign(key);
const hs256 = (t: TokenKit, secret: string) =>
  new SignJWT(t.payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: t.kid })
    .sign(new TextEncoder().encode(secret));

const USERS = ['officer', 'x-corp-legal'] as const;
const ANY = ['officer', 'x-corp-legal', MACHINE_CALLER] as const;
const nowSeconds = () => Math.floor(Date.now() / 1000);

export const TOKEN_VARIANTS: TokenVariant[] = [
  // Anyone's token, presented wrongly or tampered with.
  { name: 'an expired token', appliesTo: ANY, expect: 401, make: (t) => t.mint({}, -120) },
  {
    name: 'a token not valid yet (nbf in an hour)',
    appliesTo: ANY,
    expect: 401,
    make: (t) => t.mint({ nbf: nowSeconds() + 3600 }),
  },
  {
    name: 'a token issued in the future (iat in an hour)',
    appliesTo: ANY,
    expect: 401,
    make: (t) => t.mint({ iat: nowSeconds() + 3600 }, 7200),
  },
  { name: 'a token without exp', appliesTo: ANY, expect: 401, make: (t) => t.mint({ exp: undefined }) },
  { name: 'a token without iat', appliesTo: ANY, expect: 401, make: (t) => t.mint({ iat: undefined }) },
  { name: 'a token without sub', appliesTo: ANY, expect: 401, make: (t) => t.mint({ sub: undefined }) },
  {
    name: 'a token with a flipped signature byte',
    appliesTo: ANY,
    expect: 401,
    make: async (t) => {
      const [header, payload, signature] = t.valid.split('.');
      const bytes = base64url.decode(signature);
      bytes[0] ^= 0x01;
      return `${header}.${payload}.${base64url.encode(bytes)}`;
    },
  },
  {
    name: 'a token with its signature removed',
    appliesTo: ANY,
    expect: 401,
    make: async (t) => `${t.valid.split('.').slice(0, 2).join('.')}.`,
  },
  {
    name: "a token signed by another key under the portal's kid",
    appliesTo: ANY,
    expect: 401,
    make: (t) => signWith(t.payload, { kid: t.kid }, t.attacker.privateKey),
  },
  {
    name: 'a token signed by another key embedded in its header (jwk)',
    appliesTo: ANY,
    expect: 401,
    make: (t) => signWith(t.payload, { kid: t.attacker.kid, jwk: t.attacker.jwk }, t.attacker.privateKey),
  },
  {
    name: 'a token from another issuer',
    appliesTo: ANY,
    expect: 401,
    make: (t) => t.mint({ iss: 'https://evil.example' }),
  },
  { name: 'a token for another audience', appliesTo: ANY, expect: 401, make: (t) => t.mint({ aud: 'another-client' }) },
  {
    name: 'an alg:none token',
    appliesTo: ANY,
    expect: 401,
    make: async (t) => `${b64json({ alg: 'none', typ: 'JWT' })}.${t.valid.split('.')[1]}.`,
  },
  {
    name: "an HS256 token keyed with the portal's public key (x)",
    appliesTo: ANY,
    expect: 401,
    make: (t) => hs256(t, t.publicJwk.x as string),
  },
  {
    name: 'an HS256 token keyed with the whole public JWK',
    appliesTo: ANY,
    expect: 401,
    make: (t) => hs256(t, JSON.stringify(t.publicJwk)),
  },
  // ID tokens (people): Cognito's claims, checked against the directory.
  {
    name: 'an access token (token_use: access)',
    appliesTo: USERS,
    expect: 401,
    make: (t) => t.mint({ token_use: 'access' }),
  },
  { name: 'a token without token_use', appliesTo: USERS, expect: 401, make: (t) => t.mint({ token_use: undefined }) },
  {
    name: 'a token for a subject the portal does not know',
    appliesTo: USERS,
    expect: 401,
    make: (t) => t.mint({ sub: randomUUID() }),
  },
  {
    name: 'a token claiming regulator-admin (directory disagrees)',
    appliesTo: USERS,
    expect: 403,
    make: (t) => t.mint({ 'cognito:groups': ['regulator-admin'] }),
  },
  { name: 'a token with no groups', appliesTo: USERS, expect: 403, make: (t) => t.mint({ 'cognito:groups': [] }) },
  {
    name: 'a token claiming regulator-admin besides its own group (directory role wins)',
    appliesTo: USERS,
    expect: 'as-caller',
    make: (t) =>
      t.mint({ 'cognito:groups': [...((t.payload['cognito:groups'] as string[]) ?? []), 'regulator-admin'] }),
  },
  {
    name: 'a token whose custom:platformId claims videoshare (directory says x-corp)',
    appliesTo: ['x-corp-legal'],
    expect: 403,
    make: (t) => t.mint({ 'custom:platformId': 'videoshare' }),
  },
  {
    name: 'a platform token without custom:platformId',
    appliesTo: ['x-corp-legal'],
    expect: 403,
    make: (t) => t.mint({ 'custom:platformId': undefined }),
  },
  {
    name: 'an ID token naming the machine-token issuer and audience',
    appliesTo: ['x-corp-legal'],
    expect: 401,
    make: (t) => t.mint({ iss: MACHINE_TOKEN_ISSUER, aud: MACHINE_TOKEN_AUDIENCE }),
  },
  {
    name: 'a receipt signed by the regulator, presented as a bearer token',
    appliesTo: ['x-corp-legal'],
    expect: 401,
    make: async (t) => t.f.receiptJws,
  },
  {
    name: 'a regulator token carrying custom:platformId x-corp (ignored for regulators)',
    appliesTo: ['officer'],
    expect: 'as-caller',
    make: (t) => t.mint({ 'custom:platformId': 'x-corp' }),
  },
  {
    name: 'a token claiming platform-responder of x-corp (directory says officer)',
    appliesTo: ['officer'],
    expect: 403,
    make: (t) => t.mint({ 'cognito:groups': ['platform-responder'], 'custom:platformId': 'x-corp' }),
  },
  // Machine tokens (the portal's own access tokens), checked against the client's record.
  {
    name: "a machine token minted with the portal's token key (control)",
    appliesTo: [MACHINE_CALLER],
    expect: 'as-caller',
    make: (t) => t.mint({}),
  },
  {
    name: 'a machine token claiming regulator-admin groups (ignored)',
    appliesTo: [MACHINE_CALLER],
    expect: 'as-caller',
    make: (t) => t.mint({ 'cognito:groups': ['regulator-admin'] }),
  },
  {
    name: "a machine token whose custom:platformId claims videoshare (client is x-corp's)",
    appliesTo: [MACHINE_CALLER],
    expect: 403,
    make: (t) => t.mint({ 'custom:platformId': 'videoshare' }),
  },
  {
    name: 'a machine token whose client_id differs from sub',
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) => t.mint({ client_id: t.f.clients.videoshare.clientId }),
  },
  {
    name: "a machine token naming videoshare's client and platform (forged with another key)",
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) =>
      signWith(
        {
          ...t.payload,
          sub: t.f.clients.videoshare.clientId,
          client_id: t.f.clients.videoshare.clientId,
          'custom:platformId': 'videoshare',
        },
        { kid: t.kid, typ: 'at+jwt' },
        t.attacker.privateKey,
      ),
  },
  {
    name: 'a machine token for a client the portal does not know',
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) => {
      const unknown = `pac_${crockford(26)}`;
      return t.mint({ sub: unknown, client_id: unknown });
    },
  },
  {
    name: 'a fresh machine token for the revoked client',
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) => t.mint({ sub: t.f.revokedClient.clientId, client_id: t.f.revokedClient.clientId }),
  },
  {
    name: 'a machine token with token_use: id',
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: (t) => t.mint({ token_use: 'id' }),
  },
  {
    name: "an ID token for admin signed with the portal's machine-token key",
    appliesTo: [MACHINE_CALLER],
    expect: 401,
    make: async (t) =>
      signWith(decodeJwt(await t.h.portal.identity.tokenFor('admin')), { kid: t.kid }, await machineKey(t.f)),
  },
];

const machineKey = (f: Fixtures) => importJWK(f.tokenKey, 'ES256') as Promise<KeyLike>;

export async function tokenKit(h: Harness, f: Fixtures, caller: string): Promise<TokenKit> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const attackerJwk = await exportJWK(publicKey);
  const attacker = { privateKey, jwk: attackerJwk, kid: await calculateJwkThumbprint(attackerJwk) };
  if (caller === MACHINE_CALLER) {
    const valid = f.clients['x-corp'].token;
    const payload = decodeJwt(valid);
    const { d: _private, ...publicJwk } = f.tokenKey;
    return {
      h,
      f,
      valid,
      payload,
      kid: f.tokenKey.kid as string,
      publicJwk,
      attacker,
      mint: async (overrides, expiresInSeconds = 900) => {
        const now = nowSeconds();
        return new SignJWT({ ...payload, iat: now, exp: now + expiresInSeconds, ...overrides })
          .setProtectedHeader({ alg: 'ES256', kid: f.tokenKey.kid, typ: 'at+jwt' })
          .sign(await machineKey(f));
      },
    };
  }
  const valid = await h.portal.identity.tokenFor(caller);
  const publicJwk = h.portal.identity.jwks.keys[0];
  return {
    h,
    f,
    valid,
    payload: decodeJwt(valid),
    kid: publicJwk.kid as string,
    publicJwk,
    attacker,
    mint: (overrides, expiresInSeconds) =>
      h.portal.identity.tokenFor(caller, overrides, expiresInSeconds === undefined ? {} : { expiresInSeconds }),
  };
}

/** Ways to present client credentials at the token endpoint, with what each must get. */
export interface CredentialVariant {
  name: string;
  /** Acceptable statuses (OAuth error format). */
  statuses: number[];
  /** Refusals that must be indistinguishable from the one for an unknown client. */
  sameAsUnknownClient?: true;
  request(f: Fixtures): { spec: RequestSpec; authorization?: string };
}

const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export const CREDENTIAL_VARIANTS: CredentialVariant[] = [
  {
    name: 'valid credentials in HTTP Basic',
    statuses: [200],
    request: (f) => ({
      spec: tokenRequest({}),
      authorization: basicAuth(f.clients.videoshare.clientId, f.clients.videoshare.clientSecret),
    }),
  },
  {
    name: 'a wrong secret',
    statuses: [401],
    sameAsUnknownClient: true,
    request: (f) => ({
      spec: tokenRequest({ client_id: f.clients['x-corp'].clientId, client_secret: 'wrong-secret' }),
    }),
  },
  {
    name: "x-corp's client id with videoshare's secret",
    statuses: [401],
    sameAsUnknownClient: true,
    request: (f) => ({
      spec: tokenRequest({ client_id: f.clients['x-corp'].clientId, client_secret: f.clients.videoshare.clientSecret }),
    }),
  },
  {
    name: "a revoked client's own credentials",
    statuses: [401],
    sameAsUnknownClient: true,
    request: (f) => ({
      spec: tokenRequest({ client_id: f.revokedClient.clientId, client_secret: f.revokedClient.clientSecret }),
    }),
  },
  {
    name: 'a wrong secret in HTTP Basic',
    statuses: [401],
    sameAsUnknownClient: true,
    request: (f) => ({ spec: tokenRequest({}), authorization: basicAuth(f.clients['x-corp'].clientId, 'wrong') }),
  },
  {
    name: "a user's ID token instead of client credentials",
    statuses: [401],
    request: (f) => ({ spec: tokenRequest({}), authorization: `Bearer ${f.disabled[0].token}` }),
  },
  { name: 'no credentials', statuses: [401], request: () => ({ spec: tokenRequest({}) }) },
  {
    name: 'a password grant',
    statuses: [400],
    request: (f) => ({
      spec: tokenRequest({
        grant_type: 'password',
        client_id: f.clients['x-corp'].clientId,
        client_secret: f.clients['x-corp'].clientSecret,
      }),
    }),
  },
  {
    name: 'a JSON body instead of a form',
    statuses: [400],
    request: (f) => ({
      spec: {
        method: 'POST',
        path: '/oauth2/token',
        body: {
          grant_type: 'client_credentials',
          client_id: f.clients['x-corp'].clientId,
          client_secret: f.clients['x-corp'].clientSecret,
        },
      },
    }),
  },
  {
    // A client mistake is a 4xx (invalid_client or invalid_request), never a 500.
    name: 'a malformed percent-escape in the secret (HTTP Basic)',
    statuses: [400, 401],
    request: (f) => ({ spec: tokenRequest({}), authorization: basicAuth(f.clients['x-corp'].clientId, '%') }),
  },
  {
    name: 'a malformed percent-escape in the secret (form)',
    statuses: [400, 401],
    request: (f) => ({
      spec: {
        method: 'POST',
        path: '/oauth2/token',
        // Raw, so that the escape reaches the portal malformed.
        raw: {
          contentType: 'application/x-www-form-urlencoded',
          body: `grant_type=client_credentials&client_id=${f.clients['x-corp'].clientId}&client_secret=%E0%A4%A`,
        },
      },
    }),
  },
];

export const unknownClientRequest = (): RequestSpec =>
  tokenRequest({ client_id: `pac_${crockford(26)}`, client_secret: 'whatever-secret' });
