import { actsFor, type Caller } from '../../lambdas/domain/caller';
import { NO_HOLIDAYS } from '../../lambdas/domain/deadline-engine';
import { DirectoryService, resolveCaller } from '../../lambdas/domain/directory-service';
import { Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed } from '../../lambdas/domain/errors';
import { newNoticeId, noticeIdForIdempotencyKey } from '../../lambdas/domain/ids';
import { DEFAULT_CATALOGUE } from '../../lambdas/domain/notice-catalogue';
import { canSee } from '../../lambdas/domain/notice-lifecycle';
import { NoticeService } from '../../lambdas/domain/notice-service';
import type { Platform, PortalUser } from '../../lambdas/domain/platforms';
import { InMemoryDirectoryStore, RecordingIdentityAdmin } from '../support/in-memory-directory-store';
import { InMemoryNoticeStore } from '../support/in-memory-notice-store';
import {
  admin,
  HOUR,
  noticeInStatus,
  officer,
  rejectionOf,
  TestClock,
  transparencyDraft,
  xCorpLegal,
} from '../support/notice-fixtures';

const START = '2026-11-24T03:00:00.000Z';
const adminActor = { subject: admin.subject, name: admin.name, role: 'regulator-admin' };

function directoryForTest(store = new InMemoryDirectoryStore()) {
  const identity = new RecordingIdentityAdmin();
  const clock = new TestClock(START);
  const service = new DirectoryService({ store, identity, clock: clock.now });
  return { service, store, identity, clock };
}

function platformRequest(platformId: string, legalName: string) {
  return {
    platformId,
    legalName,
    tradingNames: [] as string[],
    jurisdiction: { country: 'US' },
    contacts: [`legal@${platformId}.example`],
  };
}

/** A directory record, as an admin's invitation would have written it. */
function userRecord(overrides: Partial<PortalUser> & Pick<PortalUser, 'subject' | 'role'>): PortalUser {
  return {
    email: `${overrides.subject}@example.org`,
    name: overrides.subject,
    status: 'active',
    invitedAt: START,
    invitedBy: adminActor as PortalUser['invitedBy'],
    ...overrides,
  };
}

/** A caller as the token verifier establishes it, before the directory is consulted. */
function tokenCaller(subject: string, roles: Caller['roles'], platformId?: string): Caller {
  return { subject, roles, platformId };
}

