import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random';
import type { HostTensor } from '../graph';
import { DEFAULT_MODEL, WordTokenizer, geometry, packText, pretrainingLoss } from '../model';
import { DEFAULT_ADAMW, FullTrainer } from '.';

const tokenizer = new WordTokenizer('is it red or blue ? left right'.split(' '));
const config = { ...DEFAULT_MODEL, vocabSize: tokenizer.size, frames: 2, imageSize: 8, patchSize: 4, cellSize: 2, stemWidth: 8, dim: 16, heads: 2, layers: 2, hidden: 32, maxText: 12, answerWindow: 2 };
const rows = 8;

/** A task the model can learn from the pixels alone: the answer is the colour of the frames. */
function batch(seed: number): Record<string, HostTensor> {
  const r = seededRandom(seed, 'batch');
  const g = geometry(config);
  const answers = Array.from({ length: rows }, () => (r.next() < 0.5 ? 'red' : 'blue'));
  const patches = new Float32Array(rows * g.visualTokens * g.patchValues);
  answers.forEach((a, i) => {
    for (let j = 0; j < g.visualTokens * g.patchValues; j++) patches[i * g.visualTokens * g.patchValues + j] = j % 3 === (a === 'red' ? 0 : 2) ? 1 : -1;
  });
  const t = packText(config, tokenizer, answers.map((answer) => ({ question: 'is it red or blue ?', answer })));
  return {
    patches: { dtype: 'float32', shape: [rows, g.visualTokens, g.patchValues], data: patches },
    ids: { dtype: 'int32', shape: [rows, config.maxText], data: t.ids },
    text_mask: { dtype: 'float32', shape: [rows, config.maxText], data: t.textMask },
    positions: { dtype: 'int32', shape: [rows, 2], data: t.positions },
    targets: { dtype: 'int32', shape: [rows, 2], data: t.targets },
    window_mask: { dtype: 'float32', shape: [rows, 2], data: t.windowMask },
  };
}

const trainer = () => FullTrainer.create(ort, { provider: 'cpu', loss: (nn) => pretrainingLoss(nn, config, rows), adamw: { ...DEFAULT_ADAMW, weightDecay: 0.01 }, seed: 4 });

describe('full-parameter training (the built-in model\'s pretraining)', () => {
  it('trains every parameter and learns a task it can see', async () => {
    const t = await trainer();
    const first = await t.step(batch(0), 3e-3);
    let last = first;
    for (let s = 1; s < 60; s++) last = await t.step(batch(s), 3e-3);
    expect(first.loss).toBeGreaterThan(1);
    expect(last.loss).toBeLessThan(0.2);
    expect(t.graph.params.length).toBe((await t.weights()).size);
    expect(Object.keys(await t.state())).toHaveLength(3 * t.graph.params.length);
    await t.release();
  });

  it('is deterministic: the same seed and batches give the same weights bit for bit', async () => {
    const run = async () => {
      const t = await trainer();
      for (let s = 0; s < 3; s++) await t.step(batch(s), 1e-3);
      const w = await t.weights();
      await t.release();
      return w;
    };
    const [a, b] = [await run(), await run()];
    for (const [name, data] of a) expect(Buffer.from((b.get(name) as Float32Array).buffer).equals(Buffer.from((data as Float32Array).buffer))).toBe(true);
  });
});
