import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { defined } from '../../../support/defined';
import type { Harness } from '../portal-harness';
import { expectStatus } from './expect-status';
import {
  type ApiClientFixture,
  type DisabledUser,
  type Fixtures,
  MULTIPART_PARTS,
  MULTIPART_SIZE,
  type PlatformFixtures,
} from './fixtures';
import { OWNERS, type Owner, RESPONDER } from './owners';
import { send, tokenRequest } from './requests';
import {
  draftNotice,
  extensionRequest,
  infringementNotice,
  issuedNotice,
  openAndUpload,
  readyToFinalize,
  registeredKey,
} from './resources';
import { next } from './unique-ids';

/**
 * Setting up the access matrix's fixtures (tests/integration/access-matrix.test.ts); the request templates are in
 * request-templates.ts, the token and credential variants in token-variants.ts and credential-variants.ts.
 *
 * Everything is set up once, through the API, for each of the two seeded platforms (so every tenant-scoped route is
 * tried on x-corp's resources and on videoshare's): an issued notice with a pending extension, a draft, an issued
 * infringement notice, a registered signing key, an open submission with one uploaded file, a multipart submission,
 * and a throw-away user. Routes that change shared records (rename, contacts, merge) act on throw-away platforms.
 * Callers the policy allows get fresh resources where the outcome depends on state, so the order in which the
 * matrix runs never changes what a case proves.
 */

export async function setUpFixtures(h: Harness): Promise<Fixtures> {
  const tag = randomBytes(4).toString('hex');
  const marker = `THROWAWAY-${tag}`;
  const throwaway = {
    rename: `tp-rename-${tag}`,
    contacts: `tp-contacts-${tag}`,
    merge: `tp-merge-${tag}`,
    mergeInto: `tp-into-${tag}`,
  };
  const [xCorpFixtures, videoshareFixtures] = await Promise.all(OWNERS.map((owner) => platformFixtures(h, owner, tag)));
  const xCorp = defined(xCorpFixtures, 'the x-corp fixtures');
  const videoshare = defined(videoshareFixtures, 'the videoshare fixtures');
  await onboardThrowawayPlatforms(h, Object.values(throwaway), marker);
  const { disabled, tokenAfterDisable } = await disabledUsers(h, tag, xCorp);
  const { clients, revokedClient } = await machineClients(h, xCorp);
  const receiptJws = await filedReceipt(h, xCorp);
  const { tokenKey, privateKeys } = portalPrivateKeys(h);
  // A signed checkpoint covering the fixtures, so the checkpoint reads have something to return.
  expectStatus(await h.anonymous().post('/dev/checkpoints/run'), 200, 'a checkpoint run');
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
    receiptJws,
    privateKeys,
    tokenKey,
  };
}

async function onboardThrowawayPlatforms(h: Harness, platformIds: string[], marker: string): Promise<void> {
  const admin = h.as('admin');
  await Promise.all(
    platformIds.map(async (platformId) =>
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
}

/** Users whose token was good until they were disabled, and what the dev IdP answers them after. */
async function disabledUsers(
  h: Harness,
  tag: string,
  xCorp: PlatformFixtures,
): Promise<{ disabled: DisabledUser[]; tokenAfterDisable: number[] }> {
  const admin = h.as('admin');
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
  return { disabled, tokenAfterDisable };
}

/** A machine client for each platform, and an x-corp one revoked after its token was issued. */
async function machineClients(
  h: Harness,
  xCorp: PlatformFixtures,
): Promise<{ clients: Record<Owner, ApiClientFixture>; revokedClient: ApiClientFixture }> {
  const admin = h.as('admin');
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

  return { clients, revokedClient };
}

/** Files a response, for a receipt every platform holds (a JWS that must never pass as a bearer token). */
async function filedReceipt(h: Harness, xCorp: PlatformFixtures): Promise<string> {
  const ready = await readyToFinalize(h, xCorp);
  const filed = await h
    .as('x-corp-legal')
    .post(`/notices/${ready.noticeId}/submissions/${ready.submissionId}/finalize`, ready.body);
  expectStatus(filed, 200, 'file a response to get a receipt');

  return filed.body.receipt.jws;
}

/** The portal's private keys, read from its data directory: none may ever appear in a response. */
function portalPrivateKeys(h: Harness): { tokenKey: JWK; privateKeys: Fixtures['privateKeys'] } {
  const keyFile = (name: string) => JSON.parse(readFileSync(join(h.dataDir, name), 'utf8')) as JWK;
  const tokenKey = keyFile('token-key.json');
  const privateKeys = [
    { what: 'dev IdP private key', d: keyFile('dev-identity-key.json').d as string },
    { what: 'receipt private key', d: keyFile('receipt-key.json').d as string },
    { what: 'machine-token private key', d: tokenKey.d as string },
  ];
  return { tokenKey, privateKeys };
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
  const responseDraftCanary = `WORKINPROGRESS-${owner}-${tag}`;
  const saved = await responder.post(`/notices/${issuedNoticeId}/response-draft`, {
    expectedVersion: 0,
    answers: [{ question: '1', answer: `Work in progress: ${responseDraftCanary}` }],
  });
  expectStatus(saved, 200, `save a response draft for ${owner}'s notice`);
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
  const bundle = await h.as('officer').post(`/notices/${issuedNoticeId}/evidence-bundles`, { files: 'hashes-only' });
  expectStatus(bundle, 202, `request an evidence bundle of ${owner}'s notice`);
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
    responseDraftCanary,
    extensionId,
    draftNoticeId,
    infringementNoticeId,
    key,
    submissionId,
    fileName,
    multipartSubmissionId: multipart.body.submission.submissionId,
    multipartFileName,
    bundleId: bundle.body.bundleId,
    throwawayUser: { subject: throwawayUser.user.subject, email: throwawayUser.user.email },
  };
}

export async function inviteUser(h: Harness, request: Record<string, unknown>) {
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
