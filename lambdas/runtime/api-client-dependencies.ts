import { MACHINE_TOKEN_AUDIENCE, MACHINE_TOKEN_ISSUER } from '../config/auth';
import { ApiClientService } from '../domain/api-clients';
import { machineTokenSigner } from './authentication';
import { now } from './clock';
import { once } from './once';
import { apiClientStore, directoryStore } from './stores';

/** Machine clients: their records live in the directory table; their tokens are signed by the portal's token key. */
export const apiClientService = once(
  (): ApiClientService =>
    new ApiClientService({
      clients: apiClientStore(),
      directory: directoryStore(),
      tokens: machineTokenSigner(),
      issuer: MACHINE_TOKEN_ISSUER,
      audience: MACHINE_TOKEN_AUDIENCE,
      clock: now,
    }),
);
