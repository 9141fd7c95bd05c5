/**
 * PASTA-tiny against an independent PyTorch implementation (scripts/model_reference.py, nn.Module
 * classes loaded from our model.safetensors with load_state_dict(strict=True)):
 *   - answer log-probabilities per token and in total, float32 (SDPA and attention written out) and
 *     float64 (our graph built at float64), at the default geometry and at a small odd-sized one,
 *     with the model's own init and with every parameter random (biases and norms included),
 *     right-padded rows, answers of 1-3 words and an empty padding row;
 *   - one pretraining step (FullTrainer: AdamW, weight decay 0.01, clip at 1) against
 *     torch.optim.AdamW + clip_grad_norm_: loss, grad_norm, first moments (the clipped gradient) and
 *     the updated parameters;
 *   - greedy generation (BuiltinModel.generate, key-value cache) against the PyTorch greedy loop.
 * A missing reference Python fails the suite: nothing is skipped.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { findReferencePython, findTorchPython } from './find-tools.mjs';
import { type ReferenceJob, WORDS, f32, i32, randomFrames, randomPatches, randomWeights, runModelReference, textFeeds, withoutEos } from './bench-model';
import { Graph, type HostTensor, type TensorData, emitOnnx } from '../src/graph';
import { NN } from '../src/nn';
import { BuiltinModel } from '../src/respond';
import { ModelSession } from '../src/runtime';
import { DEFAULT_ADAMW, FullTrainer } from '../src/train';
import { DEFAULT_MODEL, type LoadedModel, type ModelConfig, WordTokenizer, answerLogps, geometry, initialWeights, packText, patchify, pretrainingLoss, scoreGraph } from '../src/model';

const tokenizer = new WordTokenizer(WORDS);
const CONFIGS: Record<string, ModelConfig> = {
  default: { ...DEFAULT_MODEL, vocabSize: tokenizer.size },
  // Same structure, odd sizes: 3 frames of 2×2 patches of 2×2 cells of 3×3 px, head dim 10.
  small: { frames: 3, imageSize: 12, patchSize: 6, cellSize: 3, cellContext: 1, stemWidth: 11, dim: 30, layers: 3, heads: 3, hidden: 52, maxText: 16, vocabSize: tokenizer.size, answerWindow: 4 },
};
const ITEMS = [
  { question: 'is the red circle left of the blue square ?', answer: 'yes' },
  { question: 'what colour ?', answer: 'red green' },
  { question: 'which shape is moving at the start ?', answer: 'the blue triangle' },
  { question: 'left ?', answer: 'no' },
  { question: 'what shape is first ?', answer: 'square' },
];
const ROWS = ITEMS.length + 1; // the last row is padding: no words, an empty window
const ADAMW = { ...DEFAULT_ADAMW, weightDecay: 0.01, maxGradNorm: 1 };
const LR = 1e-3;

type Init = 'default init' | 'random';
const model = (config: string, init: Init): LoadedModel => {
  const c = CONFIGS[config];
  return { config: c, tokenizer, weights: init === 'random' ? randomWeights(c, 5) : initialWeights(c, 7) };
};
const feedsOf = (c: ModelConfig, slots: number) => {
  const g = geometry(c);
  return textFeeds(c, packText(c, tokenizer, ITEMS, ROWS, slots), randomPatches(ROWS * g.visualTokens * g.patchValues, 9));
};

/** max over elements of |ours − torch| / max(|torch|, floor). */
function relError(ours: TensorData, theirs: TensorData, floor = 1e-30) {
  let worst = 0;
  for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(Number(ours[i]) - Number(theirs[i])) / Math.max(Math.abs(Number(theirs[i])), floor));
  return worst;
}
/** max |ours − torch| / max |torch| over a tensor. */
function scaledError(ours: TensorData, theirs: TensorData) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < theirs.length; i++) {
    diff = Math.max(diff, Math.abs(Number(ours[i]) - Number(theirs[i])));
    scale = Math.max(scale, Math.abs(Number(theirs[i])));
  }
  return diff / Math.max(scale, 1e-30);
}

