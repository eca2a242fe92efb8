import type { Platform, PortalUser } from './platforms';

/** Platforms and users, stored beside the notices. */
export interface DirectoryStore {
  getPlatform(platformId: string): Promise<Platform | undefined>;
  createPlatform(platform: Platform): Promise<boolean>;
  replacePlatform(platform: Platform, expectedVersion: number): Promise<boolean>;
  listPlatforms(): Promise<Platform[]>;
  getUser(subject: string): Promise<PortalUser | undefined>;
  /**
   * The user and the platform `platformId` (when given) as they are now, read together: every authenticated
   * request asks for both (the account a token names, the platform it claims), so one read instead of two.
   */
  getUserAndPlatform(
    subject: string,
    platformId: string | undefined,
  ): Promise<{ user?: PortalUser; platform?: Platform }>;
  createUser(user: PortalUser): Promise<boolean>;
  replaceUser(user: PortalUser): Promise<void>;
  listUsers(platformId?: string): Promise<PortalUser[]>;
}
