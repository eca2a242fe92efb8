import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiClientStore } from '../domain/api-client-store';
import type { ApiClient } from '../domain/api-clients';
import type { DirectoryStore } from '../domain/directory-store';
import type { Platform, PortalUser } from '../domain/platforms';
import { ItemTable } from './dynamodb-items';

/**
 * Platforms live in one partition (`PLATFORMS` / `PLATFORM#<id>`), users in another (`USERS` / `USER#<sub>`) and
 * machine clients in a third (`API_CLIENTS` / `CLIENT#<id>`): all small, bounded sets (a regulator's platforms,
 * staff and integrations), so listing them is one Query, never a Scan.
 */
const platformKey = (id: string) => ({ pk: 'PLATFORMS', sk: `PLATFORM#${id}` });
const userKey = (subject: string) => ({ pk: 'USERS', sk: `USER#${subject}` });
const clientKey = (clientId: string) => ({ pk: 'API_CLIENTS', sk: `CLIENT#${clientId}` });

export class DynamoDbDirectoryStore implements DirectoryStore, ApiClientStore {
  private readonly table: ItemTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.table = new ItemTable(doc, tableName);
  }

  getPlatform(platformId: string): Promise<Platform | undefined> {
    return this.table.get<Platform>(platformKey(platformId));
  }

  createPlatform(platform: Platform): Promise<boolean> {
    return this.table.putIf({ ...platform, ...platformKey(platform.platformId) }, 'attribute_not_exists(pk)');
  }

  replacePlatform(platform: Platform, expectedVersion: number): Promise<boolean> {
    return this.table.putIf({ ...platform, ...platformKey(platform.platformId) }, 'version = :expected', {
      ':expected': expectedVersion,
    });
  }

  listPlatforms(): Promise<Platform[]> {
    return this.table.queryAll<Platform>('PLATFORMS', 'PLATFORM#');
  }

  getUser(subject: string): Promise<PortalUser | undefined> {
    return this.table.get<PortalUser>(userKey(subject));
  }

  createUser(user: PortalUser): Promise<boolean> {
    return this.table.putIf({ ...user, ...userKey(user.subject) }, 'attribute_not_exists(pk)');
  }

  async replaceUser(user: PortalUser): Promise<void> {
    await this.table.putIf({ ...user, ...userKey(user.subject) }, 'attribute_exists(pk)');
  }

  async listUsers(platformId?: string): Promise<PortalUser[]> {
    const users = await this.table.queryAll<PortalUser>('USERS', 'USER#');
    return platformId ? users.filter((u) => u.platformId === platformId) : users;
  }

  getClient(clientId: string): Promise<ApiClient | undefined> {
    return this.table.get<ApiClient>(clientKey(clientId));
  }

  createClient(client: ApiClient): Promise<boolean> {
    return this.table.putIf({ ...client, ...clientKey(client.clientId) }, 'attribute_not_exists(pk)');
  }

  async replaceClient(client: ApiClient): Promise<void> {
    await this.table.putIf({ ...client, ...clientKey(client.clientId) }, 'attribute_exists(pk)');
  }

  async listClients(platformId: string): Promise<ApiClient[]> {
    return (await this.table.queryAll<ApiClient>('API_CLIENTS', 'CLIENT#')).filter((c) => c.platformId === platformId);
  }
}
