import { MACHINE_TOKEN_AUDIENCE, MACHINE_TOKEN_ISSUER } from '../config';
import { ApiClientService } from '../domain/api-clients';
import { now } from './clock';
import { dependencies } from './dependencies';

let built: ApiClientService | undefined;

/** Machine clients: their records live in the directory table; their tokens are signed by the portal's token key. */
export function apiClientService(): ApiClientService {
  if (built) return built;
  const { directory, machineTokens } = dependencies();
  built = new ApiClientService({
    clients: directory,
    directory,
    tokens: machineTokens,
    issuer: MACHINE_TOKEN_ISSUER,
    audience: MACHINE_TOKEN_AUDIENCE,
    clock: now,
  });
  return built;
}
