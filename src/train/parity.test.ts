/**
 * Parity with PyTorch autograd and with TRL's own loss code: the same
 * transformer with LoRA, the same weights and batch, several DPO + AdamW steps
 * in PyTorch (scripts/dpo_reference.py) and through our trainer on ORT's Node
 * CPU provider. TRL's losses are computed by TRL 1.13's `DPOTrainer` itself;
 * the older forms by hand. Each configuration starts both from LoRA B = 0
 * (PEFT's default and ours: the policy equals the reference, every margin is
 * exactly 0) and from a random B. Relative error is max|ours − torch| / max|torch|.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { findReferencePython } from '../../scripts/find-tools.mjs';
import { runTorchReferences } from '../../scripts/torch-reference';
import type { TensorData } from '../graph';
import { type DecoderConfig, type LoraTargets, initialValues } from '../nn';
import { ModelSession } from '../runtime';
import { type AdamWConfig, DEFAULT_ADAMW, DPO_METRICS, type DpoConfig, DpoTrainer, buildReferenceGraph, policyFeeds, toyBatch } from '.';

interface ParityCase {
  name: string;
  model: DecoderConfig;
  lora: LoraTargets;
  dpo: DpoConfig;
  adamw: AdamWConfig;
  steps: number;
  /** Whose loss code PyTorch runs: TRL's DPOTrainer, or ours written out (older forms, per-category weights). */
  lossCode: 'trl' | 'ours';
  categoryWeights: [number, number, number];
  dtype?: 'float32' | 'float64';
  /** Long prompts and short answers, with only a window of positions through the LM head. */
  responseWindow?: number;
  /** One row per pair, the prompt once and both responses as branches (PyTorch still runs separate rows). */
  sharedPrompt?: number;
}

const SMALL = { vocabSize: 40, maxSeqLen: 16, dim: 32, layers: 2, heads: 4, hidden: 64 };
const UNIT: [number, number, number] = [1, 1, 1];
const CONFIGS: ParityCase[] = [
  {
    name: "TRL's defaults (sigmoid, β 0.1, no weight decay, clip at 1), five steps",
    model: { ...SMALL, mlp: 'gelu', norm: 'rms' },
    lora: { rank: 4, alpha: 8, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] },
    dpo: { loss: 'sigmoid', beta: 0.1 },
    adamw: DEFAULT_ADAMW,
    steps: 5,
    lossCode: 'trl',
    categoryWeights: UNIT,
  },
  {
    name: 'sigmoid with label smoothing set (TRL ignores it), float64',
    model: { ...SMALL, mlp: 'silu_gated', norm: 'rms' },
    lora: { rank: 2, alpha: 4, targets: ['q_proj', 'v_proj', 'gate_proj'] },
    dpo: { loss: 'sigmoid', beta: 0.1, labelSmoothing: 0.2 },
    adamw: { ...DEFAULT_ADAMW, weightDecay: 0.01 },
    steps: 3,
    lossCode: 'trl',
    categoryWeights: UNIT,
    dtype: 'float64',
  },
  {
    name: 'long prompts and short answers, a response window of 3 positions through the LM head',
    model: { ...SMALL, mlp: 'gelu', norm: 'rms' },
    lora: { rank: 4, alpha: 8, targets: ['q_proj', 'v_proj', 'fc2'] },
    dpo: { loss: 'sigmoid', beta: 0.1 },
    adamw: DEFAULT_ADAMW,
    steps: 3,
    lossCode: 'trl',
    categoryWeights: UNIT,
    responseWindow: 3,
  },
  {
    name: "sigmoid with an SFT term on the chosen responses (TRL's loss_type [sigmoid, sft], weights [1, 0.5])",
    model: { ...SMALL, mlp: 'gelu', norm: 'rms' },
    lora: { rank: 4, alpha: 8, targets: ['q_proj', 'v_proj', 'fc1'] },
    dpo: { loss: 'sigmoid', beta: 0.1, sftWeight: 0.5 },
    adamw: DEFAULT_ADAMW,
    steps: 3,
    lossCode: 'trl',
    categoryWeights: UNIT,
  },
  {
    name: 'long prompts computed once per pair (shared-prompt rows of 15 slots against separate rows in PyTorch), float64',
    model: { ...SMALL, mlp: 'silu_gated', norm: 'rms' },
    lora: { rank: 4, alpha: 8, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'down_proj'] },
    dpo: { loss: 'sigmoid', beta: 0.1 },
    adamw: DEFAULT_ADAMW,
    steps: 3,
    lossCode: 'trl',
    categoryWeights: UNIT,
    responseWindow: 3,
    sharedPrompt: 15,
    dtype: 'float64',
  },
  {
    name: 'robust loss, ε 0.1, LayerNorm',
    model: { ...SMALL, mlp: 'gelu', norm: 'layer' },
    lora: { rank: 4, alpha: 4, targets: ['q_proj', 'v_proj', 'fc1'] },
    dpo: { loss: 'robust', beta: 0.2, labelSmoothing: 0.1 },
    adamw: DEFAULT_ADAMW,
    steps: 3,
    lossCode: 'trl',
    categoryWeights: UNIT,
  },
  {
    name: 'IPO (normalised inside the loss, logged as sums), SiLU-gated MLP',
    model: { ...SMALL, mlp: 'silu_gated', norm: 'layer' },
    lora: { rank: 2, alpha: 4, targets: ['q_proj', 'v_proj', 'gate_proj', 'down_proj'] },
    dpo: { loss: 'ipo', beta: 0.5 },
    adamw: { beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0, maxGradNorm: undefined },
    steps: 3,
    lossCode: 'trl',
    categoryWeights: UNIT,
  },
  {
    name: 'hinge loss, every projection adapted, gradient clipping active',
    model: { ...SMALL, mlp: 'gelu', norm: 'rms' },
    lora: { rank: 4, alpha: 4, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'fc1', 'fc2'] },
    dpo: { loss: 'hinge', beta: 0.2 },
    adamw: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 1e-3 },
    steps: 2,
    lossCode: 'trl',
    categoryWeights: UNIT,
  },
  {
    name: 'conservative DPO (the older sigmoid with label smoothing), per-category weights',
    model: { ...SMALL, mlp: 'gelu', norm: 'rms' },
    lora: { rank: 4, alpha: 8, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] },
    dpo: { loss: 'cdpo', beta: 0.1, labelSmoothing: 0.1 },
    adamw: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 },
    steps: 3,
    lossCode: 'ours',
    categoryWeights: [1, 0.5, 2],
  },
  {
    name: 'IPO on mean log-probs, logged as means (the older form)',
    model: { ...SMALL, mlp: 'gelu', norm: 'layer' },
    lora: { rank: 2, alpha: 4, targets: ['q_proj', 'v_proj'] },
    dpo: { loss: 'ipo_mean_logps', beta: 0.5 },
    adamw: DEFAULT_ADAMW,
    steps: 2,
    lossCode: 'ours',
    categoryWeights: [2, 1, 0.5],
  },
];


