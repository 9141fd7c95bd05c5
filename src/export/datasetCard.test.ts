import { describe, expect, it } from 'vitest';
import { makePair } from '../pairs/pair';
import { CARD_MARKER, datasetCard } from './datasetCard';
import { exportPairs, splitExport } from './exportPairs';
import { splitPairs, validationFileName } from './split';

// The adversary layer's RECIPES say which are the paper's; export is handed that, as the app hands it.
const recipeKind = (id: string) => (id.startsWith('paper.') ? 'paper' : 'visual') as 'paper' | 'visual';

const pairs = [
  makePair({ id: 'a', query: 'q', chosen: 'c', rejected: 'r', category: 'temporal', video: { path: 'v/1.mp4', duration_s: 3, native_fps: 30 }, adversary: { category: 'temporal', recipe: 'paper.temporal', params: {}, seed: 7 }, generator: { kind: 'endpoint', name: 'Qwen2.5-VL-7B-Instruct' } }, 1),
  makePair({ id: 'b', query: 'q', chosen: 'c', rejected: 'r', category: 'spatial', video: { path: 'v/2.mp4', duration_s: 3, native_fps: 30 }, adversary: { category: 'spatial', recipe: 'visual.spatial.mirror', params: {}, seed: 3 }, generator: { kind: 'endpoint', name: 'Qwen2.5-VL-7B-Instruct' } }, 1),
];

describe('dataset card', () => {
  it('names licence, generator, recipes (paper or extension) and seeds, counts, selection, and how the trainer loads it', () => {
    const card = datasetCard({ datasetName: 'set', format: 'trl', pairs, files: { train: 'pairs.jsonl', validation: 'pairs.val.jsonl' }, videoLicence: 'CC BY 4.0', selection: 'Accepted pairs.', frameSize: 224, nestedFrames: false, recipeKind });
    expect(card.startsWith(CARD_MARKER)).toBe(true);
    for (const s of ['Licence: CC BY 4.0.', '| Qwen2.5-VL-7B-Instruct (endpoint) | 2 |', '| paper.temporal (paper, VideoPASTA) | 1 |', '| visual.spatial.mirror (visual, PASTA Workbench extension) | 1 |', 'Seeds: 3, 7.', 'Accepted pairs.', '| temporal | 1 |', 'data_files={"train": "pairs.jsonl", "validation": "pairs.val.jsonl"}', 'Not carried by this format']) expect(card).toContain(s);
    expect(datasetCard({ datasetName: 'set', format: 'llama-factory', pairs, files: { train: 'pairs.jsonl' }, videoLicence: null, selection: '', frameSize: 224, nestedFrames: true, recipeKind })).toContain('Licence: not stated.');
  });
});

describe('train / validation split', () => {
  it('is stable, keeps each video on one side, and takes about the asked share', () => {
    const many = Array.from({ length: 400 }, (_, i) => makePair({ id: `p${i}`, query: 'q', chosen: 'c', rejected: 'r', video: { path: `v/${i % 100}.mp4`, duration_s: 1, native_fps: 30 } }, 1));
    const a = splitPairs(many, 0.2);
    expect(splitPairs([...many].reverse(), 0.2).validation.map((p) => p.id).sort()).toEqual(a.validation.map((p) => p.id).sort());
    const valVideos = new Set(a.validation.map((p) => p.video.path));
    expect(a.train.some((p) => valVideos.has(p.video.path))).toBe(false);
    expect(a.validation.length).toBeGreaterThan(40);
    expect(a.validation.length).toBeLessThan(140);
    expect(() => splitPairs(many, 1)).toThrow(RangeError);
  });

  it('an export splits into two records files; LLaMA-Factory registers both in one dataset_info.json', () => {
    const many = Array.from({ length: 40 }, (_, i) => makePair({ id: `p${i}`, query: 'q', chosen: 'c', rejected: 'r', video: { path: `v/${i}.mp4`, duration_s: 1, native_fps: 30 } }, 1));
    const options = { datasetName: 'set', fileName: 'pairs.jsonl' };
    const { outputs, oneSided } = splitExport(exportPairs(many, 'llama-factory', options), 'llama-factory', options, 0.25);
    expect(oneSided).toBe(false);
    expect(outputs.map((o) => o.fileName)).toEqual(['pairs.jsonl', 'pairs.val.jsonl']);
    expect(outputs[0].written.length + outputs[1].written.length).toBe(40);
    expect(Object.keys(JSON.parse(outputs[1].extraFiles['dataset_info.json']))).toEqual(['set', 'set_val']);
    expect(validationFileName('a.trl.jsonl')).toBe('a.trl.val.jsonl');
    expect(splitExport(exportPairs(many.slice(0, 1), 'trl', options), 'trl', options, 0.25).oneSided).toBe(true);
  });
});
