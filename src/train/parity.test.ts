/**
 * Parity with PyTorch autograd: the same transformer with LoRA, the same
 * weights and batch, one DPO + AdamW step in Debian's PyTorch
 * (scripts/dpo_reference.py) and in our step graph on ORT's Node CPU provider.
 * Relative error here is max|ours − torch| / max|torch| per tensor.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { findTorchPython } from '../../scripts/find-tools.mjs';
import { runTorchReference } from '../../scripts/torch-reference';
import type { TensorData } from '../graph';
import { type DecoderConfig, type LoraTargets, initialValues } from '../nn';
import { ModelSession } from '../runtime';
import { type AdamWConfig, DPO_METRICS, type DpoConfig, buildDpoStepGraph, buildReferenceGraph, sequenceFeeds, toyBatch, usesMeanLogps } from '.';

interface ParityCase {
  name: string;
  model: DecoderConfig;
  lora: LoraTargets;
  dpo: DpoConfig;
  adamw: AdamWConfig;
}

const SMALL = { vocabSize: 40, maxSeqLen: 16, dim: 32, layers: 2, heads: 4, hidden: 64 };
const CASES: ParityCase[] = [
  {
    name: 'RMSNorm, GELU MLP, sigmoid loss with label smoothing, adapters on q k v o',
    model: { ...SMALL, mlp: 'gelu', norm: 'rms' },
    lora: { rank: 4, alpha: 8, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] },
    dpo: { loss: 'sigmoid', beta: 0.1, labelSmoothing: 0.1 },
    adamw: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 },
  },
  {
    name: 'LayerNorm, SiLU-gated MLP, IPO loss, adapters on q v and the MLP',
    model: { ...SMALL, mlp: 'silu_gated', norm: 'layer' },
    lora: { rank: 2, alpha: 4, targets: ['q_proj', 'v_proj', 'gate_proj', 'down_proj'] },
    dpo: { loss: 'ipo', beta: 0.5 },
    adamw: { beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0, maxGradNorm: undefined },
  },
  {
    name: 'hinge loss, every projection adapted, gradient clipping active',
    model: { ...SMALL, mlp: 'gelu', norm: 'rms' },
    lora: { rank: 4, alpha: 4, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'fc1', 'fc2'] },
    dpo: { loss: 'hinge', beta: 0.2 },
    adamw: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 1e-3 },
  },
];

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

describe('the DPO step graph matches PyTorch autograd', () => {
  const python = findTorchPython();
  if (!python) throw new Error('No Python with PyTorch: run `node scripts/ensure-tools.mjs` (installs python3-torch as root) or set PASTA_PYTHON');

  for (const c of CASES) {
    it(c.name, async () => {
      const common = { model: c.model, pairs: PAIRS, seqLen: SEQ, seed: 11 };
      // Non-zero LoRA B, so gradients reach A and the adapters change the output.
      const probe = buildDpoStepGraph({ ...common, lora: c.lora, dpo: c.dpo, adamw: c.adamw });
      const weights = new Map<string, TensorData>();
      for (const [name, t] of Object.entries(probe.initialState)) {
        if (name.endsWith('lora_B.weight')) weights.set(name, initialValues({ kind: 'normal', std: 0.05 }, name, t.shape, 'float32', 5));
      }
      const step = buildDpoStepGraph({ ...common, weights, lora: c.lora, dpo: c.dpo, adamw: c.adamw, emitGradients: true });
      const ref = buildReferenceGraph({ ...common, weights });
      const batch = toyBatch({ pairs: PAIRS, seqLen: SEQ, vocabSize: c.model.vocabSize, seed: 3 });
      const seqFeeds = sequenceFeeds(batch);
      const categoryWeights = Float32Array.of(1, 0.5, 2);

      const refSession = await ModelSession.create(ort, ref.model, { provider: 'cpu' });
      const refOut = await refSession.run(seqFeeds);
      const stepSession = await ModelSession.create(ort, step.model, { provider: 'cpu' });
      const ours = await stepSession.run({
        ...seqFeeds,
        ...step.initialState,
        ref_logps: usesMeanLogps(c.dpo.loss) ? refOut.logps_mean : refOut.logps_sum,
        category: { dtype: 'int32', shape: [PAIRS], data: batch.category },
        category_weights: { dtype: 'float32', shape: [3], data: categoryWeights },
        lr: { dtype: 'float32', shape: [], data: Float32Array.of(LR) },
        step: { dtype: 'float32', shape: [], data: Float32Array.of(1) },
      });
      await refSession.release();
      await stepSession.release();

      const torch = runTorchReference({ python, graph: step, batch, categoryWeights, config: { model: c.model, lora: c.lora, dpo: c.dpo, adamw: c.adamw, lr: LR, threads: 1 } }).outputs!;
      expect(relError(refOut.logps_sum.data, torch.ref_logps_sum.data)).toBeLessThan(1e-5);
      expect(relError(refOut.logps_mean.data, torch.ref_logps_mean.data)).toBeLessThan(1e-5);
      expect(relError(ours.loss.data, torch.loss.data)).toBeLessThan(1e-5);
      expect(relError(ours.grad_norm.data, torch.grad_norm.data)).toBeLessThan(1e-4);
      for (const m of DPO_METRICS) expect(Math.abs(Number(ours[m].data[0]) - Number(torch[m].data[0])), m).toBeLessThan(1e-5 * Math.max(1, Math.abs(Number(torch[m].data[0]))));
      expect(step.trainable.length).toBeGreaterThan(0);
      for (const n of step.trainable) {
        const g = torch[`grad.${n}`].data;
        expect(Math.max(...Array.from(g as Float32Array, Math.abs)), `${n} has a non-zero gradient`).toBeGreaterThan(0);
        expect(relError(ours[`grad.${n}`].data, g), `grad.${n}`).toBeLessThan(1e-4);
        expect(relError(ours[`next.${n}`].data, torch[`next.${n}`].data), `next.${n}`).toBeLessThan(1e-4);
      }
    }, 60_000);
  }
});
