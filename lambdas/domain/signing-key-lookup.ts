import type { SigningKey } from './signing-keys';

/**
 * What verifying a signed response needs of the platform signing keys: one key, as stored now (a revocation
 * recorded since the signature was accepted must still be seen).
 */
export interface SigningKeyLookup {
  getKey(platformId: string, kid: string): Promise<SigningKey | undefined>;
}
