import type { Caller } from '../domain/caller';
import { Unauthenticated } from '../domain/errors';
import type { TokenVerifier } from './token-verifier';

/** Reads `Authorization: Bearer <jwt>` and verifies it; anything else is a 401 that says what was wrong. */
export function bearerAuthenticator(verifier: TokenVerifier) {
  return async (authorization: string | undefined): Promise<Caller> => {
    if (!authorization) throw new Unauthenticated('Send a bearer token in the Authorization header.');
    const token = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/i.exec(authorization)?.[1];
    if (token === undefined) throw new Unauthenticated('The Authorization header must be "Bearer <token>".');
    return verifier.verify(token);
  };
}
