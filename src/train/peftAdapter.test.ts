/**
 * Adapters in PEFT's layout: what we save is what PEFT itself reads (the real
 * `peft` package from the reference Python; a missing one fails the suite,
 * nothing is skipped), and an adapter exported and merged again scores
 * exactly as the trained policy does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { findReferencePython } from '../../scripts/find-tools.mjs';
import { mergeAdapter } from '../model';
import { decodeSafetensors, encodeSafetensors } from '../nn';
import { type HostTensor, ModelSession } from '../runtime';
import { BuiltinDpoTrainer, DEFAULT_ADAMW, adapterFiles, adapterWeights, buildBuiltinReferenceGraph, builtinPairBatch, builtinPairFeeds, trainPairEpochs } from '.';
import { colourPairs, tinyModel } from './builtinFixture';

const SCRIPT = path.resolve(__dirname, '../../scripts/peft_adapter_check.py');
const model = tinyModel();
const lora = { rank: 4, alpha: 16, targets: ['merge', 'q_proj', 'v_proj', 'o_proj', 'fc1', 'fc2'] };
const pairs = colourPairs(12);

async function trained() {
  const t = await BuiltinDpoTrainer.create(ort, model, { provider: 'cpu', pairs: 4, slots: 8, lora, dpo: { loss: 'sigmoid', beta: 0.1 }, adamw: DEFAULT_ADAMW, seed: 2 });
  await trainPairEpochs(t, pairs, { epochs: 3, lr: 1e-2, seed: 3, categories: ['spatial', 'temporal', 'cross_frame'] });
  return t;
}

describe('PEFT-layout adapters', () => {
  it('exported and merged again (mergeAdapter) give the trained policy\'s log-probs', async () => {
    const t = await trained();
    const adapters = await t.adapters();
    const b = adapters['layers.0.attn.q_proj.lora_B.weight'].data as Float32Array;
    expect(b.some((x) => x !== 0)).toBe(true); // trained, so the merge has something to add
    const files = adapterFiles(adapters, lora, { baseModel: 'pasta-tiny' });
    const merged = await mergeAdapter(model, async (f) => files[f]);
    const scorer = await ModelSession.create(ort, buildBuiltinReferenceGraph({ config: model.config, weights: merged.weights, pairs: 4, slots: 8 }), { provider: 'cpu' });
    for (const at of [0, 4, 8]) {
      const batch = builtinPairBatch(model.config, model.tokenizer, pairs.slice(at, at + 4), 8);
      const policy = await t.policyLogps(batch);
      const out = (await scorer.run(builtinPairFeeds(model.config, batch))).logps_sum.data as Float32Array;
      policy.forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
    }
    // And read back by name, the values are the trained ones.
    const back = adapterWeights(files['adapter_model.safetensors']);
    expect([...back.keys()].sort()).toEqual(Object.keys(adapters).sort());
    for (const [n, v] of back) expect(Buffer.from(v.buffer).equals(Buffer.from(Float32Array.from(adapters[n].data as Float32Array).buffer))).toBe(true);
    await scorer.release();
    await t.release();
  }, 60_000);

  it('the real peft package reads the config and keys, loads every tensor and merges as we do', async () => {
    const python = findReferencePython();
    if (!python) throw new Error('No Python with torch and peft: run `node scripts/ensure-tools.mjs` (the .venv-ref) or set PASTA_REF_PYTHON');
    const t = await trained();
    const adapters = await t.adapters();
    await t.release();
    const files = adapterFiles(adapters, lora, { baseModel: 'pasta-tiny' });
    const modules = [...new Set(Object.keys(adapters).map((n) => n.replace(/\.lora_[AB]\.weight$/, '')))];
    const base: Record<string, HostTensor> = {};
    for (const m of modules) {
      const w = model.weights.get(`${m}.weight`)!;
      const a = adapters[`${m}.lora_A.weight`];
      const bT = adapters[`${m}.lora_B.weight`];
      base[`${m}.weight`] = { dtype: 'float32', shape: [bT.shape[0], a.shape[1]], data: w };
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'pasta-peft-'));
    try {
      for (const [f, bytes] of Object.entries(files)) writeFileSync(path.join(dir, f), bytes);
      writeFileSync(path.join(dir, 'base.safetensors'), encodeSafetensors(base));
      const report = JSON.parse(execFileSync(python, [SCRIPT, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!);
      expect(report.peft_type).toBe('LORA');
      expect(report.r).toBe(4);
      expect(report.lora_alpha).toBe(16);
      expect(report.target_modules).toEqual([...lora.targets].sort());
      expect(report.bias).toBe('none');
      expect(report.use_rslora).toBe(false);
      expect(report.keys).toEqual(Object.keys(adapters).map((n) => `base_model.model.${n}`).sort());
      expect(report.keys).toContain('base_model.model.layers.0.attn.q_proj.lora_A.weight');
      expect(report.keys).toContain('base_model.model.encoder.merge.lora_B.weight');
      // PEFT wrapped exactly our modules, took every tensor and missed none.
      expect(report.unexpected_keys).toEqual([]);
      expect(report.missing_lora_keys).toEqual([]);
      expect(report.lora_params).toHaveLength(Object.keys(adapters).length);
      // merge_and_unload gives the weights our mergeAdapter gives.
      const theirs = decodeSafetensors(readFileSync(path.join(dir, 'merged.safetensors'))).tensors;
      const ours = await mergeAdapter(model, async (f) => files[f]);
      for (const m of modules) {
        const a = theirs[`${m}.weight`].data as Float32Array;
        const b = ours.weights.get(`${m}.weight`) as Float32Array;
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        expect(worst, m).toBeLessThan(1e-6);
        expect(a.some((x, i) => x !== (model.weights.get(`${m}.weight`) as Float32Array)[i]), `${m} changed`).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
