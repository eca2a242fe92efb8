import { type Actor, actorFor, type Caller, isRegulator } from './caller';
import type { DirectoryStore } from './directory-store';
import { Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed } from './errors';
import type { IdentityAdmin } from './identity-admin';
import type { Jurisdiction } from './notice';
import type { InviteUserRequest, Platform, PortalUser } from './platforms';

export interface DirectoryServiceDeps {
  store: DirectoryStore;
  identity: IdentityAdmin;
  clock: () => Date;
}

/**
 * Onboarding: platforms (with succession) and users (invite, disable). Only regulator admins change anything;
 * platform users may read their own platform.
 */
export class DirectoryService {
  constructor(private readonly deps: DirectoryServiceDeps) {}

  async createPlatform(
    caller: Caller,
    request: {
      platformId: string;
      legalName: string;
      tradingNames: string[];
      jurisdiction: Jurisdiction;
      contacts: string[];
    },
  ): Promise<{ platform: Platform; created: boolean }> {
    const actor = this.admin(caller);
    const now = this.deps.clock().toISOString();
    const platform: Platform = {
      ...request,
      status: 'active',
      predecessors: [],
      version: 1,
      createdAt: now,
      provenance: [{ at: now, by: actor, kind: 'onboarded', details: { legalName: request.legalName } }],
    };
    if (await this.deps.store.createPlatform(platform)) return { platform, created: true };
    const existing = await this.deps.store.getPlatform(request.platformId);
    if (existing && existing.legalName === request.legalName) return { platform: existing, created: false };
    throw new Conflict('illegal-transition', `Platform id "${request.platformId}" is already taken.`);
  }

  async getPlatform(caller: Caller, platformId: string): Promise<Platform> {
    const platform = await this.deps.store.getPlatform(platformId);
    const own = caller.platformIds?.includes(platformId) ?? caller.platformId === platformId;
    if (!platform || (!isRegulator(caller) && !own)) throw new NotFound(`No platform ${platformId}.`);
    return platform;
  }

  async listPlatforms(caller: Caller): Promise<Platform[]> {
    if (!isRegulator(caller)) throw new Forbidden('Only regulator users may list platforms.');
    return this.deps.store.listPlatforms();
  }

  async renamePlatform(
    caller: Caller,
    platformId: string,
    request: { legalName: string; tradingNames: string[]; reason: string },
  ) {
    const actor = this.admin(caller);
    return this.changePlatform(platformId, (p, now) => ({
      ...p,
      legalName: request.legalName,
      tradingNames: request.tradingNames,
      provenance: [
        ...p.provenance,
        {
          at: now,
          by: actor,
          kind: 'renamed',
          reason: request.reason,
          details: {
            from: { legalName: p.legalName, tradingNames: p.tradingNames },
            to: { legalName: request.legalName, tradingNames: request.tradingNames },
          },
        },
      ],
    }));
  }

  async changeContacts(caller: Caller, platformId: string, request: { contacts: string[]; reason: string }) {
    const actor = this.admin(caller);
    return this.changePlatform(platformId, (p, now) => ({
      ...p,
      contacts: request.contacts,
      provenance: [
        ...p.provenance,
        {
          at: now,
          by: actor,
          kind: 'contacts-changed',
          reason: request.reason,
          details: { from: p.contacts, to: request.contacts },
        },
      ],
    }));
  }

  /**
   * Merges `platformId` into `into` (Twitter's notices become X's): the successor records what it absorbed, then the
   * merged platform records where it went. Repeating the request finishes a merge that was interrupted.
   */
  async mergePlatform(
    caller: Caller,
    platformId: string,
    request: { into: string; reason: string },
  ): Promise<Platform> {
    const actor = this.admin(caller);
    if (platformId === request.into) {
      throw new ValidationFailed([{ path: 'into', message: 'a platform cannot be merged into itself' }]);
    }
    const merged = await this.deps.store.getPlatform(platformId);
    if (!merged) throw new NotFound(`No platform ${platformId}.`);
    if (merged.status === 'merged' && merged.mergedInto !== request.into) {
      throw new Conflict('illegal-transition', `Platform ${platformId} was already merged into ${merged.mergedInto}.`);
    }
    const successor = await this.deps.store.getPlatform(request.into);
    if (successor?.status !== 'active') {
      throw new ValidationFailed([{ path: 'into', message: `no active platform "${request.into}"` }]);
    }
    const absorbed = [platformId, ...merged.predecessors];
    await this.changePlatform(request.into, (p, now) =>
      absorbed.every((id) => p.predecessors.includes(id))
        ? p
        : {
            ...p,
            predecessors: [...new Set([...p.predecessors, ...absorbed])],
            provenance: [
              ...p.provenance,
              {
                at: now,
                by: actor,
                kind: 'absorbed',
                reason: request.reason,
                details: { platformId, legalName: merged.legalName },
              },
            ],
          },
    );
    return this.changePlatform(platformId, (p, now) =>
      p.status === 'merged'
        ? p
        : {
            ...p,
            status: 'merged',
            mergedInto: request.into,
            provenance: [
              ...p.provenance,
              {
                at: now,
                by: actor,
                kind: 'merged-into',
                reason: request.reason,
                details: { platformId: request.into },
              },
            ],
          },
    );
  }

