import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDirectoryStore } from '../../lambdas/adapters/dynamodb-directory-store';
import type { ApiClient } from '../../lambdas/domain/api-clients';
import type { Platform, PortalUser } from '../../lambdas/domain/platforms';
import { ensureTable, type RunningService, startDynalite } from '../../local/embedded-services';
import { InMemoryDirectoryStore } from '../support/in-memory-directory-store';

/**
 * The directory read every authenticated request makes (the account and the platform its token claims, in one
 * BatchGetItem), on the embedded dynalite, answering as the in-memory store the domain tests use does.
 */
let dataDir: string;
let dynamodb: RunningService;
let client: DynamoDBClient;
let store: DynamoDbDirectoryStore;

const AT = '2026-01-01T00:00:00.000Z';
const actor = { subject: 'system', role: 'system' } as unknown as PortalUser['invitedBy'];
const platform: Platform = {
  platformId: 'x-corp',
  legalName: 'X Corp',
  tradingNames: ['X'],
  contacts: [],
  status: 'active',
  predecessors: ['twitter'],
  version: 1,
  createdAt: AT,
  provenance: [],
} as unknown as Platform;
const user: PortalUser = {
  subject: 'sub-x',
  email: 'legal@x.example',
  name: 'X Legal',
  role: 'platform-responder',
  platformId: 'x-corp',
  status: 'active',
  invitedAt: AT,
  invitedBy: actor,
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'directory-store-'));
  dynamodb = await startDynalite(join(dataDir, 'dynamodb'), 0);
  client = new DynamoDBClient({
    endpoint: dynamodb.endpoint,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, 'directory-store-test');
  store = new DynamoDbDirectoryStore(
    DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    'directory-store-test',
  );
  await store.createPlatform(platform);
  await store.createUser(user);
});

afterAll(async () => {
  client.destroy();
  await dynamodb.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('DynamoDbDirectoryStore.getUserAndPlatform', () => {
  it('reads the account and the platform it claims together, as the in-memory store does', async () => {
    const memory = new InMemoryDirectoryStore();
    await memory.createPlatform(platform);
    await memory.createUser(user);

    const read = await store.getUserAndPlatform('sub-x', 'x-corp');

    expect(read).toEqual(await memory.getUserAndPlatform('sub-x', 'x-corp'));
    expect(read).toEqual({ user: await store.getUser('sub-x'), platform: await store.getPlatform('x-corp') });
  });

  it('answers each missing item as absent: an unknown account, an unknown platform, no platform claimed', async () => {
    const unknownUser = await store.getUserAndPlatform('sub-nobody', 'x-corp');
    const unknownPlatform = await store.getUserAndPlatform('sub-x', 'no-such-platform');
    const noClaim = await store.getUserAndPlatform('sub-x', undefined);

    expect(unknownUser.user).toBeUndefined();
    expect(unknownUser.platform?.platformId).toBe('x-corp');
    expect(unknownPlatform.user?.subject).toBe('sub-x');
    expect(unknownPlatform.platform).toBeUndefined();
    expect(noClaim).toEqual({ user: await store.getUser('sub-x') });
  });

  it('sees a change made a moment before (consistent reads): a disabled account reads as disabled', async () => {
    await store.replaceUser({ ...user, subject: 'sub-x', status: 'disabled' } as PortalUser);

    const read = await store.getUserAndPlatform('sub-x', 'x-corp');

    expect(read.user?.status).toBe('disabled');
  });
});

describe('DynamoDbDirectoryStore.getClientAndPlatform', () => {
  const client: ApiClient = {
    clientId: 'pac_01JTESTCLIENT0000000000000',
    platformId: 'x-corp',
    label: 'pipeline',
    status: 'active',
    secretHash: 'salt:hash',
    createdAt: AT,
    createdBy: { subject: 'sub-admin', role: 'regulator-admin' },
  };

  it('reads the client and the platform it claims together, and sees a revocation made a moment before', async () => {
    await store.createClient(client);

    const active = await store.getClientAndPlatform(client.clientId, 'x-corp');
    await store.replaceClient({ ...client, status: 'revoked', revokedAt: AT });
    const revoked = await store.getClientAndPlatform(client.clientId, 'x-corp');
    const unknownPlatform = await store.getClientAndPlatform(client.clientId, 'no-such-platform');

    expect(active).toEqual({ client, platform: await store.getPlatform('x-corp') });
    expect(revoked.client?.status).toBe('revoked');
    expect(unknownPlatform.platform).toBeUndefined();
  });
});
