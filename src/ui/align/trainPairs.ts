/**
 * What training reads from the pair store: the self-generated (or any
 * synthetic-world) pairs of the project as curated, so an edit, a swap or a
 * rejection in Curate is what the adapter learns from. A train pair is plain
 * data (no frames): the Worker renders the scene again from its seed, so a
 * run record stays small enough to keep in IndexedDB and resume from.
 * DOM-free.
 */
import type { PairCategory } from '../../align';
import type { PreferencePair } from '../../pairs';
import { PairSetError } from '../../train/errors';

/** One pair to train on, as the run record keeps it. */
export interface TrainPairSpec {
  id: string;
  category: PairCategory;
  /** generateScene(split, sceneSeed) rebuilds its video (the preferred view). */
  split: 'train' | 'eval';
  sceneSeed: number;
  question: string;
  chosen: string;
  rejected: string;
}

const FROM_STORE: Partial<Record<PreferencePair['category'], PairCategory>> = { spatial: 'spatial', temporal: 'temporal', 'cross-frame': 'cross_frame' };
const SYNTH_PATH = /^synth\/(train|eval)\/(\d+)$/;

/**
 * The train pair of a stored record, or null when it cannot train the
 * built-in model: rejected in Curate, not a synthetic-world video, or
 * without a category.
 */
export function trainSpecOf(p: PreferencePair): TrainPairSpec | null {
  if (p.status === 'rejected') return null;
  const m = SYNTH_PATH.exec(p.video.path);
  const category = FROM_STORE[p.category];
  if (!m || !category || !p.chosen.trim() || !p.rejected.trim()) return null;
  return { id: p.id, category, split: m[1] as 'train' | 'eval', sceneSeed: Number(m[2]), question: p.query, chosen: p.chosen.trim(), rejected: p.rejected.trim() };
}

/** The train pairs of a project, in store order, only of `categories`; how many of each were left out and why. */
export function trainSetOf(pairs: readonly PreferencePair[], categories: readonly PairCategory[]): { specs: TrainPairSpec[]; rejected: number; other: number } {
  const specs: TrainPairSpec[] = [];
  let rejected = 0;
  let other = 0;
  for (const p of pairs) {
    if (p.status === 'rejected') {
      rejected++;
      continue;
    }
    const s = trainSpecOf(p);
    if (s && categories.includes(s.category)) specs.push(s);
    else other++;
  }
  return { specs, rejected, other };
}

/** Pairs per category of a train set. */
export function countByCategory(specs: readonly Pick<TrainPairSpec, 'category'>[]): Record<PairCategory, number> {
  const out: Record<PairCategory, number> = { spatial: 0, temporal: 0, cross_frame: 0 };
  for (const s of specs) out[s.category]++;
  return out;
}

/**
 * Refuses a train set that cannot train the run before a Worker starts (the
 * trainer refuses it again, by the same name): empty, or without pairs of a
 * category it trains.
 */
export function checkTrainSet(specs: readonly Pick<TrainPairSpec, 'category'>[], categories: readonly PairCategory[]): void {
  if (!specs.length) throw new PairSetError('pairs', 'the pair set is empty: generate pairs (or accept some in Curate) first');
  const counts = countByCategory(specs);
  const missing = categories.filter((c) => counts[c] === 0);
  if (missing.length) throw new PairSetError('pairs', `no ${missing.join(' or ')} pairs for a run that trains ${categories.join(', ')} (${categories.map((c) => `${c} ${counts[c]}`).join(', ')}): make more pairs or train fewer categories`);
}
