import { defined } from '../../../support/defined';
import type { Fixtures } from './fixtures';
import type { RequestSpec } from './request-template';
import { tokenRequest } from './requests';
import { crockford } from './unique-ids';

export interface CredentialVariant {
  name: string;
  /** Acceptable statuses (OAuth error format). */
  statuses: number[];
  /** Refusals that must be indistinguishable from the one for an unknown client. */
  sameAsUnknownClient?: true;
  request(f: Fixtures): { spec: RequestSpec; authorization?: string };
}

const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export const CREDENTIAL_VARIANTS: CredentialVariant[] = [
  {
    name: 'valid credentials in HTTP Basic',
    statuses: [200],
    request: (f) => ({
      spec: tokenRequest({}),
      authorization: basicAuth(f.clients.videoshare.clientId, f.clients.videoshare.clientSecret),
    }),
  },
  {
    name: 'a wrong secret',
    statuses: [401],
    sameAsUnknownClient: true,
    request: (f) => ({
      spec: tokenRequest({ client_id: f.clients['x-corp'].clientId, client_secret: 'wrong-secret' }),
    }),
  },
  {
    name: "x-corp's client id with videoshare's secret",
    statuses: [401],
    sameAsUnknownClient: true,
    request: (f) => ({
      spec: tokenRequest({ client_id: f.clients['x-corp'].clientId, client_secret: f.clients.videoshare.clientSecret }),
    }),
  },
  {
    name: "a revoked client's own credentials",
    statuses: [401],
    sameAsUnknownClient: true,
    request: (f) => ({
      spec: tokenRequest({ client_id: f.revokedClient.clientId, client_secret: f.revokedClient.clientSecret }),
    }),
  },
  {
    name: 'a wrong secret in HTTP Basic',
    statuses: [401],
    sameAsUnknownClient: true,
    request: (f) => ({ spec: tokenRequest({}), authorization: basicAuth(f.clients['x-corp'].clientId, 'wrong') }),
  },
  {
    name: "a user's ID token instead of client credentials",
    statuses: [401],
    request: (f) => ({
      spec: tokenRequest({}),
      authorization: `Bearer ${defined(f.disabled[0], 'the first disabled user').token}`,
    }),
  },
  { name: 'no credentials', statuses: [401], request: () => ({ spec: tokenRequest({}) }) },
  {
    name: 'a password grant',
    statuses: [400],
    request: (f) => ({
      spec: tokenRequest({
        grant_type: 'password',
        client_id: f.clients['x-corp'].clientId,
        client_secret: f.clients['x-corp'].clientSecret,
      }),
    }),
  },
  {
    name: 'a JSON body instead of a form',
    statuses: [400],
    request: (f) => ({
      spec: {
        method: 'POST',
        path: '/oauth2/token',
        body: {
          grant_type: 'client_credentials',
          client_id: f.clients['x-corp'].clientId,
          client_secret: f.clients['x-corp'].clientSecret,
        },
      },
    }),
  },
  {
    // A client mistake is a 4xx (invalid_client or invalid_request), never a 500.
    name: 'a malformed percent-escape in the secret (HTTP Basic)',
    statuses: [400, 401],
    request: (f) => ({ spec: tokenRequest({}), authorization: basicAuth(f.clients['x-corp'].clientId, '%') }),
  },
  {
    name: 'a malformed percent-escape in the secret (form)',
    statuses: [400, 401],
    request: (f) => ({
      spec: {
        method: 'POST',
        path: '/oauth2/token',
        // Raw, so that the escape reaches the portal malformed.
        raw: {
          contentType: 'application/x-www-form-urlencoded',
          body: `grant_type=client_credentials&client_id=${f.clients['x-corp'].clientId}&client_secret=%E0%A4%A`,
        },
      },
    }),
  },
];

export const unknownClientRequest = (): RequestSpec =>
  tokenRequest({ client_id: `pac_${crockford(26)}`, client_secret: 'whatever-secret' });
