import type { SigningAlgorithm } from '../../../lambdas/domain/signing-keys';
import { inStore, KEYS_STORE, only } from './indexed-db';
import { type BrowserSigningKey, generateBrowserKey } from './signing-key';

/**
 * The keys this browser keeps for one signed-in user of one platform. Keys are per user and platform so that a
 * shared computer never offers one lawyer's key to another, nor a key registered for one platform to another.
 */
export interface KeyOwner {
  subject: string;
  platformId: string;
}

interface StoredKey extends BrowserSigningKey {
  owner: string;
}

const ownerId = (owner: KeyOwner) => `${owner.platformId}/${owner.subject}`;

export async function listKeys(owner: KeyOwner): Promise<BrowserSigningKey[]> {
  const rows = await inStore<StoredKey[]>(KEYS_STORE, 'readonly', (keys) =>
    keys.index('owner').getAll(only(ownerId(owner))),
  );
  return rows.map(({ owner: _owner, ...key }) => key).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function saveKey(owner: KeyOwner, key: BrowserSigningKey): Promise<void> {
  await inStore(KEYS_STORE, 'readwrite', (keys) => keys.put({ ...key, owner: ownerId(owner) } satisfies StoredKey));
}

export async function removeKey(owner: KeyOwner, kid: string): Promise<void> {
  await inStore(KEYS_STORE, 'readwrite', (keys) => keys.delete([ownerId(owner), kid]));
}

export interface CreatedKey {
  key: BrowserSigningKey;
  /** Why the key is P-256, when Ed25519 was tried first and the browser could not make or keep it. */
  fellBackBecause?: string;
}

/**
 * Makes and keeps a new key: Ed25519 where this browser can both generate it non-extractable and store it (some
 * browsers generate Ed25519 but cannot structured-clone it into IndexedDB), else ECDSA P-256. Detected by trying
 * exactly what is needed — generate, then store — rather than by browser name.
 */
export async function createKey(
  owner: KeyOwner,
  now: Date = new Date(),
  prefer: SigningAlgorithm = 'EdDSA',
): Promise<CreatedKey> {
  if (prefer === 'EdDSA') {
    let reason: string;
    try {
      const key = await generateBrowserKey('EdDSA', now);
      try {
        await saveKey(owner, key);
        return { key };
      } catch (error) {
        reason = `this browser cannot store Ed25519 keys (${(error as Error).name || (error as Error).message})`;
      }
    } catch (error) {
      reason = `this browser cannot make Ed25519 keys (${(error as Error).name || (error as Error).message})`;
    }
    const key = await generateBrowserKey('ES256', now);
    await saveKey(owner, key);
    return { key, fellBackBecause: reason };
  }
  const key = await generateBrowserKey('ES256', now);
  await saveKey(owner, key);
  return { key };
}
