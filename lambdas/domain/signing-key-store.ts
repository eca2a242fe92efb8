import type { SigningKeyLookup } from './signing-key-lookup';
import type { KeyClaim, SigningKey } from './signing-keys';

/** Storage of platform signing keys, and of the claims that bind each public key to one platform. */
export interface SigningKeyStore extends SigningKeyLookup {
  /**
   * Claims the public key (by thumbprint) for one platform, once and for all: writes the claim if there is none,
   * and returns whichever claim is stored — this one, or the one that was there first.
   */
  claimKey(claim: KeyClaim): Promise<KeyClaim>;
  createKey(key: SigningKey): Promise<boolean>;
  replaceKey(key: SigningKey, condition: 'not-revoked'): Promise<boolean>;
  listKeys(platformId: string): Promise<SigningKey[]>;
}
