/** Preference pairs: the canonical record, validation, curation, storage. */
export * from './pair';
export { checkCanonical, PairFieldError, type RecordError } from './validate';
export * from './curation';
export { PairsDb, PAIRS_DB_NAME, type Project } from './pairsDb';
