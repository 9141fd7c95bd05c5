/**
 * The align Worker's methods over the one Worker protocol (a MessageChannel,
 * onnxruntime-node CPU), on the committed model: a few self-generated pairs
 * become pair store records with provenance; a short run trains, checkpoints
 * and ends done with a PEFT adapter; a pause gives a resumable run whose
 * resume ends where an uninterrupted run does; a learning rate that makes
 * the loss NaN fails by name and keeps the last good checkpoint.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type WorkerEndpoint, WorkerClient, serve } from '../../core/worker';
import { DEFAULT_GENERATION, DEFAULT_TRAIN } from '../align/alignSettings';
import { oraclePairs } from '../align/oraclePairs';
import { type TrainRun, memoryRunStore } from '../align/trainRun';
import { type AlignMethods, alignMethods } from './alignHost';
import type { FolderReader } from './modelHost';

const DIR = path.resolve('public/models/pasta-tiny');
const present = existsSync(path.join(DIR, 'model.safetensors'));
const readDir: FolderReader = async (url, file) => {
  const p = path.join(url, file);
  return existsSync(p) ? new Uint8Array(await readFile(p)) : undefined;
};

const closers: (() => void)[] = [];
afterAll(() => { while (closers.length) closers.pop()!(); });

function client() {
  const { port1, port2 } = new MessageChannel();
  const runs = memoryRunStore();
  const methods = alignMethods(async () => ort, { read: readDir, autoProvider: async () => ({ provider: 'cpu', reason: 'node' }), runs });
  const stop = serve(port1 as unknown as WorkerEndpoint, methods);
  closers.push(() => { void methods.release(); stop(); port1.close(); port2.close(); });
  return { c: new WorkerClient<AlignMethods>(() => port2 as unknown as WorkerEndpoint, { name: 'align' }), runs };
}

const settings = { ...DEFAULT_TRAIN, rank: 2, alpha: 4, targets: ['q_proj', 'v_proj'], epochs: 2, batch: 4, lr: 5e-3 };
const runOf = (over: Partial<TrainRun> = {}): TrainRun => {
  const pairs = oraclePairs(['spatial', 'temporal'], 4, 1);
  return { id: 'r1', createdAt: 0, updatedAt: 0, settings, categories: ['spatial', 'temporal'], pairs, status: 'running', log: [], totalSteps: 4, checkpointStep: 0, error: null, provider: null, ...over };
};

describe.skipIf(!present)('the align Worker methods (Node CPU)', () => {
  it('makes a few self pairs as pair store records with provenance, and tallies yield and precision per category', async () => {
    const { c } = client();
    expect((await c.call('load', { url: DIR })).name).toBe('pasta-tiny');
    const { records, summary } = await c.call('makePairs', { settings: { ...DEFAULT_GENERATION, categories: ['spatial'], pairs: 4, seed: 3 } });
    expect(records.length).toBeLessThanOrEqual(4);
    for (const r of records) {
      expect(r.video.path).toMatch(/^synth\/train\/\d+$/);
      expect(r.generator).toMatchObject({ kind: 'workbench', name: 'pasta-tiny' });
      expect(r.judge?.name).toBe(`rule: ${summary.rule.id}`);
      expect(r.chosen).not.toBe(r.rejected);
    }
    expect(summary.perCategory.spatial.pairs).toBe(records.length);
    expect(summary.perCategory.spatial.candidates).toBeGreaterThan(0);
  }, 120_000);

  it('trains with a checkpoint per epoch to done; a paused run resumes to the same end', async () => {
    const { c, runs } = client();
    await c.call('load', { url: DIR });
    const steps: number[] = [];
    const whole = await c.call('train', { run: runOf(), resume: false }, { onProgress: (_d, _t, x) => x?.point && steps.push(x.point.step) });
    expect(whole.run.status).toBe('done');
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(whole.run.log.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(Object.keys(whole.adapter!)).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    expect((await runs.getCheckpoint('r1'))!.checkpoint.step).toBe(4);

    // Pause after the first step, then resume.
    const paused = await c.call('train', { run: runOf({ id: 'r2' }), resume: false }, { onProgress: (_d, _t, x) => x?.point?.step === 1 && void c.call('stop', { job: 'train', how: 'pause' }) });
    expect(paused.run.status).toBe('paused');
    expect(paused.run.checkpointStep).toBeGreaterThanOrEqual(1);
    expect(paused.run.checkpointStep).toBeLessThan(4);
    const resumed = await c.call('train', { run: paused.run, resume: true });
    expect(resumed.run.status).toBe('done');
    expect(resumed.run.log.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    const a = (await runs.getCheckpoint('r1'))!.checkpoint.state;
    const b = (await runs.getCheckpoint('r2'))!.checkpoint.state;
    for (const name of Object.keys(a)) expect(Array.from(b[name].data as Float32Array)).toEqual(Array.from(a[name].data as Float32Array));
  }, 180_000);

  it('a learning rate that makes the loss NaN fails by name, keeping the last good checkpoint', async () => {
    const { c, runs } = client();
    await c.call('load', { url: DIR });
    const out = await c.call('train', { run: runOf({ id: 'r3', settings: { ...settings, lr: 1e38, epochs: 3 }, totalSteps: 6 }), resume: false });
    expect(out.run.status).toBe('failed');
    expect(out.run.error?.name).toBe('TrainingDivergedError');
    const stored = await runs.getCheckpoint('r3');
    expect(stored?.kind).toBe('last-good');
    expect(out.run.checkpointStep).toBe(stored!.checkpoint.step);
    for (const t of Object.values(stored!.checkpoint.state)) expect((t.data as Float32Array).every(Number.isFinite)).toBe(true);
  }, 120_000);

  it('the ablation trains four adapters and four oracle ones, each measured on all four categories, reported as they finish', async () => {
    const { c } = client();
    await c.call('load', { url: DIR });
    const pairs = oraclePairs(['spatial', 'temporal', 'cross_frame'], 4, 9).filter((p) => p.category !== 'cross_frame'); // no cross-frame pairs: that row must fail by name
    const keys: string[] = [];
    const r = await c.call('ablation', { pairs, settings: { ...settings, epochs: 1, maxSeconds: 20 }, benchmark: { seed: 11, perCategory: 2 }, withOracle: true, oraclePerCategory: 4 }, {
      onProgress: (_d, _t, x) => x?.outcome && keys.push(x.key!),
    });
    expect(keys).toEqual(r.plan.map((p) => p.key));
    expect(r.base.n).toEqual({ spatial: 2, temporal: 2, cross_frame: 2, general: 2 });
    expect(r.outcomes['self:spatial'].result?.n.general).toBe(2);
    expect(r.outcomes['self:cross_frame'].error?.name).toBe('PairSetError');
    expect(r.outcomes['self:all'].error?.name).toBe('PairSetError');
    expect(r.outcomes['oracle:all'].pairs).toBe(12);
    expect(r.outcomes['oracle:all'].result).not.toBeNull();
  }, 180_000);
});
