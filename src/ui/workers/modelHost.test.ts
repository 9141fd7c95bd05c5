/**
 * The model Worker's methods over the one Worker protocol (a MessageChannel,
 * onnxruntime-node CPU): load once, answer as BuiltinModel does directly,
 * name unknown words and missing files, and stop a benchmark when cancelled.
 * Uses whatever valid weights are in public/models/pasta-tiny/ (skips when there are none).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../core/errors';
import { type WorkerEndpoint, WorkerClient, serve } from '../../core/worker';
import { loadModelFolder, ModelFolderError, UnknownWordError } from '../../model';
import { BuiltinModel } from '../../respond';
import { generateScene, questionsFor, renderFrames } from '../../synth';
import { type FolderReader, type ModelMethods, modelMethods } from './modelHost';

const DIR = path.resolve('public/models/pasta-tiny');
const present = existsSync(path.join(DIR, 'model.safetensors'));
const readDir: FolderReader = async (url, file) => {
  const p = path.join(url, file);
  return existsSync(p) ? new Uint8Array(await readFile(p)) : undefined;
};

const closers: (() => void)[] = [];
afterAll(() => { while (closers.length) closers.pop()!(); });

function client(read: FolderReader = readDir) {
  const { port1, port2 } = new MessageChannel();
  const methods = modelMethods(async () => ort, { read, autoProvider: async () => ({ provider: 'cpu', reason: 'node' }) });
  const stop = serve(port1 as unknown as WorkerEndpoint, methods);
  closers.push(() => { void methods.release(); stop(); port1.close(); port2.close(); });
  return new WorkerClient<ModelMethods>(() => port2 as unknown as WorkerEndpoint, { name: 'model' });
}

describe.skipIf(!present)('the model Worker methods (Node CPU)', () => {
  const scene = generateScene('eval', 7);
  const frames = renderFrames(scene, 32);
  const q = questionsFor(scene)[0];

  it('loads once, reports its provider and vocabulary, and answers as BuiltinModel does', async () => {
    const c = client();
    const stages: string[] = [];
    const info = await c.call('load', { url: DIR }, { onProgress: (_d, _t, detail) => detail && stages.push(detail.stage) });
    expect(info.provider).toBe('cpu');
    expect(info.frames).toBe(8);
    expect(info.vocabulary).toContain('circle');
    expect(stages).toContain('compiling for cpu');
    const again = await c.call('load', { url: DIR });
    expect(again.loadMs).toBe(info.loadMs); // the same model, not a second load

    const direct = await BuiltinModel.create(ort, await loadModelFolder((f) => readDir(DIR, f, () => {})), { provider: 'cpu' });
    closers.push(() => void direct.release());
    const viaWorker = await c.call('choose', { frames, question: q.text, options: q.options });
    const mine = await direct.choose(frames, q.text, q.options);
    viaWorker.logps.forEach((l, i) => expect(Math.abs(l - mine.logps[i])).toBeLessThan(1e-5));
    expect(viaWorker.choice).toBe(mine.choice);
    const gen = await c.call('generate', { frames, question: q.text, maxWords: 4 });
    expect(gen.text).toBe((await direct.generate(frames, q.text, 4)).text);
  });

  it('names an unknown word and keeps working', async () => {
    const c = client();
    await c.call('load', { url: DIR });
    const error = await c.call('generate', { frames, question: 'is the banana left ?' }).catch((e) => e);
    expect(error).toBeInstanceOf(UnknownWordError);
    expect(error.message).toContain('"banana"');
    await expect(c.call('choose', { frames, question: q.text, options: q.options })).resolves.toHaveProperty('logps');
  });

  it('runs a small benchmark with progress, and stops when cancelled', async () => {
    const c = client();
    await c.call('load', { url: DIR });
    const seen: number[] = [];
    const result = await c.call('benchmark', { seed: 3, perCategory: 2 }, { onProgress: (d, t, detail) => detail?.stage === 'scoring' && seen.push(d / t) });
    expect(result.n).toEqual({ spatial: 2, temporal: 2, cross_frame: 2, general: 2 });
    expect(seen.at(-1)).toBe(1);
    for (const c of ['spatial', 'temporal', 'cross_frame', 'general'] as const) {
      expect(result.interval[c][0]).toBeLessThanOrEqual(result.accuracy[c]);
      expect(result.interval[c][1]).toBeGreaterThanOrEqual(result.accuracy[c]);
    }
    const controller = new AbortController();
    const run = c.call('benchmark', { seed: 4, perCategory: 4 }, { signal: controller.signal, onProgress: (_d, _t, detail) => detail?.stage === 'scoring' && controller.abort() });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('the model Worker methods without a model folder', () => {
  it('names the missing file, and answers before load are refused by name', async () => {
    const c = client(async () => undefined);
    const error = await c.call('load', { url: '/nowhere/' }).catch((e) => e);
    expect(error).toBeInstanceOf(ModelFolderError);
    expect(error.message).toContain('config.json: the file is missing');
    await expect(c.call('score', { items: [] })).rejects.toBeInstanceOf(ModelFolderError);
  });
});