const CASES = CONFIGS.flatMap((c) => (['B = 0', 'random B'] as const).map((start) => ({ ...c, start })));

const PAIRS = 3;
const SEQ = 12;
const LR = 1e-3;

function relError(ours: TensorData, theirs: TensorData) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < theirs.length; i++) {
    diff = Math.max(diff, Math.abs(Number(ours[i]) - Number(theirs[i])));
    scale = Math.max(scale, Math.abs(Number(theirs[i])));
  }
  return diff / Math.max(scale, 1e-30);
}

describe('DPO training matches PyTorch and TRL 1.13, from B = 0 and from a random B', () => {
  const python = findReferencePython();
  if (!python) throw new Error('No Python with torch, trl and peft: run `node scripts/ensure-tools.mjs` or set PASTA_REF_PYTHON');
  const batches = {
    plain: toyBatch({ pairs: PAIRS, seqLen: SEQ, vocabSize: SMALL.vocabSize, seed: 3 }),
    longPrompts: toyBatch({ pairs: PAIRS, seqLen: SEQ, vocabSize: SMALL.vocabSize, seed: 4, promptTokens: [7, 9], responseTokens: [1, 3] }),
  };
  const batchOf = (c: ParityCase) => (c.responseWindow ? batches.longPrompts : batches.plain);

  // Our side first (trainers), then one Python process for every case.
  const ours = CASES.map(async (c) => {
    const dtype = c.dtype ?? 'float32';
    const batch = batchOf(c);
    const options = { provider: 'cpu' as const, model: c.model, pairs: PAIRS, seqLen: SEQ, seed: 11, dtype, lora: c.lora, dpo: c.dpo, adamw: c.adamw, categoryWeights: c.categoryWeights, emitGradients: true, responseWindow: c.responseWindow, sharedPrompt: c.sharedPrompt };
    let trainer = await DpoTrainer.create(ort, options);
    if (c.start === 'random B') {
      const weights = new Map<string, TensorData>();
      for (const [name, t] of Object.entries(trainer.graph.initialState)) {
        if (name.endsWith('lora_B.weight')) weights.set(name, initialValues({ kind: 'normal', std: 0.05 }, name, t.shape, dtype, 5));
      }
      await trainer.release();
      trainer = await DpoTrainer.create(ort, { ...options, weights });
    }
    const reference = await ModelSession.create(ort, buildReferenceGraph({ ...options, weights: undefined }).model, { provider: 'cpu' });
    const refOut = await reference.run(policyFeeds(batch, options));
    await reference.release();
    const steps: Record<string, TensorData>[] = [];
    for (let s = 0; s < c.steps; s++) steps.push(Object.fromEntries(Object.entries(await trainer.stepOutputs(batch, LR)).map(([k, v]) => [k, v.data])));
    const state = await trainer.state();
    const graph = trainer.graph;
    await trainer.release();
    return { graph, steps, state, refOut };
  });

  // Failures surface in the test that awaits them, not as unhandled rejections.
  for (const p of ours) p.catch(() => {});
  const torch = (async () => {
    const done = await Promise.all(ours);
    return runTorchReferences(
      python,
      CASES.map((c, i) => ({
        graph: done[i].graph,
        batch: batchOf(c),
        categoryWeights: (c.dtype === 'float64' ? Float64Array : Float32Array).from(c.categoryWeights),
        config: { model: c.model, lora: c.lora, dpo: c.dpo, adamw: c.adamw, lr: LR, threads: 1, steps: c.steps, lossCode: c.lossCode },
      })),
    );
  })();
  torch.catch(() => {});

  CASES.forEach((c, i) => {
    it(`${c.name}, from ${c.start}`, async () => {
      const { graph, steps, state, refOut } = await ours[i];
      const theirs = (await torch)[i];
      // Float rounding: float32 kernels differ in summation order; float64 leaves only rounding.
      const tol = c.dtype === 'float64' ? 1e-10 : 1e-5;
      expect(relError(refOut.logps_sum.data, theirs.ref_logps_sum.data)).toBeLessThan(tol);
      expect(relError(refOut.logps_mean.data, theirs.ref_logps_mean.data)).toBeLessThan(tol);
      steps.forEach((out, s) => {
        const at = (name: string) => Number(theirs[name].data[s]);
        expect(Math.abs(Number(out.loss[0]) - at('loss')), `loss at step ${s + 1}`).toBeLessThan(tol * Math.max(1, Math.abs(at('loss'))));
        expect(Math.abs(Number(out.grad_norm[0]) - at('grad_norm')), `grad_norm at step ${s + 1}`).toBeLessThan(10 * tol * Math.max(1e-3, at('grad_norm')));
        // TRL counts accuracies in float32 whatever the model's dtype.
        for (const m of DPO_METRICS) expect(Math.abs(Number(out[m][0]) - at(m)), `${m} at step ${s + 1}`).toBeLessThan((m === 'rewards/accuracies' ? 1e-6 : tol) * Math.max(1, Math.abs(at(m))));
      });
      expect(graph.trainable.length).toBeGreaterThan(0);
      for (const n of graph.trainable) {
        const g = theirs[`grad.${n}`].data;
        expect(relError(steps[0][`grad.${n}`], g), `grad.${n} at step 1`).toBeLessThan(10 * tol);
        for (const k of [`adam.m.${n}`, `adam.v.${n}`]) expect(relError(state[k].data, theirs[`next.${k}`].data), `${k} after step ${c.steps}`).toBeLessThan(10 * tol);
        // Adam divides by √v, so rounding in a near-zero gradient element moves its parameter by up to lr: looser for float32.
        expect(relError(state[n].data, theirs[`next.${n}`].data), `${n} after step ${c.steps}`).toBeLessThan(c.dtype === 'float64' ? 1e-8 : 1e-3);
      }
      // Some gradient reaches every adapter: B always; A once B is not zero.
      const moved = graph.trainable.filter((n) => Math.max(...Array.from(theirs[`grad.${n}`].data as Float32Array, Math.abs)) > 0);
      expect(moved.length).toBe(c.start === 'B = 0' ? graph.trainable.length / 2 : graph.trainable.length);
    }, 120_000);
  });
});
