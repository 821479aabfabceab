/**
 * Where the background keeps what it needs to sync after a browser restart: the
 * non-extractable vault key (a CryptoKey is structured-cloneable, so IndexedDB holds it
 * without its bytes ever being readable) and the WebDAV address, user and password.
 * The passphrase itself is never kept. Turning sync off deletes the record.
 */

import type { VaultKey } from './vault';
import type { DavConfig } from './webdav';

export interface SyncSecrets {
  dav: DavConfig;
  key: VaultKey;
}

const DB = 'quota-glance-sync';
const STORE = 'secrets';
const RECORD = 'current';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB cannot be opened'));
  });
}

async function run<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result as T);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
  } finally {
    db.close();
  }
}

export const loadSecrets = () => run<SyncSecrets | undefined>('readonly', (store) => store.get(RECORD));
export const saveSecrets = (secrets: SyncSecrets) => run<unknown>('readwrite', (store) => store.put(secrets, RECORD));
export const forgetSecrets = () => run<unknown>('readwrite', (store) => store.delete(RECORD));
