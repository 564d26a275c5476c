/**
 * Models saved in the browser (IndexedDB `epdi-lab`, store `models`): the same zip bytes as the server and the export,
 * plus a few fields to list them. Keyed by an id made at save time; per dataset.
 */
export interface StoredModel {
  id: string;
  datasetId: string;
  name: string;
  savedAt: string;
  metrics: Record<string, unknown>;
  zip: Uint8Array;
}

const DB = 'epdi-lab';
const STORE = 'models';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: 'id' });
      store.createIndex('datasetId', 'datasetId');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is unavailable'));
  });
}

function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(req.result);
        };
        tx.onerror = () => {
          db.close();
          reject(tx.error ?? new Error('IndexedDB transaction failed'));
        };
      }),
  );
}

export function saveLocalModel(m: Omit<StoredModel, 'id' | 'savedAt'>): Promise<StoredModel> {
  const row: StoredModel = { ...m, id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, savedAt: new Date().toISOString() };
  return run('readwrite', (s) => s.put(row)).then(() => row);
}

export async function listLocalModels(datasetId: string): Promise<StoredModel[]> {
  const rows = await run<StoredModel[]>('readonly', (s) => s.index('datasetId').getAll(datasetId) as IDBRequest<StoredModel[]>);
  return rows.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

export function deleteLocalModel(id: string): Promise<undefined> {
  return run('readwrite', (s) => s.delete(id) as IDBRequest<undefined>);
}
