import { KMSClient } from '@aws-sdk/client-kms';
import { createLocalJWKSet } from 'jose';
import { ACCESS_TOKEN_TYPE, FileReceiptSigner, KmsReceiptSigner } from '../adapters/receipt-signers';
import { bearerAuthenticator } from '../auth/authenticate';
import { jwksTokenVerifier } from '../auth/token-verifier';
import { authConfig, MACHINE_TOKEN_AUDIENCE, MACHINE_TOKEN_ISSUER, machineTokenConfig } from '../config/auth';
import { sdkClientConfig } from '../config/sdk-clients';
import type { AccessTokenSigner } from '../domain/access-token-signer';
import { resolveMachineCaller } from '../domain/api-clients';
import { resolveCaller } from '../domain/directory-service';
import type { Authenticate } from '../http/api-handler';
import { traced } from '../observability/tracer';
import { once } from './once';
import { apiClientStore, directoryStore } from './stores';

/** Signs (token endpoint) and publishes the keys of the portal's machine-client access tokens. */
export const machineTokenSigner = once((): AccessTokenSigner & Pick<FileReceiptSigner, 'publicJwks'> => {
  const settings = machineTokenConfig();
  return settings.signer === 'file'
    ? new FileReceiptSigner(settings.keyFile, ACCESS_TOKEN_TYPE)
    : new KmsReceiptSigner(traced(new KMSClient(sdkClientConfig('kms'))), settings.keyId, ACCESS_TOKEN_TYPE);
});

/**
 * The process's authenticator: the identity provider's ID tokens and the portal's own access tokens. A getter,
 * so that public routes (which take none) never need the authentication settings.
 */
export const authenticate = once((): Authenticate => {
  const machineTokens = machineTokenSigner();
  const machineKeys = once(async () => createLocalJWKSet(await machineTokens.publicJwks()));
  const bearer = bearerAuthenticator(
    jwksTokenVerifier(authConfig(), undefined, {
      issuer: MACHINE_TOKEN_ISSUER,
      audience: MACHINE_TOKEN_AUDIENCE,
      keys: async (header, token) => (await machineKeys())(header, token),
    }),
  );
  const directory = directoryStore();
  const clients = apiClientStore();
  // A valid signature is not enough: the account (or API client) must be known to the portal and active, now.
  return async (header) => {
    const caller = await bearer(header);
    return caller.via === 'api-client'
      ? resolveMachineCaller(clients, directory, caller.subject, caller.platformId)
      : resolveCaller(directory, caller);
  };
});