  async inviteUser(
    caller: Caller,
    request: InviteUserRequest,
  ): Promise<{ user: PortalUser; temporaryPassword?: string }> {
    const actor = this.admin(caller);
    const isPlatformRole = request.role === 'platform-responder';
    if (isPlatformRole && !request.platformId) {
      throw new ValidationFailed([{ path: 'platformId', message: 'a platform-responder belongs to a platform' }]);
    }
    if (!isPlatformRole && request.platformId) {
      throw new ValidationFailed([{ path: 'platformId', message: 'regulator users belong to no platform' }]);
    }
    if (request.platformId) {
      const platform = await this.deps.store.getPlatform(request.platformId);
      if (platform?.status !== 'active') {
        throw new ValidationFailed([{ path: 'platformId', message: `no active platform "${request.platformId}"` }]);
      }
    }
    const { subject, temporaryPassword } = await this.deps.identity.createUser(request);
    const user: PortalUser = {
      subject,
      email: request.email,
      name: request.name,
      role: request.role,
      platformId: request.platformId,
      status: 'active',
      invitedAt: this.deps.clock().toISOString(),
      invitedBy: actor,
    };
    if (!(await this.deps.store.createUser(user))) {
      throw new Conflict('illegal-transition', `A user with subject ${subject} already exists.`);
    }
    return { user, temporaryPassword };
  }

  async listUsers(caller: Caller, platformId?: string): Promise<PortalUser[]> {
    this.admin(caller);
    return this.deps.store.listUsers(platformId);
  }

  /** Disabled at once: the next request with any of the user's tokens is refused, whatever its expiry. */
  async disableUser(caller: Caller, subject: string, reason: string): Promise<PortalUser> {
    const actor = this.admin(caller);
    const user = await this.deps.store.getUser(subject);
    if (!user) throw new NotFound(`No user ${subject}.`);
    if (user.subject === caller.subject) throw new Conflict('illegal-transition', 'You cannot disable yourself.');
    const disabled: PortalUser = {
      ...user,
      status: 'disabled',
      disabledAt: this.deps.clock().toISOString(),
      disabledBy: actor,
      disabledReason: reason,
    };
    // Our record first: it is what the API checks on every request.
    await this.deps.store.replaceUser(disabled);
    await this.deps.identity.disableUser(user);
    return disabled;
  }

  async enableUser(caller: Caller, subject: string): Promise<PortalUser> {
    this.admin(caller);
    const user = await this.deps.store.getUser(subject);
    if (!user) throw new NotFound(`No user ${subject}.`);
    await this.deps.identity.enableUser(user);
    const enabled: PortalUser = {
      ...user,
      status: 'active',
      disabledAt: undefined,
      disabledBy: undefined,
      disabledReason: undefined,
    };
    await this.deps.store.replaceUser(enabled);
    return enabled;
  }

  private admin(caller: Caller): Actor {
    const actor = actorFor(caller, ['regulator-admin']);
    if (!actor) throw new Forbidden('Only regulator-admin users may manage platforms and users.');
    return actor;
  }

  private async changePlatform(platformId: string, change: (p: Platform, now: string) => Platform): Promise<Platform> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const current = await this.deps.store.getPlatform(platformId);
      if (!current) throw new NotFound(`No platform ${platformId}.`);
      const next = change(current, this.deps.clock().toISOString());
      if (next === current) return current;
      if (await this.deps.store.replacePlatform({ ...next, version: current.version + 1 }, current.version)) {
        return { ...next, version: current.version + 1 };
      }
    }
    throw new Conflict('concurrent-update', `Platform ${platformId} kept changing; try again.`);
  }
}

/**
 * Completes a verified token's caller from the directory: refuses unknown and disabled users (at once, whatever
 * the token's expiry), checks the token's role and platform against the record, and adds the platforms whose
 * notices the user may see (their own plus any merged into it).
 */
export async function resolveCaller(store: DirectoryStore, caller: Caller): Promise<Caller> {
  // The account and the platform its token claims, read together and as they are now, on every request (a
  // disabled account or a merged platform takes effect at once); the claim is only trusted once it matches the
  // account's own platform below, so the platform read is the account's platform.
  const { user, platform } = await store.getUserAndPlatform(caller.subject, caller.platformId);
  if (!user) throw new Unauthenticated('This account is not known to the portal.');
  if (user.status !== 'active') throw new Unauthenticated('This account is disabled.');
  if (!caller.roles.includes(user.role)) throw new Forbidden('The token’s role does not match this account.');
  if (user.role !== 'platform-responder') return { ...caller, roles: [user.role], platformId: undefined };
  if (caller.platformId !== user.platformId) throw new Forbidden('The token’s platform does not match this account.');
  if (!platform) throw new Forbidden('This account’s platform is not onboarded.');
  return { ...caller, roles: [user.role], platformIds: [platform.platformId, ...platform.predecessors] };
}
