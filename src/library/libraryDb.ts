/** The video library in IndexedDB (through `idb`): files, probes and thumbnails survive reloads. */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { VideoRecord } from './videoRecord';

interface LibrarySchema extends DBSchema {
  videos: { key: string; value: VideoRecord; indexes: { addedAt: number } };
}

export const LIBRARY_DB_NAME = 'pasta-workbench';
const VERSION = 1;

export class LibraryDb {
  private constructor(private readonly db: IDBPDatabase<LibrarySchema>) {}

  static async open(name = LIBRARY_DB_NAME): Promise<LibraryDb> {
    const db = await openDB<LibrarySchema>(name, VERSION, {
      upgrade(database) {
        const videos = database.createObjectStore('videos', { keyPath: 'id' });
        videos.createIndex('addedAt', 'addedAt');
      },
    });
    return new LibraryDb(db);
  }

  /** Every video, oldest first. */
  list(): Promise<VideoRecord[]> {
    return this.db.getAllFromIndex('videos', 'addedAt');
  }

  put(record: VideoRecord): Promise<string> {
    return this.db.put('videos', record);
  }

  delete(id: string): Promise<void> {
    return this.db.delete('videos', id);
  }
}
