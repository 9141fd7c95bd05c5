/**
 * Browser storage of alignment (IndexedDB through idb, its own database, so
 * nothing here can touch the pairs or the library): runs, their checkpoints,
 * and the adapter the model views use. Opened both by the align Worker
 * (which writes checkpoints as it trains) and by the page (which lists the
 * run after a reload and keeps the active adapter).
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { AdapterFile } from '../../model';
import type { RunStore, StoredCheckpoint, TrainRun } from './trainRun';

/** An adapter the workbench keeps: trained here or loaded from files. */
export interface StoredAdapter {
  name: string;
  /** trained: by a run here (runId names it); file: loaded by the user. */
  source: 'trained' | 'file';
  runId: string | null;
  createdAt: number;
  files: Record<AdapterFile, Uint8Array>;
}

interface AlignSchema extends DBSchema {
  runs: { key: string; value: TrainRun };
  checkpoints: { key: string; value: StoredCheckpoint };
  adapters: { key: string; value: StoredAdapter & { key: string } };
}

export const ALIGN_DB_NAME = 'pasta-workbench-align';
const VERSION = 1;
/** The one run the Align view shows (a new run replaces it). */
export const CURRENT_RUN = 'current';
const ACTIVE_ADAPTER = 'active';

export class AlignDb implements RunStore {
  private constructor(private readonly db: IDBPDatabase<AlignSchema>) {}

  static async open(name = ALIGN_DB_NAME): Promise<AlignDb> {
    const db = await openDB<AlignSchema>(name, VERSION, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'id' });
        database.createObjectStore('checkpoints', { keyPath: 'runId' });
        database.createObjectStore('adapters', { keyPath: 'key' });
      },
    });
    return new AlignDb(db);
  }

  getRun(id: string) {
    return this.db.get('runs', id);
  }

  async putRun(run: TrainRun) {
    await this.db.put('runs', run);
  }

  getCheckpoint(runId: string) {
    return this.db.get('checkpoints', runId);
  }

  async putCheckpoint(c: StoredCheckpoint, run: TrainRun) {
    const tx = this.db.transaction(['checkpoints', 'runs'], 'readwrite');
    void tx.objectStore('checkpoints').put(c);
    void tx.objectStore('runs').put(run);
    await tx.done;
  }

  /** Forgets a run and its checkpoint (a new run is about to replace it). */
  async deleteRun(id: string) {
    const tx = this.db.transaction(['checkpoints', 'runs'], 'readwrite');
    void tx.objectStore('checkpoints').delete(id);
    void tx.objectStore('runs').delete(id);
    await tx.done;
  }

  async activeAdapter(): Promise<StoredAdapter | undefined> {
    const a = await this.db.get('adapters', ACTIVE_ADAPTER);
    if (!a) return undefined;
    const { key: _key, ...adapter } = a;
    return adapter;
  }

  async setActiveAdapter(adapter: StoredAdapter | null) {
    if (adapter) await this.db.put('adapters', { ...adapter, key: ACTIVE_ADAPTER });
    else await this.db.delete('adapters', ACTIVE_ADAPTER);
  }
}

let opened: Promise<AlignDb> | null = null;
/** This context's connection (page or Worker), opened once. */
export const alignDb = () => (opened ??= AlignDb.open());