describe('who may change the directory', () => {
  const changes: [string, (service: DirectoryService, caller: Caller) => Promise<unknown>][] = [
    ['onboard a platform', (s, c) => s.createPlatform(c, platformRequest('videoshare', 'VideoShare Pty Ltd'))],
    [
      'rename a platform',
      (s, c) => s.renamePlatform(c, 'x-corp', { legalName: 'Y Corp.', tradingNames: [], reason: 'rebrand' }),
    ],
    ['change contacts', (s, c) => s.changeContacts(c, 'x-corp', { contacts: ['a@b.example'], reason: 'new desk' })],
    ['merge platforms', (s, c) => s.mergePlatform(c, 'twitter', { into: 'x-corp', reason: 'acquisition' })],
    ['invite a user', (s, c) => s.inviteUser(c, { email: 'new@example.org', name: 'New', role: 'regulator-officer' })],
    ['list users', (s, c) => s.listUsers(c)],
    ['disable a user', (s, c) => s.disableUser(c, 'sub-victim', 'left the team')],
    ['enable a user', (s, c) => s.enableUser(c, 'sub-victim')],
  ];
  const outsiders: [string, Caller][] = [
    ['a regulator officer', officer],
    ['a platform user', xCorpLegal],
  ];
  const cases = changes.flatMap(([what, act]) => outsiders.map(([who, caller]) => [who, what, act, caller] as const));

  it.each(cases)('refuses %s who tries to %s, and changes nothing', async (_who, _what, act, caller) => {
    // Prepare
    const { service, store, identity } = directoryForTest();
    await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));
    await service.createPlatform(admin, platformRequest('twitter', 'Twitter, Inc.'));
    await store.createUser(userRecord({ subject: 'sub-victim', role: 'regulator-officer' }));
    const before = { platforms: await store.listPlatforms(), users: await store.listUsers() };

    // Act (wrapped: how the refusal is delivered is pinned separately below)
    const error = await rejectionOf(Promise.resolve().then(() => act(service, caller)));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
    expect({ platforms: await store.listPlatforms(), users: await store.listUsers() }).toEqual(before);
    expect(identity.calls).toEqual([]);
  });

  it.each([
    [
      'rename',
      (s: DirectoryService) => s.renamePlatform(officer, 'x-corp', { legalName: 'Y', tradingNames: [], reason: 'x' }),
    ],
    ['change contacts', (s: DirectoryService) => s.changeContacts(officer, 'x-corp', { contacts: [], reason: 'x' })],
  ])('delivers the refusal to %s as a rejected promise, as every other method does', async (_what, act) => {
    // Prepare
    const { service } = directoryForTest();
    let thrownSynchronously: unknown;

    // Act
    let returned: Promise<unknown> | undefined;
    try {
      returned = act(service);
    } catch (error) {
      thrownSynchronously = error;
    }

    // Assess
    expect(thrownSynchronously).toBeUndefined();
    expect(await rejectionOf(returned ?? Promise.resolve())).toBeInstanceOf(Forbidden);
  });

  it('lets regulator officers list platforms but not platform users', async () => {
    // Prepare
    const { service } = directoryForTest();
    await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));

    // Act
    const listed = await service.listPlatforms(officer);
    const error = await rejectionOf(service.listPlatforms(xCorpLegal));

    // Assess
    expect(listed.map((p) => p.platformId)).toEqual(['x-corp']);
    expect(error).toBeInstanceOf(Forbidden);
  });

  it("shows a platform user their own platform and reports another's as not found", async () => {
    // Prepare
    const { service } = directoryForTest();
    await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));
    await service.createPlatform(admin, platformRequest('videoshare', 'VideoShare Pty Ltd'));

    // Act
    const own = await service.getPlatform(xCorpLegal, 'x-corp');
    const error = await rejectionOf(service.getPlatform(xCorpLegal, 'videoshare'));

    // Assess
    expect(own.legalName).toBe('X Corp.');
    expect(error).toBeInstanceOf(NotFound);
  });
});

describe('onboarding a platform', () => {
  it('creates an active platform at version 1 with an onboarding record naming the admin', async () => {
    // Prepare
    const { service } = directoryForTest();

    // Act
    const { platform, created } = await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));

    // Assess
    expect(created).toBe(true);
    expect(platform).toMatchObject({
      platformId: 'x-corp',
      legalName: 'X Corp.',
      status: 'active',
      predecessors: [],
      version: 1,
      createdAt: START,
      contacts: ['legal@x-corp.example'],
    });
    expect(platform.provenance).toEqual([
      { at: START, by: adminActor, kind: 'onboarded', details: { legalName: 'X Corp.' } },
    ]);
  });

  it('answers a repeated onboarding with the same legal name with the existing platform', async () => {
    // Prepare
    const { service, store, clock } = directoryForTest();
    const { platform: first } = await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));
    clock.advance(HOUR);

    // Act
    const { platform, created } = await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));

    // Assess
    expect(created).toBe(false);
    expect(platform).toEqual(first);
    expect((await store.getPlatform('x-corp'))?.provenance).toHaveLength(1);
  });

  it('refuses an id already taken by a platform with another legal name (409) and keeps the first', async () => {
    // Prepare
    const { service, store } = directoryForTest();
    await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));

    // Act
    const error = await rejectionOf(service.createPlatform(admin, platformRequest('x-corp', 'Xylophone Ltd')));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect(error).toMatchObject({ reason: 'illegal-transition' });
    expect((await store.getPlatform('x-corp'))?.legalName).toBe('X Corp.');
  });
});

