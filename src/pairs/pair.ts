/**
 * The canonical preference pair: one record that every import format maps
 * into and every export format is written from. Field names are the JSON
 * names (the canonical JSONL line is the record itself).
 */
import type { AdversarySpec, Category } from '../adversary/types';

/** The three VideoPASTA categories, plus pairs that came without one. */
export type PairCategory = Category | 'uncategorized';
// A record over the type, so a category added to the adversary's type does not compile until it is listed here
// (pairs may import the adversary's types, not its values).
const LISTED: Record<PairCategory, true> = { spatial: true, temporal: true, 'cross-frame': true, uncategorized: true };
export const PAIR_CATEGORIES = Object.keys(LISTED) as readonly PairCategory[];
/** The categories an adversary spec can have. */
export const ADVERSARY_CATEGORIES = PAIR_CATEGORIES.filter((c): c is Category => c !== 'uncategorized');

export type PairStatus = 'pending' | 'accepted' | 'rejected';
export const PAIR_STATUSES: readonly PairStatus[] = ['pending', 'accepted', 'rejected'];

/** How frames were (or are to be) sampled: Qwen2.5-VL's two exclusive ways. */
export interface SamplingRef {
  mode: 'fps' | 'nframes';
  value: number;
}

/** Who or what produced a response or a judgement. */
export interface Provenance {
  /** `workbench` (our built-in model), `endpoint` (an OpenAI-compatible server), `import`, `human`. */
  kind: 'workbench' | 'endpoint' | 'import' | 'human';
  /** Model or person, e.g. `Qwen2.5-VL-7B-Instruct`. */
  name: string;
  /** Anything else worth keeping: server, prompt version, temperature... */
  details?: Record<string, string | number | boolean>;
}

/** One change made while curating, kept so it can be shown and undone. */
export interface PairEdit {
  at: number;
  field: 'chosen' | 'rejected' | 'query' | 'adversarial_query' | 'swap' | 'status' | 'tags' | 'notes' | 'category';
  before: string;
  after: string;
}

export interface PreferencePair {
  id: string;
  category: PairCategory;
  video: {
    /** Relative to the dataset root, with forward slashes; never an absolute path. */
    path: string;
    duration_s: number | null;
    native_fps: number | null;
  };
  /** The aligned query, answered on the preferred view. */
  query: string;
  /** The false-premise rewrite the rejected answer replied to ('' when there was none). */
  adversarial_query: string;
  chosen: string;
  rejected: string;
  sampling: { chosen: SamplingRef; rejected: SamplingRef; train: SamplingRef };
  /** How the adversarial view was made, so it can be rebuilt; null for pairs made elsewhere. */
  adversary: AdversarySpec | null;
  generator: Provenance | null;
  judge: Provenance | null;
  /** Policy margin (β-scaled reward difference) when a model scored it. */
  margin: number | null;
  status: PairStatus;
  edits: PairEdit[];
  tags: string[];
  notes: string;
  created_at: number;
  updated_at: number;
}

/** The paper's sampling: preferred view at 2 fps, adversarial at 1 fps, training on 32 frames. */
export const DEFAULT_SAMPLING: PreferencePair['sampling'] = {
  chosen: { mode: 'fps', value: 2 },
  rejected: { mode: 'fps', value: 1 },
  train: { mode: 'nframes', value: 32 },
};

/** A pair with every field filled: `fields` over sensible defaults. */
export function makePair(fields: Partial<PreferencePair> & Pick<PreferencePair, 'id' | 'query' | 'chosen' | 'rejected'>, now = Date.now()): PreferencePair {
  return {
    category: 'uncategorized',
    video: { path: '', duration_s: null, native_fps: null },
    adversarial_query: '',
    sampling: DEFAULT_SAMPLING,
    adversary: null,
    generator: null,
    judge: null,
    margin: null,
    status: 'pending',
    edits: [],
    tags: [],
    notes: '',
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

/** Forward slashes, no leading slash or drive, no `..`: a path that stays inside the dataset root. */
export function relativeVideoPath(path: string): string {
  const parts = path.replaceAll('\\', '/').replace(/^[a-zA-Z]:/, '').split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  return parts.join('/');
}
