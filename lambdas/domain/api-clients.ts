import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { AccessTokenSigner } from './access-token-signer';
import type { ApiClientStore } from './api-client-store';
import { type Actor, actorFor, type Caller, PlatformIdSchema } from './caller';
import type { DirectoryStore } from './directory-store';
import { Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed } from './errors';
import { newUlid } from './ids';
import { IsoInstantSchema } from './notice';
import { text } from './text';
import * as z from './zod';

/**
 * Machine access for platforms that automate their responses: OAuth 2.0 client credentials. A client belongs to
 * one platform and acts as a platform-responder of it. At most two are active at once, so a secret can be rotated
 * without downtime (create the new one, switch, revoke the old); revocation takes effect on the next request,
 * because every request checks the client's record, not just its token.
 */
export const MAX_ACTIVE_CLIENTS = 2;
export const MACHINE_TOKEN_SECONDS = 900;

export const ApiClientSchema = /* @__PURE__ */ (() =>
  z.described(
    z.object({
      clientId: z.string(),
      platformId: PlatformIdSchema,
      label: z.string(),
      status: z.enum(['active', 'revoked']),
      /** scrypt(secret) as `salt:hash`; the secret itself is shown once, at creation, and never stored. */
      secretHash: z.string(),
      createdAt: IsoInstantSchema,
      createdBy: z.object({ subject: z.string(), name: z.optional(z.string()), role: z.string() }),
      revokedAt: z.optional(IsoInstantSchema),
      revokedBy: z.optional(z.object({ subject: z.string(), name: z.optional(z.string()), role: z.string() })),
      revocationReason: z.optional(z.string()),
    }),
    { id: 'ApiClient' },
  ))();
export type ApiClient = z.infer<typeof ApiClientSchema>;

/** What the API shows of a client: everything but the secret's hash. */
export type PublicApiClient = Omit<ApiClient, 'secretHash'>;

export const CreateApiClientRequestSchema = /* @__PURE__ */ (() =>
  z.described(z.strictObject({ label: text({ min: 1, max: 200 }) }), { id: 'CreateApiClientRequest' }))();

export const hideSecret = ({ secretHash: _hash, ...client }: ApiClient): PublicApiClient => client;

export class ApiClientService {
  constructor(
    private readonly deps: {
      clients: ApiClientStore;
      directory: Pick<DirectoryStore, 'getPlatform'>;
      tokens: AccessTokenSigner;
      issuer: string;
      audience: string;
      clock: () => Date;
    },
  ) {}

  async create(
    caller: Caller,
    platformId: string,
    label: string,
  ): Promise<{ client: PublicApiClient; clientSecret: string }> {
    const actor = this.admin(caller);
    const platform = await this.deps.directory.getPlatform(platformId);
    if (platform?.status !== 'active') throw new NotFound(`No active platform ${platformId}.`);
    const active = (await this.deps.clients.listClients(platformId)).filter((c) => c.status === 'active');
    if (active.length >= MAX_ACTIVE_CLIENTS) {
      throw new Conflict(
        'illegal-transition',
        `Platform ${platformId} already has ${MAX_ACTIVE_CLIENTS} active API clients; revoke one before creating another.`,
      );
    }
    const clientSecret = randomBytes(32).toString('base64url');
    const client: ApiClient = {
      clientId: `pac_${newUlid(this.deps.clock())}`,
      platformId,
      label,
      status: 'active',
      secretHash: hashSecret(clientSecret),
      createdAt: this.deps.clock().toISOString(),
      createdBy: actor,
    };
    if (!(await this.deps.clients.createClient(client))) throw new Conflict('concurrent-update', 'Try again.');
    return { client: hideSecret(client), clientSecret };
  }

  async list(caller: Caller, platformId: string): Promise<PublicApiClient[]> {
    this.admin(caller);
    return (await this.deps.clients.listClients(platformId)).map(hideSecret);
  }

  async revoke(caller: Caller, platformId: string, clientId: string, reason: string): Promise<PublicApiClient> {
    const actor = this.admin(caller);
    const client = await this.deps.clients.getClient(clientId);
    if (!client || client.platformId !== platformId)
      throw new NotFound(`Platform ${platformId} has no client ${clientId}.`);
    if (client.status === 'revoked') throw new Conflict('illegal-transition', `Client ${clientId} is already revoked.`);
    const revoked: ApiClient = {
      ...client,
      status: 'revoked',
      revokedAt: this.deps.clock().toISOString(),
      revokedBy: actor,
      revocationReason: reason,
    };
    await this.deps.clients.replaceClient(revoked);
    return hideSecret(revoked);
  }

  /** The client-credentials grant: a short-lived access token for an active client with the right secret. */
  async issueToken(
    clientId: string,
    clientSecret: string,
  ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const client = await this.deps.clients.getClient(clientId);
    // The same answer for an unknown client, a wrong secret and a revoked client: nothing to probe.
    if (client?.status !== 'active' || !secretMatches(client.secretHash, clientSecret)) {
      throw new Unauthenticated('The client credentials are not valid.');
    }
    const now = Math.floor(this.deps.clock().getTime() / 1000);
    const access_token = await this.deps.tokens.sign({
      iss: this.deps.issuer,
      aud: this.deps.audience,
      sub: client.clientId,
      client_id: client.clientId,
      token_use: 'access',
      'custom:platformId': client.platformId,
      iat: now,
      exp: now + MACHINE_TOKEN_SECONDS,
    });
    return { access_token, token_type: 'Bearer', expires_in: MACHINE_TOKEN_SECONDS };
  }

  private admin(caller: Caller): Actor {
    const actor = actorFor(caller, ['regulator-admin']);
    if (!actor) throw new Forbidden('Only regulator-admin users may manage API clients.');
    return actor;
  }
}

/** A verified machine token's caller: the client must still be active, and acts for its platform only. */
export async function resolveMachineCaller(
  clients: Pick<ApiClientStore, 'getClient' | 'getClientAndPlatform'>,
  clientId: string,
  claimedPlatformId: string | undefined,
): Promise<Caller> {
  // The client and the platform its token claims, read together and as they are now, on every request (a revoked
  // client is refused at once); the claim is trusted only once it matches the client's own platform below.
  const { client, platform } =
    claimedPlatformId === undefined
      ? { client: await clients.getClient(clientId), platform: undefined }
      : await clients.getClientAndPlatform(clientId, claimedPlatformId);
  if (client?.status !== 'active') throw new Unauthenticated('This API client is revoked or unknown.');
  if (claimedPlatformId !== client.platformId) throw new Forbidden('The token’s platform does not match this client.');
  if (!platform) throw new Forbidden('This client’s platform is not onboarded.');
  return {
    subject: client.clientId,
    name: `API client ${client.label}`,
    roles: ['platform-responder'],
    platformId: client.platformId,
    platformIds: [platform.platformId, ...platform.predecessors],
  };
}

export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('hex')}:${scryptSync(secret, salt, 32).toString('hex')}`;
}

function secretMatches(stored: string, secret: string): boolean {
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  return timingSafeEqual(scryptSync(secret, Buffer.from(salt, 'hex'), 32), Buffer.from(hash, 'hex'));
}

export { ValidationFailed };