describe('renaming a platform', () => {
  it('keeps the id and records who renamed it, when, why, and from what to what', async () => {
    // Prepare
    const { service, store, clock } = directoryForTest();
    await service.createPlatform(admin, {
      ...platformRequest('x-corp', 'Twitter, Inc.'),
      tradingNames: ['Twitter'],
    });
    clock.advance(HOUR);

    // Act
    const renamed = await service.renamePlatform(admin, 'x-corp', {
      legalName: 'X Corp.',
      tradingNames: ['X'],
      reason: 'Renamed after the acquisition',
    });

    // Assess
    expect(renamed).toMatchObject({ platformId: 'x-corp', legalName: 'X Corp.', tradingNames: ['X'], version: 2 });
    expect(await store.getPlatform('x-corp')).toEqual(renamed);
    expect(renamed.provenance.at(-1)).toEqual({
      at: '2026-11-24T04:00:00.000Z',
      by: adminActor,
      kind: 'renamed',
      reason: 'Renamed after the acquisition',
      details: {
        from: { legalName: 'Twitter, Inc.', tradingNames: ['Twitter'] },
        to: { legalName: 'X Corp.', tradingNames: ['X'] },
      },
    });
  });

  it('reports an unknown platform as not found', async () => {
    // Prepare
    const { service } = directoryForTest();

    // Act
    const error = await rejectionOf(
      service.renamePlatform(admin, 'nobody', { legalName: 'Nobody Ltd', tradingNames: [], reason: 'typo' }),
    );

    // Assess
    expect(error).toBeInstanceOf(NotFound);
  });

  it('records the contacts before and after a change of contacts', async () => {
    // Prepare
    const { service } = directoryForTest();
    await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));

    // Act
    const changed = await service.changeContacts(admin, 'x-corp', {
      contacts: ['notices@x.example'],
      reason: 'New legal desk',
    });

    // Assess
    expect(changed.contacts).toEqual(['notices@x.example']);
    expect(changed.provenance.at(-1)).toMatchObject({
      kind: 'contacts-changed',
      by: adminActor,
      reason: 'New legal desk',
      details: { from: ['legal@x-corp.example'], to: ['notices@x.example'] },
    });
  });
});

