import { describe, expect, it } from 'vitest';
import { encodeSafetensors, initialValues } from '../nn';
import {
  DEFAULT_MODEL,
  type LoadedModel,
  ModelFolderError,
  ModelInputError,
  UnknownWordError,
  WordTokenizer,
  geometry,
  loadModelFolder,
  modelFolderFiles,
  packText,
  parameterCount,
  parameterShapes,
  patchify,
} from '.';

const words = 'is the red circle left or right of blue square ? at start end what colour shape yes no green'.split(' ');
const tokenizer = new WordTokenizer(words);
const small = { ...DEFAULT_MODEL, vocabSize: tokenizer.size, imageSize: 32, patchSize: 8, cellSize: 4, dim: 32, heads: 2, layers: 2, hidden: 64, stemWidth: 16 };

/** A model with its seeded initial weights. */
function initialModel(config = small, seed = 3): LoadedModel {
  const weights = new Map([...parameterShapes(config)].map(([name, shape]) => [name, initialValues({ kind: 'normal', std: 0.2 }, name, shape, 'float32', seed)]));
  return { config, tokenizer, weights };
}

const frame = (v: number) => ({ width: 32, height: 32, data: new Uint8ClampedArray(32 * 32 * 4).map((_, i) => (i % 4 === 3 ? 255 : (v * 37 + i * 13) % 256)) });
const frames = Array.from({ length: 8 }, (_, i) => frame(i));

describe('tokenizer', () => {
  it('round-trips a question and names an unknown word', () => {
    const ids = tokenizer.encode('Is the red circle left of the blue square?');
    expect(tokenizer.decode(ids)).toBe('is the red circle left of the blue square ?');
    expect(() => tokenizer.encode('is the purple circle left ?')).toThrow(UnknownWordError);
    expect(() => tokenizer.encode('is the purple circle left ?')).toThrow(/"purple"/);
    expect(WordTokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer.toJSON()))).words).toEqual(tokenizer.words);
  });
});

describe('inputs', () => {
  it('packs question, answer and <eos> after the visual tokens, and refuses texts that do not fit', () => {
    const { visualTokens: v } = geometry(small);
    const p = packText(small, tokenizer, [{ question: 'what colour is the circle ?', answer: 'red' }], 2, 24);
    expect(p.last[0]).toBe(v + 5);
    expect([...p.positions.subarray(0, 4)]).toEqual([v + 5, v + 6, 0, 0]);
    expect([...p.targets.subarray(0, 2)]).toEqual([tokenizer.encode('red')[0], tokenizer.eosId]);
    expect([...p.windowMask.subarray(0, 4)]).toEqual([1, 1, 0, 0]);
    expect([...p.windowMask.subarray(4)]).toEqual([0, 0, 0, 0]);
    expect(() => packText(small, tokenizer, [{ question: 'is '.repeat(21) }], 1, 24)).toThrow(ModelInputError);
    expect(() => packText(small, tokenizer, [{ question: 'is ?', answer: 'red blue green yes' }])).toThrow(/at most 3/);
  });

  it('lays a patch out cell by cell, each cell with its context window, pixels row-major, RGB in -1..1, zeros past the edge', () => {
    const g = geometry(small);
    expect(g.cellValues).toBe(8 * 8 * 3); // a 4×4 cell with 2 pixels of context on every side
    const out = new Float32Array(g.visualTokens * g.patchValues);
    patchify(small, frames, out, 0);
    const at = (x: number, y: number, ch: number) => frames[0].data[(y * 32 + x) * 4 + ch] / 127.5 - 1;
    // Token 1 is the second patch of frame 0 (x 8..15, y 0..7). Its first cell's window starts at (6, -2):
    // window rows 0 and 1 lie above the frame, so zeros; window (row 2, column 3) is pixel (9, 0).
    expect([...out.subarray(g.patchValues, g.patchValues + 2 * 8 * 3)].every((v) => v === 0)).toBe(true);
    expect(out[g.patchValues + (2 * 8 + 3) * 3]).toBeCloseTo(at(9, 0, 0), 6);
    expect(out[g.patchValues + (2 * 8 + 3) * 3]).not.toBe(0);
    // The second cell's window follows the first's 8×8×3 values and starts at (10, -2): its (row 2, column 2) is pixel (12, 0).
    expect(out[g.patchValues + g.cellValues + (2 * 8 + 2) * 3 + 2]).toBeCloseTo(at(12, 0, 2), 6);
    // Windows overlap: pixel (9, 0) is also in the window of token 0's second cell (x 2..9), at column 7.
    expect(out[g.cellValues + (2 * 8 + 7) * 3]).toBeCloseTo(at(9, 0, 0), 6);
    expect(() => patchify(small, frames.slice(1), out, 0)).toThrow(ModelInputError);
  });
});

describe('model folder', () => {
  const files = modelFolderFiles(initialModel());
  const reader = (over: Partial<Record<string, Uint8Array | undefined>>) => async (f: string) => (f in over ? over[f] : files[f as keyof typeof files]);

  it('loads what it saves', async () => {
    const loaded = await loadModelFolder(reader({}));
    expect(loaded.config).toEqual(small);
    expect([...loaded.weights.keys()]).toEqual([...parameterShapes(small).keys()]);
    expect(parameterCount(small)).toBe([...loaded.weights.values()].reduce((s, w) => s + w.length, 0));
  });

  it('names the missing file, the truncated file and the tensor with the wrong shape', async () => {
    await expect(loadModelFolder(reader({ 'tokenizer.json': undefined }))).rejects.toThrow(/tokenizer.json: the file is missing/);
    const truncated = files['model.safetensors'].subarray(0, files['model.safetensors'].length - 100);
    const e = await loadModelFolder(reader({ 'model.safetensors': truncated })).catch((x) => x);
    expect(e).toBeInstanceOf(ModelFolderError);
    expect(e.file).toBe('model.safetensors');
    expect(e.tensor).toBeTruthy();
    const shapes = Object.fromEntries([...parameterShapes(small)].map(([n, s]) => [n, { dtype: 'float32' as const, shape: s, data: new Float32Array(s.reduce((a, b) => a * b, 1)) }]));
    shapes['lm_head.weight'] = { dtype: 'float32', shape: [small.vocabSize, small.dim + 1], data: new Float32Array(small.vocabSize * (small.dim + 1)) };
    await expect(loadModelFolder(reader({ 'model.safetensors': encodeSafetensors(shapes) }))).rejects.toThrow(/tensor "lm_head.weight": has shape \[\d+, 33\]; the config needs \[\d+, 32\]/);
    const badConfig = new TextEncoder().encode(JSON.stringify({ ...small, heads: 5 }));
    await expect(loadModelFolder(reader({ 'config.json': badConfig }))).rejects.toThrow(/config.json: model config dim 32 is not divisible by heads 5/);
  });
});

