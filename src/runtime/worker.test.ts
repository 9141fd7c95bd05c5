/** The model Worker's methods over a MessageChannel, on onnxruntime-node: sessions, carried loops with progress and cancel, named errors. */
import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../core/errors';
import { type WorkerEndpoint, WorkerClient } from '../core/worker';
import { Graph, Ops, emitOnnx } from '../graph';
import { FeedError } from './errors';
import type { HostTensor } from './session';
import { type RuntimeMethods, serveRuntime } from './worker';

const ports: MessagePort[] = [];
afterEach(() => { while (ports.length) ports.pop()!.close(); });

function connect(): WorkerClient<RuntimeMethods> {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveRuntime(port1 as unknown as WorkerEndpoint, ort);
  return new WorkerClient<RuntimeMethods>(() => port2 as unknown as WorkerEndpoint, { name: 'model', timeoutMs: 30_000 });
}

const f32 = (shape: number[], values: number[]): HostTensor => ({ dtype: 'float32', shape, data: Float32Array.from(values) });

/** w' = w + lr·x, and the sum of w' (a "metric"): a step whose parameter is carried. */
function accumulator() {
  const g = new Graph();
  const op = new Ops(g);
  const w = g.input('w', [3], 'float32');
  const x = g.input('x', [3], 'float32');
  const next = op.Add(w, op.Mul(x, 0.5));
  return emitOnnx(g, { outputs: { 'new.w': next, total: op.ReduceSum(next, { axes: [0] }) } });
}

describe('runtime/worker', () => {
  it('creates a session from model bytes, runs it, and releases it', async () => {
    const client = connect();
    const g = new Graph();
    const op = new Ops(g);
    const a = g.input('a', [2, 2], 'float32');
    const model = emitOnnx(g, { outputs: { y: op.MatMul(a, a) } });
    const info = await client.call('createSession', { model, options: { provider: 'cpu' } }, { transfer: [model.bytes.buffer as ArrayBuffer] });
    expect(info).toMatchObject({ provider: 'cpu', outputs: ['y'] });
    const out = await client.call('run', { id: info.id, feeds: { a: f32([2, 2], [1, 2, 3, 4]) } });
    expect(out.y.shape).toEqual([2, 2]);
    expect([...(out.y.data as Float32Array)]).toEqual([7, 10, 15, 22]);
    await client.call('release', { id: info.id });
    await expect(client.call('run', { id: info.id, feeds: {} })).rejects.toThrow(/no session/);
  });

  it('a bad feed fails in the Worker and arrives as FeedError', async () => {
    const client = connect();
    const info = await client.call('createSession', { model: accumulator(), options: { provider: 'cpu' } });
    const error = await client.call('run', { id: info.id, feeds: { w: f32([2], [1, 2]), x: f32([3], [0, 0, 0]) } }).catch((e) => e);
    expect(error).toBeInstanceOf(FeedError);
    expect(error.message).toMatch(/feed "w" is \[2\] float32, the model needs \[3\] float32/);
    await client.call('release', { id: info.id });
  });

  it('runs a carried loop: state stays in the Worker, each step reports its outputs as progress', async () => {
    const client = connect();
    const loop = await client.call('createLoop', { model: accumulator(), options: { provider: 'cpu', carry: { 'new.w': 'w' }, initial: { w: f32([3], [0, 0, 0]) } } });
    const steps = [1, 2, 3].map((k) => ({ x: f32([3], [k, k, k]) }));
    const totals: number[] = [];
    const out = await client.call('runLoop', { id: loop.id, steps }, { onProgress: (done, total, detail) => totals.push(done / total, (detail!.total.data as Float32Array)[0]) });
    // w after each step: 0.5, 1.5, 3 per element.
    expect(totals).toEqual([1 / 3, 1.5, 2 / 3, 4.5, 1, 9]);
    expect(out.map((o) => Object.keys(o))).toEqual([['total'], ['total'], ['total']]);
    const w = await client.call('read', { id: loop.id, input: 'w' });
    expect([...(w.data as Float32Array)]).toEqual([3, 3, 3]);
    await client.call('release', { id: loop.id });
  });

  it('a cancelled loop stops between steps and keeps the state it reached', async () => {
    const client = connect();
    const loop = await client.call('createLoop', { model: accumulator(), options: { provider: 'cpu', carry: { 'new.w': 'w' }, initial: { w: f32([3], [0, 0, 0]) } } });
    const controller = new AbortController();
    const steps = Array.from({ length: 500 }, () => ({ x: f32([3], [2, 2, 2]) }));
    const run = client.call('runLoop', { id: loop.id, steps }, { signal: controller.signal, onProgress: (done) => done === 3 && controller.abort() });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    // The Worker stops at its next step boundary; the state is whatever it reached, well short of 500 steps.
    const w = await client.call('read', { id: loop.id, input: 'w' });
    const reached = (w.data as Float32Array)[0];
    expect(reached).toBeGreaterThanOrEqual(3);
    expect(reached).toBeLessThan(500);
    await client.call('release', { id: loop.id });
  });
});