describe('merging platforms', () => {
  async function threePlatforms() {
    const portal = directoryForTest();
    for (const [id, name] of [
      ['vine', 'Vine Labs'],
      ['twitter', 'Twitter, Inc.'],
      ['x-corp', 'X Corp.'],
    ] as const) {
      await portal.service.createPlatform(admin, platformRequest(id, name));
    }
    return portal;
  }

  it('gives the successor the merged platform and its predecessors, and records the merger on both', async () => {
    // Prepare
    const { service, store } = await threePlatforms();
    await service.mergePlatform(admin, 'vine', { into: 'twitter', reason: 'Vine folded into Twitter' });

    // Act
    const merged = await service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' });

    // Assess
    const successor = await store.getPlatform('x-corp');
    expect(successor?.status).toBe('active');
    expect(successor?.predecessors).toEqual(expect.arrayContaining(['twitter', 'vine']));
    expect(successor?.predecessors).toHaveLength(2);
    expect(successor?.provenance.at(-1)).toMatchObject({
      kind: 'absorbed',
      by: adminActor,
      reason: 'Acquisition',
      details: { platformId: 'twitter', legalName: 'Twitter, Inc.' },
    });
    expect(merged).toMatchObject({ platformId: 'twitter', status: 'merged', mergedInto: 'x-corp' });
    expect(await store.getPlatform('twitter')).toEqual(merged);
    expect(merged.provenance.at(-1)).toMatchObject({
      kind: 'merged-into',
      by: adminActor,
      reason: 'Acquisition',
      details: { platformId: 'x-corp' },
    });
  });

  it('refuses to merge a platform into itself', async () => {
    // Prepare
    const { service, store } = await threePlatforms();
    const before = await store.listPlatforms();

    // Act
    const error = await rejectionOf(service.mergePlatform(admin, 'x-corp', { into: 'x-corp', reason: 'oops' }));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([expect.objectContaining({ path: 'into' })]);
    expect(await store.listPlatforms()).toEqual(before);
  });

  it.each([
    ['an unknown platform', 'nobody'],
    ['a platform that was itself merged', 'vine'],
  ])('refuses to merge into %s and changes nothing', async (_what, into) => {
    // Prepare
    const { service, store } = await threePlatforms();
    await service.mergePlatform(admin, 'vine', { into: 'x-corp', reason: 'Vine folded into X' });
    const before = await store.listPlatforms();

    // Act
    const error = await rejectionOf(service.mergePlatform(admin, 'twitter', { into, reason: 'Acquisition' }));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([expect.objectContaining({ path: 'into' })]);
    expect(await store.listPlatforms()).toEqual(before);
  });

  it('refuses to merge a platform already merged into a different one', async () => {
    // Prepare
    const { service, store } = await threePlatforms();
    await service.mergePlatform(admin, 'vine', { into: 'twitter', reason: 'Vine folded into Twitter' });
    const before = await store.listPlatforms();

    // Act
    const error = await rejectionOf(service.mergePlatform(admin, 'vine', { into: 'x-corp', reason: 'Again' }));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect(await store.listPlatforms()).toEqual(before);
  });

  it('answers a repeated merge with the same result and records it only once', async () => {
    // Prepare
    const { service, store, clock } = await threePlatforms();
    const first = await service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' });
    const successorAfterFirst = await store.getPlatform('x-corp');
    clock.advance(HOUR);

    // Act
    const again = await service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' });

    // Assess
    expect(again).toEqual(first);
    expect(await store.getPlatform('x-corp')).toEqual(successorAfterFirst);
    expect(successorAfterFirst?.predecessors).toEqual(['twitter']);
    expect(successorAfterFirst?.provenance.filter((p) => p.kind === 'absorbed')).toHaveLength(1);
    expect((await store.getPlatform('twitter'))?.provenance.filter((p) => p.kind === 'merged-into')).toHaveLength(1);
  });

  it('completes, when retried, a merge interrupted after the successor was updated', async () => {
    // Prepare
    class CrashingStore extends InMemoryDirectoryStore {
      crashOnReplaceOf?: string;
      override async replacePlatform(platform: Platform, expectedVersion: number): Promise<boolean> {
        if (platform.platformId === this.crashOnReplaceOf) {
          this.crashOnReplaceOf = undefined;
          throw new Error('Lambda timed out');
        }
        return super.replacePlatform(platform, expectedVersion);
      }
    }
    const store = new CrashingStore();
    const { service } = directoryForTest(store);
    await service.createPlatform(admin, platformRequest('twitter', 'Twitter, Inc.'));
    await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));
    store.crashOnReplaceOf = 'twitter';
    await rejectionOf(service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' }));
    expect((await store.getPlatform('x-corp'))?.predecessors).toEqual(['twitter']);
    expect((await store.getPlatform('twitter'))?.status).toBe('active');

    // Act
    const merged = await service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' });

    // Assess
    expect(merged).toMatchObject({ status: 'merged', mergedInto: 'x-corp' });
    expect((await store.getPlatform('twitter'))?.status).toBe('merged');
    const successor = await store.getPlatform('x-corp');
    expect(successor?.predecessors).toEqual(['twitter']);
    expect(successor?.provenance.filter((p) => p.kind === 'absorbed')).toHaveLength(1);
  });
});

