/** Long-lived services the store's actions use: the library and pairs databases and the media Worker. */
import { LibraryDb } from '../../library/libraryDb';
import { PairsDb } from '../../pairs/pairsDb';

let db: Promise<LibraryDb> | null = null;
export const libraryDb = () => (db ??= LibraryDb.open());
let pairs: Promise<PairsDb> | null = null;
export const pairsDb = () => (pairs ??= PairsDb.open());
export { mediaWorker } from '../workers';
