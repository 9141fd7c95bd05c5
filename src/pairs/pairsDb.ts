/**
 * Pair projects in IndexedDB (through `idb`), in their own database so a
 * failure elsewhere in the app never touches them. Writes of many pairs go in
 * one transaction: all or nothing.
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { PreferencePair } from './pair';

export interface Project {
  id: string;
  name: string;
  created_at: number;
}

interface StoredPair {
  project: string;
  id: string;
  pair: PreferencePair;
}

interface PairsSchema extends DBSchema {
  projects: { key: string; value: Project };
  pairs: { key: [string, string]; value: StoredPair; indexes: { project: string } };
}

export const PAIRS_DB_NAME = 'pasta-workbench-pairs';
const VERSION = 1;

export class PairsDb {
  private constructor(private readonly db: IDBPDatabase<PairsSchema>) {}

  static async open(name = PAIRS_DB_NAME): Promise<PairsDb> {
    const db = await openDB<PairsSchema>(name, VERSION, {
      upgrade(database) {
        database.createObjectStore('projects', { keyPath: 'id' });
        database.createObjectStore('pairs', { keyPath: ['project', 'id'] }).createIndex('project', 'project');
      },
    });
    return new PairsDb(db);
  }

  async projects(): Promise<Project[]> {
    return (await this.db.getAll('projects')).sort((a, b) => a.created_at - b.created_at);
  }

  async putProject(project: Project) {
    await this.db.put('projects', project);
  }

  /** Deletes a project and its pairs. */
  async deleteProject(id: string) {
    const tx = this.db.transaction(['projects', 'pairs'], 'readwrite');
    await tx.objectStore('projects').delete(id);
    const pairs = tx.objectStore('pairs');
    for (const key of await pairs.index('project').getAllKeys(id)) await pairs.delete(key);
    await tx.done;
  }

  async pairs(project: string): Promise<PreferencePair[]> {
    return (await this.db.getAllFromIndex('pairs', 'project', project)).map((s) => s.pair).sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
  }

  /** Adds or replaces pairs of a project in one transaction. */
  async putPairs(project: string, pairs: readonly PreferencePair[]) {
    const tx = this.db.transaction('pairs', 'readwrite');
    for (const pair of pairs) void tx.store.put({ project, id: pair.id, pair });
    await tx.done;
  }

  async deletePairs(project: string, ids: readonly string[]) {
    const tx = this.db.transaction('pairs', 'readwrite');
    for (const id of ids) void tx.store.delete([project, id]);
    await tx.done;
  }
}