/** Our scoring graph at float64: the same model code, every float a double. */
async function scoreFloat64(m: LoadedModel, feeds: Record<string, HostTensor>) {
  const c = m.config;
  const g = new Graph();
  const weights = new Map([...m.weights].map(([k, v]) => [k, Float64Array.from(v as Float32Array)]));
  const nn = new NN(g, { weights, dtype: 'float64' });
  const input = (name: string) => g.input(name, feeds[name].shape, feeds[name].dtype === 'int32' ? 'int32' : 'float64');
  const logps = answerLogps(nn, c, { patches: input('patches'), ids: input('ids'), textMask: input('text_mask') }, { positions: input('positions'), targets: input('targets'), mask: input('window_mask') });
  const session = await ModelSession.create(ort, emitOnnx(g, { outputs: { token_logps: logps.tokens, logp: logps.sum } }), { provider: 'cpu' });
  try {
    const f64 = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t.dtype === 'int32' ? t : { dtype: 'float64', shape: t.shape, data: Float64Array.from(t.data as Float32Array) }])) as Record<string, HostTensor>;
    return await session.run(f64);
  } finally {
    await session.release();
  }
}

interface ScoreCase { config: string; init: Init; dtype: 'float32' | 'float64' }
const SCORE_CASES: ScoreCase[] = [
  { config: 'small', init: 'random', dtype: 'float32' },
  { config: 'small', init: 'default init', dtype: 'float32' },
  { config: 'default', init: 'random', dtype: 'float32' },
  { config: 'default', init: 'default init', dtype: 'float32' },
  { config: 'small', init: 'random', dtype: 'float64' },
  { config: 'default', init: 'random', dtype: 'float64' },
];
interface TrainCase { config: string; init: Init; slots: number }
const TRAIN_CASES: TrainCase[] = [
  { config: 'small', init: 'random', slots: 14 },
  { config: 'default', init: 'default init', slots: 24 },
];
interface GenCase { config: string; init: Init; question: string; noEos: boolean }
const GEN_CASES: GenCase[] = [
  { config: 'small', init: 'random', question: 'what colour ?', noEos: true }, // runs into the end of the text slots
  { config: 'default', init: 'random', question: 'is the red circle left of the blue square at the start ?', noEos: true },
  { config: 'default', init: 'default init', question: 'which shape is moving ?', noEos: false },
];
const MAX_WORDS = 16;

