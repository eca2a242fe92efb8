import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiClientStore } from '../domain/api-client-store';
import type { ApiClient } from '../domain/api-clients';
import type { DirectoryStore } from '../domain/directory-store';
import type { PlatformIdPages } from '../domain/key-log-backfill';
import type { Platform, PortalUser } from '../domain/platforms';
import { ItemTable, withoutTableKeys } from './dynamodb-items';

/**
 * Platforms live in one partition (`PLATFORMS` / `PLATFORM#<id>`), users in another (`USERS` / `USER#<sub>`) and
 * machine clients in a third (`API_CLIENTS` / `CLIENT#<id>`): all small, bounded sets (a regulator's platforms,
 * staff and integrations), so listing them is one Query, never a Scan.
 */
const platformKey = (id: string) => ({ pk: 'PLATFORMS', sk: `PLATFORM#${id}` });
const userKey = (subject: string) => ({ pk: 'USERS', sk: `USER#${subject}` });
const clientKey = (clientId: string) => ({ pk: 'API_CLIENTS', sk: `CLIENT#${clientId}` });

export class DynamoDbDirectoryStore implements DirectoryStore, ApiClientStore, PlatformIdPages {
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

  /** A page of platform ids in id order (the backfills walk the directory with it, a page a run). */
  async platformIdsAfter(after: string | undefined, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined = after ? platformKey(after) : undefined;
    // A page can end early at 1 MB: keep reading until `limit` ids or the end, so a short page means the end.
    do {
      const page = await this.table.doc.send(
        new QueryCommand({
          TableName: this.table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': 'PLATFORMS', ':prefix': 'PLATFORM#' },
          ProjectionExpression: 'pk, sk, platformId',
          ConsistentRead: true,
          Limit: limit - ids.length,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) ids.push(String(item.platformId));
      start = page.LastEvaluatedKey;
    } while (start && ids.length < limit);
    return ids;
  }

  getUser(subject: string): Promise<PortalUser | undefined> {
    return this.table.get<PortalUser>(userKey(subject));
  }

  async getUserAndPlatform(
    subject: string,
    platformId: string | undefined,
  ): Promise<{ user?: PortalUser; platform?: Platform }> {
    if (platformId === undefined) return { user: await this.getUser(subject) };
    const items = await this.table.getMany([userKey(subject), platformKey(platformId)]);
    const user = items.find((item) => item.pk === 'USERS');
    const platform = items.find((item) => item.pk === 'PLATFORMS');
    return {
      user: user && withoutTableKeys<PortalUser>(user),
      platform: platform && withoutTableKeys<Platform>(platform),
    };
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

  async getClientAndPlatform(
    clientId: string,
    platformId: string,
  ): Promise<{ client?: ApiClient; platform?: Platform }> {
    const items = await this.table.getMany([clientKey(clientId), platformKey(platformId)]);
    const client = items.find((item) => item.pk === 'API_CLIENTS');
    const platform = items.find((item) => item.pk === 'PLATFORMS');
    return {
      client: client && withoutTableKeys<ApiClient>(client),
      platform: platform && withoutTableKeys<Platform>(platform),
    };
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
