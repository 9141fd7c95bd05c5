/**
 * The adapter switch in the model Worker (Node CPU): with an adapter on,
 * every pass scores as the model with that adapter merged; off, as the base
 * model again; a malformed adapter is named and changes nothing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random';
import { type WorkerEndpoint, WorkerClient, serve } from '../../core/worker';
import { ModelFolderError, loadModelFolder, mergeAdapter, parameterShapes } from '../../model';
import { BuiltinModel } from '../../respond';
import { generateScene, questionsFor, renderFrames } from '../../synth';
import { adapterFiles } from '../../train';
import { type FolderReader, type ModelMethods, modelMethods } from './modelHost';

const DIR = path.resolve('public/models/pasta-tiny');
const present = existsSync(path.join(DIR, 'model.safetensors'));
const readDir: FolderReader = async (url, file) => {
  const p = path.join(url, file);
  return existsSync(p) ? new Uint8Array(await readFile(p)) : undefined;
};
const closers: (() => void)[] = [];
afterAll(() => { while (closers.length) closers.pop()!(); });

describe.skipIf(!present)('the model Worker adapter switch (Node CPU)', () => {
  it('merges the adapter into every pass when on, and goes back to the base model when off', async () => {
    const { port1, port2 } = new MessageChannel();
    const methods = modelMethods(async () => ort, { read: readDir, autoProvider: async () => ({ provider: 'cpu', reason: 'node' }) });
    const stop = serve(port1 as unknown as WorkerEndpoint, methods);
    closers.push(() => { void methods.release(); stop(); port1.close(); port2.close(); });
    const c = new WorkerClient<ModelMethods>(() => port2 as unknown as WorkerEndpoint, { name: 'model' });
    expect((await c.call('load', { url: DIR })).adapter).toBeNull();

    const base = await loadModelFolder((f) => readDir(DIR, f, () => {}));
    const r = seededRandom(3, 'adapter');
    const lora = { rank: 2, alpha: 4, targets: ['q_proj'] };
    const tensors = Object.fromEntries([...parameterShapes(base.config)].filter(([n]) => n.endsWith('q_proj.weight')).flatMap(([n, [out, inF]]) => {
      const m = n.slice(0, -'.weight'.length);
      const fill = (k: number) => Float32Array.from({ length: k }, () => (r.next() - 0.5) * 0.5);
      return [[`${m}.lora_A.weight`, { dtype: 'float32' as const, shape: [2, inF], data: fill(2 * inF) }], [`${m}.lora_B.weight`, { dtype: 'float32' as const, shape: [out, 2], data: fill(2 * out) }]];
    }));
    const files = adapterFiles(tensors, lora, { baseModel: 'pasta-tiny' });

    const scene = generateScene('eval', 5);
    const frames = renderFrames(scene, 32);
    const q = questionsFor(scene)[0];
    const before = await c.call('choose', { frames, question: q.text, options: q.options });
    expect(await c.call('setAdapter', { name: 'test', files })).toEqual({ adapter: 'test' });
    const on = await c.call('choose', { frames, question: q.text, options: q.options });
    const direct = await BuiltinModel.create(ort, await mergeAdapter(base, async (f) => files[f]), { provider: 'cpu' });
    closers.push(() => void direct.release());
    const expected = await direct.choose(frames, q.text, q.options);
    on.logps.forEach((l, i) => expect(Math.abs(l - expected.logps[i])).toBeLessThan(1e-5));
    expect(on.logps.some((l, i) => Math.abs(l - before.logps[i]) > 1e-3)).toBe(true);
    expect((await c.call('load', { url: DIR })).adapter).toBe('test');

    const bad = { ...files, 'adapter_config.json': new TextEncoder().encode('{}') };
    await expect(c.call('setAdapter', { name: 'bad', files: bad })).rejects.toBeInstanceOf(ModelFolderError);
    expect((await c.call('choose', { frames, question: q.text, options: q.options })).logps).toEqual(on.logps);

    await c.call('setAdapter', { name: '', files: null });
    const off = await c.call('choose', { frames, question: q.text, options: q.options });
    off.logps.forEach((l, i) => expect(Math.abs(l - before.logps[i])).toBeLessThan(1e-6));
  }, 120_000);
});
