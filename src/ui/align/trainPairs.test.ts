import { describe, expect, it } from 'vitest';
import { makePair, setStatus } from '../../pairs';
import { checkTrainSet, countByCategory, trainSetOf, trainSpecOf } from './trainPairs';
import { builtinPairsOf } from './renderPairs';
import { oraclePairs } from './oraclePairs';
import { DEFAULT_MODEL, WordTokenizer, geometry } from '../../model';
import { VOCABULARY } from '../../synth';

const record = (id: string, over: Partial<Parameters<typeof makePair>[0]> = {}) => makePair({
  id, category: 'temporal', video: { path: 'synth/train/42', duration_s: 4, native_fps: 2 },
  query: 'does the red circle move left ?', chosen: 'yes', rejected: 'no', ...over,
}, 0);

describe('train pairs from the pair store', () => {
  it('takes synthetic-world pairs as curated and leaves out rejected and foreign ones', () => {
    const swapped = { ...record('b'), chosen: 'no', rejected: 'yes' };
    const pairs = [record('a'), swapped, setStatus(record('c'), 'rejected'), record('d', { video: { path: 'clips/x.mp4', duration_s: 1, native_fps: 30 } }), record('e', { category: 'cross-frame' })];
    expect(trainSpecOf(pairs[0])).toEqual({ id: 'a', category: 'temporal', split: 'train', sceneSeed: 42, question: 'does the red circle move left ?', chosen: 'yes', rejected: 'no' });
    const { specs, rejected, other } = trainSetOf(pairs, ['temporal', 'cross_frame']);
    expect(specs.map((s) => s.id)).toEqual(['a', 'b', 'e']);
    expect(specs[1].chosen).toBe('no');
    expect(specs[2].category).toBe('cross_frame');
    expect([rejected, other]).toEqual([1, 1]);
    expect(countByCategory(specs)).toEqual({ spatial: 0, temporal: 2, cross_frame: 1 });
    expect(trainSetOf(pairs, ['spatial']).specs).toEqual([]);
    expect(() => checkTrainSet(specs, ['spatial', 'temporal'])).toThrow(/pairs: no spatial pairs for a run that trains spatial, temporal \(spatial 0, temporal 2\)/);
    expect(() => checkTrainSet([], ['temporal'])).toThrow(/the pair set is empty/);
  });

  it('renders each scene once into the patches the trainer needs, category as the run index', () => {
    const model = { config: DEFAULT_MODEL, tokenizer: new WordTokenizer(VOCABULARY as string[]), weights: new Map() };
    const specs = oraclePairs(['spatial', 'temporal'], 3, 7);
    const twice = [...specs, { ...specs[0], id: 'again' }];
    const pairs = builtinPairsOf(model as never, twice, ['temporal', 'spatial']);
    const g = geometry(DEFAULT_MODEL);
    expect(pairs[0].patches.length).toBe(g.visualTokens * g.patchValues);
    expect(pairs.at(-1)!.patches).toBe(pairs[0].patches);
    expect(pairs.map((p) => p.category)).toEqual([1, 1, 1, 0, 0, 0, 1]);
    expect(() => builtinPairsOf(model as never, specs, ['temporal'])).toThrow(/spatial, which this run does not train/);
  });
});

describe('oracle pairs', () => {
  it('prefer the true answer to another option, spread over every template, fixed by the seed', () => {
    const pairs = oraclePairs(['spatial', 'temporal', 'cross_frame'], 12, 3);
    expect(pairs).toHaveLength(36);
    expect(pairs.every((p) => p.chosen !== p.rejected && p.split === 'train')).toBe(true);
    expect(oraclePairs(['spatial', 'temporal', 'cross_frame'], 12, 3)).toEqual(pairs);
    expect(countByCategory(pairs)).toEqual({ spatial: 12, temporal: 12, cross_frame: 12 });
  });
});