describe('PASTA-tiny matches an independent PyTorch implementation', () => {
  // PyTorch 2.13 from .venv-ref, else Debian's python3-torch (attention written out, safetensors parsed by hand).
  const python = findReferencePython() ?? findTorchPython();
  if (!python) throw new Error('No Python with torch: run `node scripts/ensure-tools.mjs` (the .venv-ref with torch 2.13) or set PASTA_REF_PYTHON / PASTA_PYTHON');

  const scoreOurs = SCORE_CASES.map(async (s) => {
    const m = model(s.config, s.init);
    const feeds = feedsOf(m.config, m.config.maxText);
    if (s.dtype === 'float64') return { feeds, m, out: await scoreFloat64(m, feeds) };
    const session = await ModelSession.create(ort, scoreGraph(m, { rows: ROWS }), { provider: 'cpu' });
    const out = await session.run(feeds);
    await session.release();
    return { feeds, m, out };
  });
  const trainOurs = TRAIN_CASES.map(async (t) => {
    const m = model(t.config, t.init);
    const feeds = feedsOf(m.config, t.slots);
    const trainer = await FullTrainer.create(ort, { loss: (nn) => pretrainingLoss(nn, m.config, ROWS, t.slots), adamw: ADAMW, weights: m.weights, provider: 'cpu' });
    const metrics = await trainer.step(feeds, LR);
    const state = await trainer.state();
    await trainer.release();
    return { feeds, m, metrics, state };
  });
  const genOurs = GEN_CASES.map(async (gc) => {
    const base = model(gc.config, gc.init);
    const m = gc.noEos ? withoutEos(base) : base;
    const frames = randomFrames(m.config, 11);
    const bm = await BuiltinModel.create(ort, m, { provider: 'cpu', scoreRows: 1 });
    const out = await bm.generate(frames, gc.question, MAX_WORDS);
    await bm.release();
    const g = geometry(m.config);
    const patches = new Float32Array(g.visualTokens * g.patchValues);
    patchify(m.config, frames, patches, 0);
    const q = tokenizer.encode(gc.question);
    return { m, out, inputs: { patches: f32([1, g.visualTokens, g.patchValues], patches), question: i32([q.length], Int32Array.from(q)) } };
  });
  for (const p of [...scoreOurs, ...trainOurs, ...genOurs]) p.catch(() => {});

  // One Python process for every case, once our side is done.
  const torch = (async () => {
    const jobs: ReferenceJob[] = [];
    const index = { score: [] as number[][], train: [] as number[], gen: [] as number[] };
    for (const [i, s] of SCORE_CASES.entries()) {
      const { feeds, m } = await scoreOurs[i];
      const at = (attention: string) => jobs.push({ request: { mode: 'score', dtype: s.dtype, attention, threads: 2 }, model: m, inputs: feeds }) - 1;
      index.score.push([at('sdpa'), at('written')]);
    }
    for (const [i] of TRAIN_CASES.entries()) {
      const { feeds, m } = await trainOurs[i];
      index.train.push(jobs.push({ request: { mode: 'train-step', lr: LR, adamw: ADAMW, threads: 2 }, model: m, inputs: feeds }) - 1);
    }
    for (const [i] of GEN_CASES.entries()) {
      const { m, inputs } = await genOurs[i];
      index.gen.push(jobs.push({ request: { mode: 'generate', maxWords: MAX_WORDS, eosId: tokenizer.eosId, threads: 2 }, model: m, inputs }) - 1);
    }
    const { outputs } = runModelReference(python, jobs);
    return { outputs, index };
  })();
  torch.catch(() => {});

  SCORE_CASES.forEach((s, i) => {
    it(`answer log-probs, ${s.config} geometry, ${s.init}, ${s.dtype}`, async () => {
      const { out, feeds } = await scoreOurs[i];
      const { outputs, index } = await torch;
      const tol = s.dtype === 'float64' ? 1e-12 : 1e-5;
      const mask = feeds.window_mask.data;
      for (const [j, attention] of ['sdpa', 'written'].entries()) {
        const theirs = outputs[index.score[i][j]];
        const tokens = relError(out.token_logps.data, theirs.token_logps.data);
        const total = relError(out.logp.data, theirs.logp.data);
        console.log(`[parity] score ${s.config} ${s.init} ${s.dtype} vs ${attention}: max rel error per token ${tokens.toExponential(2)}, total ${total.toExponential(2)}`);
        expect(tokens, `token_logps vs torch ${attention}`).toBeLessThan(tol);
        expect(total, `logp vs torch ${attention}`).toBeLessThan(tol);
        // Outside the window both give exactly 0, and the padding row scores 0.
        for (let k = 0; k < mask.length; k++) if (!mask[k]) expect([Math.abs(Number(out.token_logps.data[k])), Math.abs(Number(theirs.token_logps.data[k]))]).toEqual([0, 0]);
        expect(Math.abs(Number(out.logp.data[ROWS - 1]))).toBe(0);
      }
      // Something real was scored: every answer has a finite, negative log-probability.
      for (let r = 0; r < ITEMS.length; r++) expect(Number(out.logp.data[r])).toBeLessThan(0);
    }, 300_000);
  });

  TRAIN_CASES.forEach((t, i) => {
    it(`one pretraining step (AdamW, weight decay 0.01, clip at 1), ${t.config} geometry, ${t.init}, ${t.slots} slots`, async () => {
      const { metrics, state, m } = await trainOurs[i];
      const { outputs, index } = await torch;
      const theirs = outputs[index.train[i]];
      const loss = Number(theirs.loss.data[0]);
      const norm = Number(theirs.grad_norm.data[0]);
      const clip = Math.min(1, ADAMW.maxGradNorm / (norm + 1e-6));
      let worstM = 0;
      let worstDelta = 0;
      let worstParam = 0;
      let worstTiny = 0;
      for (const name of m.weights.keys()) {
        // m after one step = (1 − β1) · clipped gradient: the gradient, checked through the optimiser state.
        const expectedM = Float64Array.from(theirs[`grad.${name}`].data as Float32Array, (x) => (1 - ADAMW.beta1) * clip * x);
        const errM = scaledError(state[`adam.m.${name}`].data, expectedM);
        // Adam's first step moves each element by lr·g/(|g| + eps) ≈ lr·sign(g), plus decay: where |g| is well
        // above eps and float32 rounding (|g| ≥ 1e-6) both sides must agree to 1e-3·lr; where the gradient is
        // itself rounding-sized (an element float32 cannot resolve, up to sign) only Adam's bound of 2·lr holds.
        const ours = state[name].data as Float32Array;
        const next = theirs[`next.${name}`].data as Float32Array;
        const grad = theirs[`grad.${name}`].data as Float32Array;
        let dd = 0;
        for (let k = 0; k < next.length; k++) {
          const d = Math.abs(ours[k] - next[k]);
          if (Math.abs(clip * grad[k]) >= 1e-6) dd = Math.max(dd, d);
          else {
            worstTiny = Math.max(worstTiny, d / LR);
            expect(d, `${name}[${k}] (a rounding-sized gradient)`).toBeLessThanOrEqual(2 * LR);
          }
        }
        worstM = Math.max(worstM, errM);
        worstDelta = Math.max(worstDelta, dd / LR);
        worstParam = Math.max(worstParam, scaledError(ours, next));
        expect(errM, `adam.m.${name}`).toBeLessThan(1e-4);
        expect(dd, `${name} after the step`).toBeLessThan(1e-3 * LR);
      }
      console.log(`[parity] train ${t.config} ${t.init}: loss ${metrics.loss} vs ${loss} (rel ${(Math.abs(metrics.loss - loss) / loss).toExponential(2)}), grad_norm ${metrics.grad_norm} vs ${norm} (rel ${(Math.abs(metrics.grad_norm - norm) / norm).toExponential(2)}), worst m error ${worstM.toExponential(2)}, worst parameter difference ${worstDelta.toExponential(2)}·lr where |g| ≥ 1e-6, ${worstTiny.toExponential(2)}·lr elsewhere (scaled ${worstParam.toExponential(2)})`);
      expect(Math.abs(metrics.loss - loss) / loss).toBeLessThan(1e-5);
      expect(Math.abs(metrics.grad_norm - norm) / norm).toBeLessThan(1e-4);
    }, 300_000);
  });

  GEN_CASES.forEach((gc, i) => {
    it(`greedy generation with a key-value cache, ${gc.config} geometry, ${gc.init}${gc.noEos ? ', <eos> suppressed' : ''}`, async () => {
      const { out } = await genOurs[i];
      const { outputs, index } = await torch;
      const theirs = outputs[index.gen[i]];
      const ids = Array.from(theirs.ids.data as Int32Array);
      console.log(`[parity] generate ${gc.config} ${gc.init}: ours ${JSON.stringify(out.ids)} torch ${JSON.stringify(ids)}; max logp rel error ${relError(Float64Array.from(out.logps), theirs.logps.data).toExponential(2)}`);
      expect(out.ids).toEqual(ids);
      expect(relError(Float64Array.from(out.logps), theirs.logps.data)).toBeLessThan(1e-4);
      if (gc.noEos) expect(ids.length).toBeGreaterThan(8);
    }, 300_000);
  });
});
