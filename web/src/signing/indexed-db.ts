/**
 * The browser's own database for what signing keeps: the user's keys (CryptoKey objects, which IndexedDB stores by
 * structured clone without their private bytes ever becoming readable) and signed responses, so a closed tab loses
 * neither. One database, opened lazily.
 *
 * The few IndexedDB members used are typed here rather than taken from the DOM library: the unit tests type-check
 * these modules in the Node program (tsconfig.json, no DOM lib), where they run against fake-indexeddb.
 */
interface Request<T> {
  readonly result: T;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface OpenRequest extends Request<Database> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
}
interface Database {
  readonly objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string, options: { keyPath: string | string[] }): ObjectStore;
  transaction(store: string, mode: 'readonly' | 'readwrite'): Transaction;
  close(): void;
}
interface Transaction {
  readonly error: unknown;
  objectStore(name: string): ObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}
export interface ObjectStore {
  put(value: unknown): Request<unknown>;
  get(key: unknown): Request<unknown>;
  delete(key: unknown): Request<undefined>;
  createIndex(name: string, keyPath: string): unknown;
  index(name: string): { getAll(query: unknown): Request<unknown[]> };
}
interface Browser {
  indexedDB: { open(name: string, version: number): OpenRequest };
  IDBKeyRange: { only(value: unknown): unknown };
}
const browser = () => globalThis as unknown as Browser;

const DB_NAME = 'notice-portal-signing';
const DB_VERSION = 1;
export const KEYS_STORE = 'keys';
export const RESPONSES_STORE = 'signed-responses';

let opening: Promise<Database> | undefined;

function openSigningDb(): Promise<Database> {
  opening ??= new Promise<Database>((resolve, reject) => {
    const request = browser().indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(KEYS_STORE)) {
        const keys = db.createObjectStore(KEYS_STORE, { keyPath: ['owner', 'kid'] });
        keys.createIndex('owner', 'owner');
      }
      if (!db.objectStoreNames.contains(RESPONSES_STORE)) db.createObjectStore(RESPONSES_STORE, { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('The signing key store is open in an older tab of this site.'));
  }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

/** A key range matching one value (an index lookup). */
export const only = (value: unknown): unknown => browser().IDBKeyRange.only(value);

/** Runs one request in its own transaction and resolves with its result once the transaction has committed. */
export async function inStore<T>(
  store: string,
  mode: 'readonly' | 'readwrite',
  run: (objects: ObjectStore) => Request<unknown>,
): Promise<T> {
  const db = await openSigningDb();
  return new Promise<T>((resolve, reject) => {
    let tx: Transaction;
    let request: Request<unknown>;
    try {
      tx = db.transaction(store, mode);
      // A CryptoKey the browser cannot clone (Ed25519 in older Firefox) throws DataCloneError right here.
      request = run(tx.objectStore(store));
    } catch (error) {
      reject(error);
      return;
    }
    tx.oncomplete = () => resolve(request.result as T);
    tx.onerror = () => reject(tx.error ?? request.error);
    tx.onabort = () => reject(tx.error ?? new Error('The browser refused to store this.'));
  });
}

/** Forgets the open connection, as a new tab would start (tests; fake-indexeddb keeps the data). */
export function closeSigningDb(): void {
  void opening?.then((db) => db.close());
  opening = undefined;
}
