/** Long-lived services the store's actions use: the library database and the media Worker. */
import { LibraryDb } from '../../library/libraryDb';

let db: Promise<LibraryDb> | null = null;
export const libraryDb = () => (db ??= LibraryDb.open());
export { mediaWorker } from '../mediaWorker';
