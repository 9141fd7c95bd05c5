import { describe, expect, it } from 'vitest';
import { countPairs, editText, filterPairs, makePair, matchVideos, setStatus, setTags, swapSides } from '.';

const p = (id: string, over = {}) => makePair({ id, query: 'q', chosen: 'good', rejected: 'bad', video: { path: `clips/${id}.mp4`, duration_s: 1, native_fps: 30 }, ...over }, 0);

describe('curation', () => {
  it('status, swap, edits and tags record their history and return new pairs', () => {
    const a = p('a');
    const accepted = setStatus(a, 'accepted', 5);
    expect(a.status).toBe('pending');
    expect(accepted.status).toBe('accepted');
    expect(accepted.edits).toEqual([{ at: 5, field: 'status', before: 'pending', after: 'accepted' }]);
    expect(setStatus(accepted, 'accepted', 6)).toBe(accepted);
    const swapped = swapSides(accepted, 7);
    expect([swapped.chosen, swapped.rejected]).toEqual(['bad', 'good']);
    expect(editText(swapped, 'chosen', 'better', 8).chosen).toBe('better');
    expect(setTags(a, [' hard ', 'hard', '', 'left-right'], 9).tags).toEqual(['hard', 'left-right']);
  });

  it('filters by category, status, recipe, tag, video and margin; counts per category and status', () => {
    const pairs = [
      p('a', { category: 'spatial', status: 'accepted', margin: 2, tags: ['x'] }),
      p('b', { category: 'temporal', adversary: { category: 'temporal', recipe: 'paper.temporal', params: {}, seed: 0 }, margin: -1 }),
      p('c', { category: 'temporal', status: 'rejected' }),
    ];
    expect(filterPairs(pairs, { category: 'temporal' }).map((x) => x.id)).toEqual(['b', 'c']);
    expect(filterPairs(pairs, { status: 'accepted' }).map((x) => x.id)).toEqual(['a']);
    expect(filterPairs(pairs, { recipe: 'paper.temporal' }).map((x) => x.id)).toEqual(['b']);
    expect(filterPairs(pairs, { recipe: 'none' }).map((x) => x.id)).toEqual(['a', 'c']);
    expect(filterPairs(pairs, { tag: 'x' }).map((x) => x.id)).toEqual(['a']);
    expect(filterPairs(pairs, { video: 'clips/c.mp4' }).map((x) => x.id)).toEqual(['c']);
    expect(filterPairs(pairs, { minMargin: 0 }).map((x) => x.id)).toEqual(['a']);
    const counts = countPairs(pairs);
    expect(counts.temporal).toEqual({ pending: 1, accepted: 0, rejected: 1, all: 2 });
    expect(counts.all).toEqual({ pending: 1, accepted: 1, rejected: 1, all: 3 });
  });

  it('matches videos by relative path, then by file name; lists the rest', () => {
    const pairs = [p('a'), p('b', { video: { path: 'elsewhere/b.mp4', duration_s: null, native_fps: null } }), p('c', { video: { path: 'nowhere/zzz.mp4', duration_s: null, native_fps: null } })];
    const { matched, unmatched } = matchVideos(pairs, [
      { id: 'va', name: 'a.mp4', relativePath: 'root/clips/a.mp4' },
      { id: 'vb', name: 'b.mp4', relativePath: 'b.mp4' },
    ]);
    expect(Object.fromEntries(matched)).toEqual({ a: 'va', b: 'vb' });
    expect(unmatched).toEqual(['nowhere/zzz.mp4']);
  });
});
