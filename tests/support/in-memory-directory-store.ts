import type { DirectoryStore } from '../../lambdas/domain/directory-store';
import type { IdentityAdmin } from '../../lambdas/domain/identity-admin';
import type { Platform, PortalUser } from '../../lambdas/domain/platforms';

/**
 * A DirectoryStore in memory with the conditions `DynamoDbDirectoryStore` writes with, so what passes here holds
 * there too:
 * - `createPlatform` / `createUser` succeed only if nothing has that id yet (`attribute_not_exists(pk)`);
 * - `replacePlatform` succeeds only while the stored platform is at `expectedVersion` (`version = :expected`);
 * - `replaceUser` only replaces a user that exists (`attribute_exists(pk)`), and fails loudly otherwise;
 * - values are copied in and out (undefined members dropped, as the document client does), so a caller never
 *   shares an object with the store.
 */
export class InMemoryDirectoryStore implements DirectoryStore {
  private readonly platforms = new Map<string, Platform>();
  private readonly users = new Map<string, PortalUser>();

  async getPlatform(platformId: string): Promise<Platform | undefined> {
    return copy(this.platforms.get(platformId));
  }

  async createPlatform(platform: Platform): Promise<boolean> {
    if (this.platforms.has(platform.platformId)) return false;
    this.platforms.set(platform.platformId, copy(platform));
    return true;
  }

  async replacePlatform(platform: Platform, expectedVersion: number): Promise<boolean> {
    if (this.platforms.get(platform.platformId)?.version !== expectedVersion) return false;
    this.platforms.set(platform.platformId, copy(platform));
    return true;
  }

  async listPlatforms(): Promise<Platform[]> {
    return [...this.platforms.values()].sort((a, b) => a.platformId.localeCompare(b.platformId)).map(copy);
  }

  async getUser(subject: string): Promise<PortalUser | undefined> {
    return copy(this.users.get(subject));
  }

  async getUserAndPlatform(subject: string, platformId: string | undefined) {
    return {
      user: await this.getUser(subject),
      platform: platformId === undefined ? undefined : await this.getPlatform(platformId),
    };
  }

  async createUser(user: PortalUser): Promise<boolean> {
    if (this.users.has(user.subject)) return false;
    this.users.set(user.subject, copy(user));
    return true;
  }

  async replaceUser(user: PortalUser): Promise<void> {
    // DynamoDB's ConditionalCheckFailedException, which the adapter does not swallow for users.
    if (!this.users.has(user.subject)) throw new Error(`ConditionalCheckFailedException: no user ${user.subject}`);
    this.users.set(user.subject, copy(user));
  }

  async listUsers(platformId?: string): Promise<PortalUser[]> {
    const users = [...this.users.values()].sort((a, b) => a.subject.localeCompare(b.subject)).map(copy);
    return platformId ? users.filter((u) => u.platformId === platformId) : users;
  }
}

export type IdentityCall =
  | { op: 'createUser'; user: Parameters<IdentityAdmin['createUser']>[0] }
  | { op: 'disableUser'; user: { subject: string; email: string } }
  | { op: 'enableUser'; user: { subject: string; email: string } };

/** The identity provider's admin side, recording every call; subjects are `idp-sub-1`, `idp-sub-2`, … */
export class RecordingIdentityAdmin implements IdentityAdmin {
  readonly calls: IdentityCall[] = [];
  private created = 0;

  async createUser(user: Parameters<IdentityAdmin['createUser']>[0]) {
    this.calls.push({ op: 'createUser', user: { ...user } });
    this.created += 1;
    return { subject: `idp-sub-${this.created}`, temporaryPassword: `Temp-${this.created}!` };
  }

  async disableUser(user: { subject: string; email: string }): Promise<void> {
    this.calls.push({ op: 'disableUser', user: { subject: user.subject, email: user.email } });
  }

  async enableUser(user: { subject: string; email: string }): Promise<void> {
    this.calls.push({ op: 'enableUser', user: { subject: user.subject, email: user.email } });
  }
}

function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