describe('inviting users', () => {
  async function withPlatforms() {
    const portal = directoryForTest();
    await portal.service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));
    await portal.service.createPlatform(admin, platformRequest('twitter', 'Twitter, Inc.'));
    await portal.service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' });
    return portal;
  }

  it.each([
    ['a platform-responder without a platform', { role: 'platform-responder' as const }],
    ['a platform-responder of an unknown platform', { role: 'platform-responder' as const, platformId: 'nobody' }],
    ['a platform-responder of a merged platform', { role: 'platform-responder' as const, platformId: 'twitter' }],
    ['a regulator officer with a platform', { role: 'regulator-officer' as const, platformId: 'x-corp' }],
    ['a regulator admin with a platform', { role: 'regulator-admin' as const, platformId: 'x-corp' }],
  ])('refuses to invite %s, before any account is created', async (_what, roleAndPlatform) => {
    // Prepare
    const { service, store, identity } = await withPlatforms();

    // Act
    const error = await rejectionOf(
      service.inviteUser(admin, { email: 'new@example.org', name: 'New Person', ...roleAndPlatform }),
    );

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([expect.objectContaining({ path: 'platformId' })]);
    expect(identity.calls).toEqual([]);
    expect(await store.listUsers()).toEqual([]);
  });

  it('creates the account at the identity provider and the directory record under its subject', async () => {
    // Prepare
    const { service, store, identity } = await withPlatforms();
    const request = {
      email: 'counsel@x.example',
      name: 'Xavier Counsel',
      role: 'platform-responder' as const,
      platformId: 'x-corp',
    };

    // Act
    const { user, temporaryPassword } = await service.inviteUser(admin, request);

    // Assess
    expect(identity.calls).toEqual([{ op: 'createUser', user: request }]);
    expect(user).toEqual({
      subject: 'idp-sub-1',
      email: 'counsel@x.example',
      name: 'Xavier Counsel',
      role: 'platform-responder',
      platformId: 'x-corp',
      status: 'active',
      invitedAt: START,
      invitedBy: adminActor,
    });
    expect(await store.getUser('idp-sub-1')).toEqual(user);
    expect(temporaryPassword).toBe('Temp-1!');
  });

  it('invites a regulator officer with no platform', async () => {
    // Prepare
    const { service, store } = await withPlatforms();

    // Act
    const { user } = await service.inviteUser(admin, {
      email: 'oscar@regulator.example',
      name: 'Oscar Officer',
      role: 'regulator-officer',
    });

    // Assess
    expect(user).toMatchObject({ role: 'regulator-officer', status: 'active' });
    expect(user.platformId).toBeUndefined();
    expect(await store.getUser(user.subject)).toEqual(user);
  });
});

describe('disabling and enabling users', () => {
  async function withUser() {
    const portal = directoryForTest();
    await portal.store.createUser(userRecord({ subject: 'sub-olive', role: 'regulator-officer' }));
    return portal;
  }

  it('records who disabled the user, when and why, and disables the account at the identity provider', async () => {
    // Prepare
    const { service, store, identity, clock } = await withUser();
    clock.advance(HOUR);

    // Act
    const disabled = await service.disableUser(admin, 'sub-olive', 'Left the regulator');

    // Assess
    expect(disabled).toMatchObject({
      status: 'disabled',
      disabledAt: '2026-11-24T04:00:00.000Z',
      disabledBy: adminActor,
      disabledReason: 'Left the regulator',
    });
    expect(await store.getUser('sub-olive')).toEqual(disabled);
    expect(identity.calls).toEqual([
      { op: 'disableUser', user: { subject: 'sub-olive', email: 'sub-olive@example.org' } },
    ]);
  });

  it('refuses to let an admin disable themselves', async () => {
    // Prepare
    const { service, store, identity } = directoryForTest();
    await store.createUser(userRecord({ subject: admin.subject, role: 'regulator-admin' }));

    // Act
    const error = await rejectionOf(service.disableUser(admin, admin.subject, 'Testing the lock-out'));

    // Assess
    expect(error).toBeInstanceOf(Conflict);
    expect((await store.getUser(admin.subject))?.status).toBe('active');
    expect(identity.calls).toEqual([]);
  });

  it('reports an unknown user as not found', async () => {
    // Prepare
    const { service, identity } = directoryForTest();

    // Act
    const error = await rejectionOf(service.disableUser(admin, 'sub-nobody', 'Never existed'));

    // Assess
    expect(error).toBeInstanceOf(NotFound);
    expect(identity.calls).toEqual([]);
  });

  it('enables a disabled user again and forgets the disabling', async () => {
    // Prepare
    const { service, store, identity } = await withUser();
    await service.disableUser(admin, 'sub-olive', 'On leave');

    // Act
    await service.enableUser(admin, 'sub-olive');

    // Assess
    const user = await store.getUser('sub-olive');
    expect(user?.status).toBe('active');
    expect(user).not.toHaveProperty('disabledAt');
    expect(user).not.toHaveProperty('disabledBy');
    expect(identity.calls.map((c) => c.op)).toEqual(['disableUser', 'enableUser']);
  });
});

