import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, type LoadedModel, WordTokenizer, geometry, packText, parameterShapes, patchify, scoreGraph, sequenceFeeds } from '../model';
import { ModelSession } from '../runtime';
import { seededRandom } from '../core/random';
import { BuiltinModel, builtinResponder } from '.';

const tokenizer = new WordTokenizer('is the red circle left or right of blue square ? at start end what colour shape yes no green'.split(' '));
const config = { ...DEFAULT_MODEL, vocabSize: tokenizer.size, dim: 32, heads: 2, layers: 2, hidden: 64, stemWidth: 16 };
const model: LoadedModel = {
  config,
  tokenizer,
  // Larger than the init's 0.02, so that answers differ clearly in log-probability.
  weights: new Map([...parameterShapes(config)].map(([name, shape]) => {
    const random = seededRandom(3, name);
    return [name, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 0.2 * random.normal())];
  })),
};
const frames = Array.from({ length: 8 }, (_, v) => ({ width: 32, height: 32, data: new Uint8ClampedArray(32 * 32 * 4).map((_, i) => (i % 4 === 3 ? 255 : (v * 37 + i * 13) % 256)) }));
const question = 'is the red circle left or right of the blue square ?';

describe('the built-in model on ORT (Node CPU)', () => {
  it('multiple choice picks the option with the highest log-probability, the same in any batch position', async () => {
    const bm = await BuiltinModel.create(ort, model, { provider: 'cpu', scoreRows: 4 });
    const options = ['left', 'right', 'red circle'];
    const choice = await bm.choose(frames, question, options);
    expect(choice.logps).toHaveLength(3);
    expect(choice.choice).toBe(options[choice.logps.indexOf(Math.max(...choice.logps))]);
    // Five items span two runs of four rows: each answer's score does not depend on its neighbours or its row.
    const again = await bm.score(['yes', 'left', 'right', 'no', 'red circle'].map((answer) => ({ frames, question, answer })));
    expect(again[1].logp).toBeCloseTo(choice.logps[0], 5);
    expect(again[4].logp).toBeCloseTo(choice.logps[2], 5);
    expect(again[4].tokens).toHaveLength(3); // two words and <eos>
    expect(again[4].logp).toBeCloseTo(again[4].tokens.reduce((a, b) => a + b, 0), 5);
    await bm.release();
  });

  it('scores answers sharing a question as branches of one row, as separate rows score them', async () => {
    const bm = await BuiltinModel.create(ort, model, { provider: 'cpu', scoreRows: 2, scoreBranches: 3, scoreSlots: 16 });
    const other = frames.slice().reverse();
    // Two questions on two videos, runs of 4, 1 and 2 answers: rows of 3 + 1, 1, 2 branches over two batches.
    const items = [...['yes', 'left', 'right', 'no'].map((answer) => ({ frames, question, answer })), { frames: other, question, answer: 'red circle' }, ...['green', 'blue square'].map((answer) => ({ frames, question: 'what colour is the circle ?', answer }))];
    const branched = await bm.score(items);
    const separate = await ModelSession.create(ort, scoreGraph(model, { rows: items.length, slots: 16 }), { provider: 'cpu' });
    const { visualTokens, patchValues } = geometry(config);
    const patches = new Float32Array(items.length * visualTokens * patchValues);
    items.forEach((it, i) => patchify(config, it.frames, patches, i));
    const res = await separate.run(sequenceFeeds(config, packText(config, tokenizer, items, items.length, 16), patches));
    const logp = res.logp.data as Float32Array;
    expect(new Set(logp).size).toBe(items.length);
    items.forEach((_, i) => expect(branched[i].logp).toBeCloseTo(logp[i], 4));
    await separate.release();
    await bm.release();
  });

  it('greedy generation with the key-value cache gives the log-probs the full forward gives', async () => {
    const bm = await BuiltinModel.create(ort, model, { provider: 'cpu', scoreRows: 4 });
    const gen = await bm.generate(frames, question, 3);
    expect(gen.ids.length).toBeGreaterThan(0);
    const scored = await bm.score([{ frames, question, answer: gen.text }]);
    for (let i = 0; i < gen.logps.length; i++) expect(scored[0].tokens[i]).toBeCloseTo(gen.logps[i], 4);
    await bm.release();
  });

  it('answers through the Responder interface with the words, their log-probs and provenance', async () => {
    const bm = await BuiltinModel.create(ort, model, { provider: 'cpu', scoreRows: 4 });
    const gen = await bm.generate(frames, question, 3);
    const responder = builtinResponder(bm, { adapter: 'spatial-lora' });
    const res = await responder.respond({ frames, query: question, settings: { maxTokens: 3, temperature: 0.7 } });
    expect(res.text).toBe(gen.text);
    expect(res.tokens?.map((t) => t.token).join(' ')).toBe(gen.text);
    expect(res.tokens?.map((t) => t.logp)).toEqual(gen.logps);
    expect(res.provenance).toMatchObject({ kind: 'workbench', model: 'pasta-tiny', adapter: 'spatial-lora', videoAs: 'tensor', frames: 8, settings: { maxTokens: 3, temperature: 0 } });
    expect(responder.label).toBe('pasta-tiny + spatial-lora');
    const aborted = new AbortController();
    aborted.abort(new Error('stopped'));
    await expect(responder.respond({ frames, query: question, signal: aborted.signal })).rejects.toThrow('stopped');
    await bm.release();
  });
});
