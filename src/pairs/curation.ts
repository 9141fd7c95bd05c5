/** Curation as pure functions: every change returns a new pair with the edit recorded. */
import type { PairCategory, PairEdit, PairStatus, PreferencePair } from './pair';

export interface PairFilters {
  category?: PairCategory;
  status?: PairStatus;
  /** An adversary recipe id, or 'none' for pairs without one. */
  recipe?: string;
  tag?: string;
  /** Video path (relative). */
  video?: string;
  minMargin?: number;
  maxMargin?: number;
}

export function filterPairs(pairs: readonly PreferencePair[], f: PairFilters): PreferencePair[] {
  return pairs.filter(
    (p) =>
      (!f.category || p.category === f.category) &&
      (!f.status || p.status === f.status) &&
      (!f.recipe || (f.recipe === 'none' ? p.adversary === null : p.adversary?.recipe === f.recipe)) &&
      (!f.tag || p.tags.includes(f.tag)) &&
      (!f.video || p.video.path === f.video) &&
      (f.minMargin === undefined || (p.margin !== null && p.margin >= f.minMargin)) &&
      (f.maxMargin === undefined || (p.margin !== null && p.margin <= f.maxMargin)),
  );
}

export type Counts = Record<string, Record<PairStatus | 'all', number>>;

/** Pairs per category and status, plus an `all` row and column. */
export function countPairs(pairs: readonly PreferencePair[]): Counts {
  const out: Counts = {};
  const bump = (c: string, s: PairStatus) => {
    out[c] ??= { pending: 0, accepted: 0, rejected: 0, all: 0 };
    out[c][s]++;
    out[c].all++;
  };
  for (const p of pairs) {
    bump(p.category, p.status);
    bump('all', p.status);
  }
  out.all ??= { pending: 0, accepted: 0, rejected: 0, all: 0 };
  return out;
}

const edited = (pair: PreferencePair, edit: Omit<PairEdit, 'at'>, changes: Partial<PreferencePair>, now: number): PreferencePair => ({
  ...pair,
  ...changes,
  edits: [...pair.edits, { ...edit, at: now }],
  updated_at: now,
});

export function setStatus(pair: PreferencePair, status: PairStatus, now = Date.now()): PreferencePair {
  return pair.status === status ? pair : edited(pair, { field: 'status', before: pair.status, after: status }, { status }, now);
}

/** Exchanges chosen and rejected (the generator got them the wrong way round). */
export function swapSides(pair: PreferencePair, now = Date.now()): PreferencePair {
  return edited(pair, { field: 'swap', before: pair.chosen, after: pair.rejected }, { chosen: pair.rejected, rejected: pair.chosen }, now);
}

export type EditableField = 'chosen' | 'rejected' | 'query' | 'adversarial_query' | 'notes';

export function editText(pair: PreferencePair, field: EditableField, text: string, now = Date.now()): PreferencePair {
  return pair[field] === text ? pair : edited(pair, { field, before: pair[field], after: text }, { [field]: text }, now);
}

export function setTags(pair: PreferencePair, tags: string[], now = Date.now()): PreferencePair {
  const clean = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  return clean.join(',') === pair.tags.join(',') ? pair : edited(pair, { field: 'tags', before: pair.tags.join(', '), after: clean.join(', ') }, { tags: clean }, now);
}

export interface LibraryVideo {
  id: string;
  name: string;
  relativePath: string;
}

/**
 * Matches pairs to library videos by relative path (exact, or one ending
 * with the other), then by file name. Unmatched paths are listed; the pairs stay.
 */
export function matchVideos(pairs: readonly PreferencePair[], videos: readonly LibraryVideo[]): { matched: Map<string, string>; unmatched: string[] } {
  const byPath = new Map(videos.map((v) => [v.relativePath, v.id]));
  const byName = new Map(videos.map((v) => [v.name, v.id]));
  const matched = new Map<string, string>();
  const unmatched = new Set<string>();
  for (const p of pairs) {
    const path = p.video.path;
    if (!path) continue;
    const name = path.split('/').pop()!;
    const id = byPath.get(path) ?? videos.find((v) => v.relativePath.endsWith(`/${path}`) || path.endsWith(`/${v.relativePath}`))?.id ?? byName.get(name);
    if (id) matched.set(p.id, id);
    else unmatched.add(path);
  }
  return { matched, unmatched: [...unmatched].sort() };
}
