import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { BatchError, DEFAULT_ADAMW, type DpoLossType, DpoTrainer, runFixedBatch, toyBatch, validateDpoConfig } from '.';
import type { DecoderConfig } from '../nn';

const model: DecoderConfig = { vocabSize: 64, maxSeqLen: 16, dim: 32, layers: 2, heads: 4, hidden: 64, mlp: 'gelu', norm: 'rms' };
const lora = { rank: 4, alpha: 8, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] };

const trainer = (loss: DpoLossType, beta = 0.1) =>
  DpoTrainer.create(ort, { provider: 'cpu', model, pairs: 4, seqLen: 16, lora, dpo: { loss, beta }, adamw: DEFAULT_ADAMW, seed: 2 });

describe('DPO training on the Node CPU provider', () => {
  it('at step 0 (LoRA B = 0, policy = reference) the loss is ln 2 and every reward is 0', async () => {
    const t = await trainer('sigmoid');
    const m = await t.step(toyBatch({ pairs: 4, seqLen: 16, vocabSize: 64 }), 1e-3);
    expect(m.loss).toBeCloseTo(Math.LN2, 6);
    for (const k of ['rewards/chosen', 'rewards/rejected', 'rewards/margins', 'rewards/accuracies'] as const) expect(m[k]).toBe(0);
    expect(m['logps/chosen']).toBeLessThan(0);
    await t.release();
  });

  it('IPO and hinge start at their own step-0 values: (1/2β)² and 1', async () => {
    const batch = toyBatch({ pairs: 4, seqLen: 16, vocabSize: 64 });
    const ipo = await trainer('ipo', 0.5);
    expect((await ipo.step(batch, 1e-3)).loss).toBeCloseTo(1, 6);
    const hinge = await trainer('hinge');
    expect((await hinge.step(batch, 1e-3)).loss).toBeCloseTo(1, 6);
    await ipo.release();
    await hinge.release();
  });

  it('a few hundred steps on a fixed toy batch drive rewards/accuracies to 1', async () => {
    const t = await trainer('sigmoid');
    const batch = toyBatch({ pairs: 4, seqLen: 16, vocabSize: 64, seed: 9 });
    const first = await t.step(batch, 1e-2);
    let last = first;
    for (let i = 0; i < 200; i++) last = await t.step(batch, 1e-2);
    expect(last.step).toBe(201);
    expect(last['rewards/accuracies']).toBe(1);
    expect(last['rewards/margins']).toBeGreaterThan(0.3);
    expect(last.loss).toBeLessThan(first.loss - 0.2);
    // Adapters moved; B started at zero.
    const adapters = await t.adapters();
    const b = adapters['layers.0.attn.q_proj.lora_B.weight'].data;
    expect(Math.max(...Array.from(b as Float32Array, Math.abs))).toBeGreaterThan(0);
    await t.release();
  }, 60_000);
});

describe('the same run on onnxruntime-web (WASM) in Node', () => {
  it('matches onnxruntime-node step by step', async () => {
    const ortWeb = await import('onnxruntime-web');
    ortWeb.env.wasm.numThreads = 1;
    const spec = { model, lora, dpo: { loss: 'sigmoid' as const, beta: 0.1 }, adamw: DEFAULT_ADAMW, pairs: 2, seqLen: 16, seed: 3, batchSeed: 4, steps: 3, lr: 1e-2 };
    const cpu = await runFixedBatch(ort, 'cpu', spec);
    const wasm = await runFixedBatch(ortWeb, 'wasm', spec);
    wasm.metrics.forEach((m, i) => expect(Math.abs(m.loss - cpu.metrics[i].loss)).toBeLessThan(1e-4 * cpu.metrics[i].loss));
    expect(cpu.metrics[2].loss).toBeLessThan(cpu.metrics[0].loss);
  }, 60_000);
});

