import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { BuiltinDpoTrainer, type BuiltinDpoTrainerOptions, DEFAULT_ADAMW, PairSetError, TrainingDivergedError, builtinPairBatch, trainPairEpochs } from '.';
import { colourPairs, tinyModel } from './builtinFixture';
import type { HostTensor } from '../runtime';

const CATEGORIES = ['spatial', 'temporal', 'cross_frame'];
const model = tinyModel();
const options = (o: Partial<BuiltinDpoTrainerOptions> = {}): BuiltinDpoTrainerOptions => ({
  provider: 'cpu', pairs: 4, slots: 8, lora: { rank: 4, alpha: 16, targets: ['stem', 'merge', 'q_proj', 'v_proj', 'o_proj', 'fc1', 'fc2', 'lm_head'] }, dpo: { loss: 'sigmoid', beta: 0.1 }, adamw: DEFAULT_ADAMW, seed: 1, ...o,
});
const pairs = colourPairs(12);
const bits = (t: HostTensor) => Buffer.from(Float32Array.from(t.data as Float32Array).buffer);

describe('LoRA DPO on the built-in model (Node CPU)', () => {
  it('at step 0 (B = 0: the policy is the reference) the loss is ln 2 and every reward 0', async () => {
    const t = await BuiltinDpoTrainer.create(ort, model, options());
    const m = await t.step(builtinPairBatch(model.config, model.tokenizer, pairs.slice(0, 4), 8), 1e-3);
    expect(m.loss).toBeCloseTo(Math.LN2, 6);
    for (const k of ['rewards/chosen', 'rewards/rejected', 'rewards/margins', 'rewards/accuracies'] as const) expect(m[k]).toBe(0);
    expect(t.graph.trainable).toContain('layers.0.attn.q_proj.lora_A.weight');
    expect(t.graph.trainable).toContain('layers.1.mlp.fc2.lora_B.weight');
    expect(t.graph.trainable.some((n) => n.includes('k_proj'))).toBe(false);
    await t.release();
  });

  it('a short alignment raises rewards/accuracies and margins, chosen rewards above rejected', async () => {
    const t = await BuiltinDpoTrainer.create(ort, model, options());
    const r = await trainPairEpochs(t, pairs, { epochs: 12, lr: 1e-2, seed: 5, categories: CATEGORIES, warmupSteps: 0 });
    const first = r.log[0];
    const last = r.log.slice(-3);
    expect(r.steps).toBe(36);
    expect(first['rewards/margins']).toBe(0);
    for (const m of last) {
      expect(m['rewards/accuracies']).toBe(1);
      expect(m['rewards/margins']).toBeGreaterThan(0.2);
      expect(m['rewards/chosen']).toBeGreaterThan(m['rewards/rejected']);
      expect(m.loss).toBeLessThan(Math.LN2 - 0.1);
    }
    await t.release();
  }, 60_000);

  it('continuing a trained adapter: the reference is the model with that adapter, so step 0 is ln 2 again (not the base)', async () => {
    const first = await BuiltinDpoTrainer.create(ort, model, options());
    await trainPairEpochs(first, pairs, { epochs: 4, lr: 1e-2, seed: 5, categories: CATEGORIES });
    const adapter = await first.adapterMap();
    const batch = builtinPairBatch(model.config, model.tokenizer, pairs.slice(0, 4), 8);
    const trainedLogps = await first.policyLogps(batch);
    const baseLogps = await first.referenceLogps(batch);
    expect(Math.max(...trainedLogps.map((v, i) => Math.abs(v - baseLogps[i])))).toBeGreaterThan(1e-2); // the adapter changed the model
    await first.release();
    const next = await BuiltinDpoTrainer.create(ort, model, options({ adapter }));
    const [ref, policy] = [await next.referenceLogps(batch), await next.policyLogps(batch)];
    trainedLogps.forEach((v, i) => {
      expect(ref[i]).toBeCloseTo(v, 4);
      expect(policy[i]).toBeCloseTo(v, 4);
    });
    const m = await next.step(batch, 1e-3);
    expect(m.loss).toBeCloseTo(Math.LN2, 5);
    expect(Math.abs(m['rewards/margins'])).toBeLessThan(1e-5);
    await next.release();
  }, 60_000);

  it('a checkpoint after an epoch, resumed in a new trainer, ends with the same adapters bit for bit as an uninterrupted run', async () => {
    const run = { epochs: 2, lr: 5e-3, seed: 7, categories: CATEGORIES };
    const whole = await BuiltinDpoTrainer.create(ort, model, options());
    await trainPairEpochs(whole, pairs, run);
    const expected = await whole.state();
    await whole.release();

    const first = await BuiltinDpoTrainer.create(ort, model, options());
    let saved: Awaited<ReturnType<typeof first.checkpoint>> | undefined;
    const half = await trainPairEpochs(first, pairs, { ...run, onEpoch: (_, c) => void (saved ??= c), shouldStop: () => saved !== undefined });
    expect(half.ended).toBe('stopped');
    expect(saved!.step).toBe(3);
    await first.release();
    const resumed = await BuiltinDpoTrainer.create(ort, model, options({ resume: structuredClone(saved!) }));
    await trainPairEpochs(resumed, pairs, run);
    expect(resumed.steps).toBe(6);
    const got = await resumed.state();
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, t] of Object.entries(expected)) expect(bits(got[name]).equals(bits(t)), name).toBe(true);
    await resumed.release();
  }, 60_000);
});

