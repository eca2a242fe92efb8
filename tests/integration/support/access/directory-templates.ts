import type { RequestTemplate } from './request-template';
import { newSigningKey, registeredKey } from './resources';
import { apiClient, throwawayPlatform } from './set-up';
import { next } from './unique-ids';

/** Request templates for the directory: platforms, users, signing keys and machine clients. */

export const DIRECTORY_TEMPLATES: RequestTemplate[] = [
  // platforms
  {
    id: 'createPlatform',
    operationId: 'createPlatform',
    scope: 'global',
    body: ({ f }) => ({
      platformId: `tp-new-${f.tag}-${next()}`,
      legalName: `${f.throwawayPlatforms.marker} New Platform Pty Ltd`,
      jurisdiction: { country: 'AU' },
      contacts: ['legal@new-platform.example'],
    }),
    ok: [201],
  },
  { id: 'listNoticeTypes', operationId: 'listNoticeTypes', scope: 'global', ok: [200] },
  {
    id: 'previewDueTime',
    operationId: 'previewDueTime',
    scope: 'global',
    body: () => ({ type: 'transparency-notice' }),
    ok: [200],
  },
  { id: 'listPlatforms', operationId: 'listPlatforms', scope: 'global', ok: [200] },
  {
    id: 'getPlatform',
    operationId: 'getPlatform',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'renamePlatform',
    operationId: 'renamePlatform',
    scope: 'global',
    params: ({ f }) => ({ platformId: f.throwawayPlatforms.rename }),
    body: ({ f }) => ({
      legalName: `${f.throwawayPlatforms.marker} Renamed Pty Ltd`,
      tradingNames: ['Renamed'],
      reason: 'Rebranded after an acquisition.',
    }),
    ok: [200],
  },
  {
    id: 'changePlatformContacts',
    operationId: 'changePlatformContacts',
    scope: 'global',
    params: ({ f }) => ({ platformId: f.throwawayPlatforms.contacts }),
    body: () => ({ contacts: ['notices@throwaway.example'], reason: 'The legal team moved.' }),
    ok: [200],
  },
  {
    id: 'mergePlatform',
    operationId: 'mergePlatform',
    scope: 'global',
    params: ({ f }) => ({ platformId: f.throwawayPlatforms.merge }),
    body: ({ f }) => ({ into: f.throwawayPlatforms.mergeInto, reason: 'Acquired by its successor.' }),
    ok: [200],
  },
  // users
  {
    id: 'inviteUser',
    operationId: 'inviteUser',
    scope: 'per-platform',
    body: ({ owner, f }) => ({
      email: `invitee-${f.tag}-${next()}@${owner}.example`,
      name: 'Ivy Invitee',
      role: 'platform-responder',
      platformId: owner,
    }),
    ok: [201],
  },
  { id: 'listUsers', operationId: 'listUsers', scope: 'global', ok: [200] },
  {
    id: 'listUsers:platform',
    operationId: 'listUsers',
    variant: '?platformId=<the resource platform>',
    scope: 'per-platform',
    query: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'disableUser',
    operationId: 'disableUser',
    scope: 'per-platform',
    params: ({ p }) => ({ subject: p.throwawayUser.subject }),
    body: () => ({ reason: 'Left the company.' }),
    ok: [200],
  },
  {
    id: 'enableUser',
    operationId: 'enableUser',
    scope: 'per-platform',
    params: ({ p }) => ({ subject: p.throwawayUser.subject }),
    ok: [200],
  },
  // signing keys
  {
    id: 'registerSigningKey',
    operationId: 'registerSigningKey',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    body: async () => ({ jwk: (await newSigningKey()).jwk, label: 'rotation key' }),
    ok: [201],
  },
  {
    id: 'listSigningKeys',
    operationId: 'listSigningKeys',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'revokeSigningKey',
    operationId: 'revokeSigningKey',
    scope: 'per-platform',
    params: ({ owner, p }) => ({ platformId: owner, kid: p.key.kid }),
    body: () => ({ reason: 'Key rotated.' }),
    allowed: async ({ h, owner }) => ({ params: { platformId: owner, kid: (await registeredKey(h, owner)).kid } }),
    ok: [200],
  },
  // machine clients
  {
    // Allowed callers create on a throw-away platform: a platform may have only two active clients.
    id: 'createApiClient',
    operationId: 'createApiClient',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    body: () => ({ label: 'automation' }),
    allowed: async ({ h, f }) => ({ params: { platformId: await throwawayPlatform(h, f) } }),
    ok: [201],
  },
  {
    id: 'listApiClients',
    operationId: 'listApiClients',
    scope: 'per-platform',
    params: ({ owner }) => ({ platformId: owner }),
    ok: [200],
  },
  {
    id: 'revokeApiClient',
    operationId: 'revokeApiClient',
    scope: 'per-platform',
    params: ({ owner, f }) => ({ platformId: owner, clientId: f.clients[owner].clientId }),
    body: () => ({ reason: 'Secret rotated.' }),
    allowed: async ({ h, f }) => {
      const platformId = await throwawayPlatform(h, f);
      return { params: { platformId, clientId: (await apiClient(h, platformId, 'to revoke')).clientId } };
    },
    ok: [200],
  },
  {
    // Client authentication is by the client's credentials (form or HTTP Basic); a bearer token plays no part.
    id: 'issueAccessToken',
    operationId: 'issueAccessToken',
    scope: 'global',
    form: ({ f }) => ({
      grant_type: 'client_credentials',
      client_id: f.clients['x-corp'].clientId,
      client_secret: f.clients['x-corp'].clientSecret,
    }),
    ok: [200],
  },
  { id: 'getAccessTokenKeys', operationId: 'getAccessTokenKeys', scope: 'global', ok: [200] },
];