describe('padding', () => {
  it('a left-padded batch is flushed left, as TRL does: the same log-probs as the right-padded batch', async () => {
    const right = toyBatch({ pairs: 4, seqLen: 16, vocabSize: 64, seed: 5 });
    // The same sequences with their padding moved to the front.
    const left = { ...right };
    for (const side of ['chosen', 'rejected'] as const) {
      const ids = right[`${side}Ids`].slice();
      const mask = right[`${side}Mask`].slice();
      const response = right[`${side}Response`].slice();
      for (let r = 0; r < 4; r++) {
        const row = (x: Int32Array | Float32Array) => x.subarray(r * 16, r * 16 + 16);
        const pad = 16 - mask.subarray(r * 16, r * 16 + 16).reduce((a, b) => a + b, 0);
        for (const x of [ids, mask, response]) row(x).set([...new Array(pad).fill(0), ...row(x).slice(0, 16 - pad)]);
      }
      Object.assign(left, { [`${side}Ids`]: ids, [`${side}Mask`]: mask, [`${side}Response`]: response });
    }
    expect(left.chosenMask[0] + left.rejectedMask[0] + left.chosenMask[16]).toBeLessThan(3); // some row really starts with padding
    const t = await trainer('sigmoid');
    const a = await t.referenceLogps(right);
    const b = await t.referenceLogps(left);
    Array.from(b.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(Number(a.data[i]), 5));
    await t.release();
  });
});

describe('DPO settings are checked as TRL checks them', () => {
  it('names the field and the allowed range', () => {
    expect(() => validateDpoConfig({ loss: 'robust', beta: 0.1, labelSmoothing: 0.5 })).toThrow(/labelSmoothing must lie in \[0, 0\.5\) for the robust loss, got 0\.5/);
    expect(() => validateDpoConfig({ loss: 'sigmoid', beta: 0 })).toThrow(/dpo\.beta must be a positive number/);
    expect(() => validateDpoConfig({ loss: 'kto' as never, beta: 0.1 })).toThrow(/dpo\.loss must be one of sigmoid, robust, ipo, hinge, cdpo, ipo_mean_logps/);
    expect(() => validateDpoConfig({ loss: 'cdpo', beta: 0.1, labelSmoothing: 0.3 })).not.toThrow();
  });
});

describe('the response window', () => {
  // Long prompts and short answers, as with visual tokens.
  const long = { pairs: 4, seqLen: 16, vocabSize: 64, seed: 8, promptTokens: [9, 12], responseTokens: [1, 3] } as const;

  it('only the window goes through the LM head, with the same log-probs as the full sequence', async () => {
    const batch = toyBatch(long);
    const full = await trainer('sigmoid');
    const windowed = await DpoTrainer.create(ort, { provider: 'cpu', model, pairs: 4, seqLen: 16, lora, dpo: { loss: 'sigmoid', beta: 0.1 }, adamw: DEFAULT_ADAMW, seed: 2, responseWindow: 3 });
    const a = await full.referenceLogps(batch);
    const b = await windowed.referenceLogps(batch);
    Array.from(b.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(Number(a.data[i]), 5));
    const [sa, sb] = [await full.step(batch, 1e-2), await windowed.step(batch, 1e-2)];
    expect(sb.loss).toBeCloseTo(sa.loss, 6);
    expect(sb.grad_norm).toBeCloseTo(sa.grad_norm, 5);
    expect(windowed.graph.model.matmulFlops).toBeLessThan(full.graph.model.matmulFlops);
    await full.release();
    await windowed.release();
  });

  it('a batch with a longer response than the window is refused, naming the row', async () => {
    const t = await DpoTrainer.create(ort, { provider: 'cpu', model, pairs: 4, seqLen: 16, lora, dpo: { loss: 'sigmoid', beta: 0.1 }, adamw: DEFAULT_ADAMW, seed: 2, responseWindow: 3 });
    const batch = toyBatch({ ...long, responseTokens: [5, 6] });
    await expect(t.step(batch, 1e-2)).rejects.toThrow(BatchError);
    await expect(t.step(batch, 1e-2)).rejects.toThrow(/row 0 \(chosen of pair 0\) has [56] response tokens; the graphs were built for responseWindow 3/);
    await t.release();
  });

  it('a window outside [1, T - 1] is refused when the graph is built', async () => {
    await expect(DpoTrainer.create(ort, { provider: 'cpu', model, pairs: 4, seqLen: 16, lora, dpo: { loss: 'sigmoid', beta: 0.1 }, adamw: DEFAULT_ADAMW, responseWindow: 16 })).rejects.toThrow(/responseWindow must be an integer in \[1, 15\], got 16/);
  });
});
