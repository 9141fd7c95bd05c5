import { Graph, Ops, emitOnnx } from '../graph';
import { ModelSession, type OrtModule } from './session';
import type { Provider } from './provider';

/**
 * The provider's own large-MatMul rate in GFLOP/s (median of `runs` after one
 * warm-up): the roofline a training step's throughput is compared with.
 * `depth` chained n×n MatMuls per run keep feeding and reading back a small
 * share of the time, so the figure is the kernel's, not the copies'.
 */
export async function matmulRate(ort: OrtModule, provider: Provider, { n = 1024, depth = 4, runs = 5 } = {}): Promise<number> {
  const g = new Graph();
  const op = new Ops(g);
  const b = g.input('b', [n, n], 'float32');
  let x = g.input('a', [n, n], 'float32');
  // Scaled by 1/n per product so values stay finite down the chain.
  for (let i = 0; i < depth; i++) x = op.Mul(op.MatMul(x, b), 1 / n);
  const model = emitOnnx(g, { outputs: { c: x } });
  const session = await ModelSession.create(ort, model, { provider });
  const data = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const feeds = { a: { dtype: 'float32' as const, shape: [n, n], data }, b: { dtype: 'float32' as const, shape: [n, n], data } };
  await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  times.sort((a, b) => a - b);
  return model.matmulFlops / (times[Math.floor(times.length / 2)] / 1000) / 1e9;
}