describe('bad settings are refused with the field named', () => {
  it('rank 0, an unknown target, a negative beta', async () => {
    await expect(BuiltinDpoTrainer.create(ort, model, options({ lora: { rank: 0, alpha: 8, targets: ['q_proj'] } }))).rejects.toThrow(/lora\.rank must be an integer of at least 1, got 0/);
    await expect(BuiltinDpoTrainer.create(ort, model, options({ lora: { rank: 2, alpha: 8, targets: ['q'] } }))).rejects.toThrow(/lora\.targets: "q" is not a linear layer of the model \(its linear layers: .*q_proj/);
    await expect(BuiltinDpoTrainer.create(ort, model, options({ dpo: { loss: 'sigmoid', beta: -0.1 } }))).rejects.toThrow(/dpo\.beta must be a positive number, got -0\.1/);
  });

  it('an empty pair set, or one category for a three-category run', async () => {
    const t = await BuiltinDpoTrainer.create(ort, model, options());
    await expect(trainPairEpochs(t, [], { epochs: 1, lr: 1e-3, seed: 1, categories: CATEGORIES })).rejects.toThrow(PairSetError);
    await expect(trainPairEpochs(t, [], { epochs: 1, lr: 1e-3, seed: 1, categories: CATEGORIES })).rejects.toThrow(/pairs: the pair set is empty/);
    const spatialOnly = pairs.map((p) => ({ ...p, category: 0 }));
    await expect(trainPairEpochs(t, spatialOnly, { epochs: 1, lr: 1e-3, seed: 1, categories: CATEGORIES })).rejects.toThrow(/no temporal or cross_frame pairs for a run that trains spatial, temporal, cross_frame \(spatial 12, temporal 0, cross_frame 0\)/);
    expect(t.steps).toBe(0);
    await t.release();
  });

  it('a learning rate that makes the loss NaN stops training with TrainingDivergedError and keeps the last good state', async () => {
    const t = await BuiltinDpoTrainer.create(ort, model, options());
    const good = await trainPairEpochs(t, pairs, { epochs: 1, lr: 1e-3, seed: 1, categories: CATEGORIES });
    const kept = await t.checkpoint();
    const err = await trainPairEpochs(t, pairs, { epochs: 3, lr: 1e30, warmupSteps: 0, seed: 1, categories: CATEGORIES }).catch((e) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect(err.message).toMatch(/training diverged at step \d+ \((loss|gradient norm) (NaN|-?Infinity) at learning rate .*\); kept the last good state, after step \d+: lower the learning rate/);
    // The state kept is the last one whose loss was finite: still finite, and the trainer can go on from it.
    expect(t.steps).toBe(err.lastGoodStep);
    expect(err.lastGoodStep).toBeGreaterThanOrEqual(good.steps);
    const state = await t.state();
    for (const [name, v] of Object.entries(state)) expect(Array.from(v.data as Float32Array).every(Number.isFinite), name).toBe(true);
    if (err.lastGoodStep === good.steps) for (const [name, v] of Object.entries(kept.state)) expect(bits(state[name]).equals(bits(v)), name).toBe(true);
    const again = await t.step(builtinPairBatch(model.config, model.tokenizer, pairs.slice(0, 4), 8), 1e-3);
    expect(Number.isFinite(again.loss)).toBe(true);
    await t.release();
  }, 60_000);
});
