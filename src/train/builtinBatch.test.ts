import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random';
import { type LoadedModel, ModelInputError, WordTokenizer, packText, scoreGraph, sequenceFeeds } from '../model';
import { ModelSession } from '../runtime';
import { TINY_CONFIG, colourPairs, tinyModel } from './builtinFixture';
import { buildBuiltinReferenceGraph, builtinPairBatch, builtinPairFeeds } from '.';

// Weights far from the init's 0.02 so that every position, mask and branch matters to the log-probs.
const base = tinyModel(5);
const model: LoadedModel = {
  ...base,
  weights: new Map([...base.weights].map(([name, w]) => {
    const random = seededRandom(11, name);
    return [name, Float32Array.from({ length: w.length }, () => 0.5 * random.normal())];
  })),
};

// Questions of different lengths (the tiny model's answers are one word and <eos>).
const questions = ['is it red or blue ?', 'is it red ?', 'red or blue ? left right', 'yes'];
const answers: [string, string][] = [['red', 'blue'], ['yes', 'no'], ['left', 'right'], ['blue', 'no']];
const pairs = colourPairs(4).map((p, i) => ({ ...p, question: questions[i], chosen: answers[i][0], rejected: answers[i][1] }));
const slots = 8;

describe('pairs packed as two branches of one row', () => {
  it('give each answer the log-prob a separate row gives it (the scoring graph), chosen rows first', async () => {
    const pairer = await ModelSession.create(ort, buildBuiltinReferenceGraph({ config: model.config, weights: model.weights, pairs: 4, slots }), { provider: 'cpu' });
    const out = await pairer.run(builtinPairFeeds(model.config, builtinPairBatch(model.config, model.tokenizer, pairs, slots)));
    const scorer = await ModelSession.create(ort, scoreGraph(model, { rows: 8, slots }), { provider: 'cpu' });
    const items = [...pairs.map((p) => ({ question: p.question, answer: p.chosen })), ...pairs.map((p) => ({ question: p.question, answer: p.rejected }))];
    const text = packText(model.config, model.tokenizer, items, 8, slots);
    const patches = new Float32Array(8 * pairs[0].patches.length);
    [...pairs, ...pairs].forEach((p, i) => patches.set(p.patches, i * p.patches.length));
    const separate = (await scorer.run(sequenceFeeds(model.config, text, patches))).logp.data as Float32Array;
    const sum = out.logps_sum.data as Float32Array;
    const mean = out.logps_mean.data as Float32Array;
    expect(new Set(separate).size).toBe(8); // eight different values: the comparison below can tell rows apart
    for (let i = 0; i < 8; i++) {
      expect(Math.abs(sum[i] - separate[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(separate[i])));
      const words = items[i].answer.split(' ').length + 1;
      expect(mean[i]).toBeCloseTo(sum[i] / words, 5);
    }
    await pairer.release();
    await scorer.release();
  });

  it('refuses a question that leaves no room for both answers, naming the limit', () => {
    const tokenizer = new WordTokenizer(model.tokenizer.words.slice(2));
    const long = { ...pairs[0], question: 'is it red or blue ? left right' }; // 7 words + 2 windows of 2 > 10 slots
    expect(() => builtinPairBatch(TINY_CONFIG, tokenizer, [long], slots)).toThrow(ModelInputError);
    expect(() => builtinPairBatch(TINY_CONFIG, tokenizer, [long], slots)).toThrow(/with 2 answers at most 6 fit/);
  });
});