describe('resolveCaller', () => {
  async function directoryWithPeople() {
    const portal = directoryForTest();
    const { service, store } = portal;
    await service.createPlatform(admin, platformRequest('vine', 'Vine Labs'));
    await service.createPlatform(admin, platformRequest('twitter', 'Twitter, Inc.'));
    await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));
    await service.mergePlatform(admin, 'vine', { into: 'twitter', reason: 'Vine folded into Twitter' });
    await service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' });
    await store.createUser(userRecord({ subject: 'sub-officer', role: 'regulator-officer' }));
    await store.createUser(userRecord({ subject: 'sub-x', role: 'platform-responder', platformId: 'x-corp' }));
    await store.createUser(userRecord({ subject: 'sub-tw', role: 'platform-responder', platformId: 'twitter' }));
    return portal;
  }

  it('refuses a subject the directory does not know', async () => {
    // Prepare
    const { store } = await directoryWithPeople();

    // Act
    const error = await rejectionOf(resolveCaller(store, tokenCaller('sub-stranger', ['regulator-officer'])));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
  });

  it('refuses a disabled user whose token has not expired', async () => {
    // Prepare
    const { service, store } = await directoryWithPeople();
    await service.disableUser(admin, 'sub-x', 'Left X Corp.');

    // Act
    const error = await rejectionOf(resolveCaller(store, tokenCaller('sub-x', ['platform-responder'], 'x-corp')));

    // Assess
    expect(error).toBeInstanceOf(Unauthenticated);
  });

  it("refuses a token whose role is not the user's recorded role", async () => {
    // Prepare
    const { store } = await directoryWithPeople();

    // Act
    const error = await rejectionOf(resolveCaller(store, tokenCaller('sub-officer', ['regulator-admin'])));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
  });

  it("refuses a platform user whose token names another platform than the user's record", async () => {
    // Prepare
    const { store } = await directoryWithPeople();

    // Act
    const error = await rejectionOf(resolveCaller(store, tokenCaller('sub-tw', ['platform-responder'], 'x-corp')));

    // Assess
    expect(error).toBeInstanceOf(Forbidden);
  });

  it('clears any platform from a regulator and keeps only the recorded role', async () => {
    // Prepare
    const { store } = await directoryWithPeople();

    // Act
    const caller = await resolveCaller(store, {
      subject: 'sub-officer',
      roles: ['regulator-officer', 'platform-responder'],
      platformId: 'x-corp',
    });

    // Assess
    expect(caller.roles).toEqual(['regulator-officer']);
    expect(caller.platformId).toBeUndefined();
    expect(actsFor(caller, 'x-corp')).toBe(false);
  });

  it('gives a platform user their own platform and every platform merged into it', async () => {
    // Prepare
    const { store } = await directoryWithPeople();

    // Act
    const successor = await resolveCaller(store, tokenCaller('sub-x', ['platform-responder'], 'x-corp'));
    const predecessor = await resolveCaller(store, tokenCaller('sub-tw', ['platform-responder'], 'twitter'));

    // Assess
    expect(successor.platformIds?.[0]).toBe('x-corp');
    expect([...(successor.platformIds ?? [])].sort()).toEqual(['twitter', 'vine', 'x-corp']);
    expect(predecessor.platformIds).toEqual(['twitter', 'vine']);
  });
});

