import type { Platform, PortalUser } from './platforms';

/** Platforms and users, stored beside the notices. */
export interface DirectoryStore {
  getPlatform(platformId: string): Promise<Platform | undefined>;
  createPlatform(platform: Platform): Promise<boolean>;
  replacePlatform(platform: Platform, expectedVersion: number): Promise<boolean>;
  listPlatforms(): Promise<Platform[]>;
  getUser(subject: string): Promise<PortalUser | undefined>;
  createUser(user: PortalUser): Promise<boolean>;
  replaceUser(user: PortalUser): Promise<void>;
  listUsers(platformId?: string): Promise<PortalUser[]>;
}
