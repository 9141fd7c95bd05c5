import { checkCanonical } from '../../pairs/validate';
import type { TrainerFormat } from '../formatTypes';

/** Our own JSONL: the pair record itself, every field kept (the only format that round-trips). */
export const canonical: TrainerFormat = {
  id: 'canonical',
  label: 'PASTA canonical JSONL',
  drops: [],
  about: 'Every field of every pair: category, video, queries, responses, sampling, adversary spec and seed, provenance, curation status, edits, tags and notes.',
  write: (pair) => pair,
  read: (record) => checkCanonical(record),
  looksLike: (r) => 'sampling' in r && 'status' in r && 'chosen' in r,
};