describe('who sees which notices after a merge', () => {
  async function mergedCallers() {
    const { service, store } = directoryForTest();
    await service.createPlatform(admin, platformRequest('twitter', 'Twitter, Inc.'));
    await service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));
    await service.createPlatform(admin, platformRequest('videoshare', 'VideoShare Pty Ltd'));
    await service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' });
    await store.createUser(userRecord({ subject: 'sub-x', role: 'platform-responder', platformId: 'x-corp' }));
    await store.createUser(userRecord({ subject: 'sub-tw', role: 'platform-responder', platformId: 'twitter' }));
    await store.createUser(userRecord({ subject: 'sub-vs', role: 'platform-responder', platformId: 'videoshare' }));
    return {
      successorUser: await resolveCaller(store, tokenCaller('sub-x', ['platform-responder'], 'x-corp')),
      predecessorUser: await resolveCaller(store, tokenCaller('sub-tw', ['platform-responder'], 'twitter')),
      otherUser: await resolveCaller(store, tokenCaller('sub-vs', ['platform-responder'], 'videoshare')),
    };
  }

  it("lets the successor's users see the merged platform's issued notices", async () => {
    // Prepare
    const { successorUser } = await mergedCallers();
    const notice = noticeInStatus('issued', 'twitter');

    // Act
    const visible = canSee(successorUser, notice);

    // Assess
    expect(visible).toBe(true);
    expect(actsFor(successorUser, 'twitter')).toBe(true);
  });

  it("never shows the merged platform's drafts to the successor's users", async () => {
    // Prepare
    const { successorUser } = await mergedCallers();

    // Act
    const visible = canSee(successorUser, noticeInStatus('draft', 'twitter'));

    // Assess
    expect(visible).toBe(false);
  });

  it("still shows the merged platform's users their own notices, and not the successor's", async () => {
    // Prepare
    const { predecessorUser } = await mergedCallers();

    // Act
    const own = canSee(predecessorUser, noticeInStatus('acknowledged', 'twitter'));
    const successors = canSee(predecessorUser, noticeInStatus('issued', 'x-corp'));

    // Assess
    expect(own).toBe(true);
    expect(successors).toBe(false);
  });

  it("shows an unrelated platform's users neither platform's notices", async () => {
    // Prepare
    const { otherUser } = await mergedCallers();

    // Act
    const seen = [noticeInStatus('issued', 'twitter'), noticeInStatus('issued', 'x-corp')].map((n) =>
      canSee(otherUser, n),
    );

    // Assess
    expect(seen).toEqual([false, false]);
  });
});

describe('creating a draft for an onboarded platform', () => {
  async function noticesOverDirectory() {
    const directory = directoryForTest();
    await directory.service.createPlatform(admin, platformRequest('twitter', 'Twitter, Inc.'));
    await directory.service.createPlatform(admin, platformRequest('x-corp', 'X Corp.'));
    await directory.service.mergePlatform(admin, 'twitter', { into: 'x-corp', reason: 'Acquisition' });
    const clock = new TestClock(START);
    const notices = new NoticeService({
      store: new InMemoryNoticeStore(),
      catalogue: DEFAULT_CATALOGUE,
      defaultTimeZone: 'Australia/Sydney',
      defaultJurisdiction: { country: 'AU', state: 'NSW' },
      holidaysFor: () => NO_HOLIDAYS,
      platforms: (platformId) => directory.store.getPlatform(platformId),
      clock: clock.now,
      newNoticeId: () => newNoticeId(clock.now()),
      noticeIdForIdempotencyKey,
    });
    return { notices };
  }

  it('refuses a platform that was never onboarded', async () => {
    // Prepare
    const { notices } = await noticesOverDirectory();

    // Act
    const error = await rejectionOf(notices.createDraft(officer, transparencyDraft({ platformId: 'videoshare' })));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'platformId', message: expect.stringContaining('"videoshare"') },
    ]);
  });

  it('refuses a merged platform and names its successor', async () => {
    // Prepare
    const { notices } = await noticesOverDirectory();

    // Act
    const error = await rejectionOf(notices.createDraft(officer, transparencyDraft({ platformId: 'twitter' })));

    // Assess
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      { path: 'platformId', message: expect.stringContaining('merged into "x-corp"') },
    ]);
  });

  it("serves the notice on the platform's contacts when the draft names none", async () => {
    // Prepare
    const { notices } = await noticesOverDirectory();

    // Act
    const { notice } = await notices.createDraft(officer, transparencyDraft({ platformId: 'x-corp' }));

    // Assess
    expect(notice.contacts).toEqual(['legal@x-corp.example']);
  });

  it('keeps the contacts the draft names', async () => {
    // Prepare
    const { notices } = await noticesOverDirectory();

    // Act
    const { notice } = await notices.createDraft(
      officer,
      transparencyDraft({ platformId: 'x-corp', contacts: ['esafety@x.example'] }),
    );

    // Assess
    expect(notice.contacts).toEqual(['esafety@x.example']);
  });
});
