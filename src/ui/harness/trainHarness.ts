/**
 * Training diagnostics: the DPO step graph on ONNX Runtime Web (WASM and
 * WebGPU) exposed on `window.pastaTrain` for end-to-end tests and
 * `npm run bench:train`. Results are plain arrays so they cross into Node.
 */
import { PRIMITIVE_CASES, type TensorData, buildPrimitiveSuite, emitOnnx } from '../../graph';
import { ModelSession, type Provider, chooseProvider, matmulRate } from '../../runtime';
import { type FixedBatchRunSpec, type RunSettings, runFixedBatch } from '../../train';
import { ortFor, wasmThreads } from '../ort';

const plain = (d: TensorData) => Array.from(d as Float32Array);

const pastaTrain = {
  /** The WebGPU adapter, what the app would choose, and the WASM thread count. */
  async environment() {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: Record<string, unknown> } | null> } }).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    const info = adapter?.info;
    return {
      choice: await chooseProvider(gpu as never),
      adapter: info ? { vendor: info.vendor, architecture: info.architecture, isFallbackAdapter: info.isFallbackAdapter } : null,
      crossOriginIsolated,
      wasmThreads: wasmThreads(),
    };
  },

  /** Trains on a fixed toy batch; `timeouts` in ms bound each ORT call. */
  async run(provider: Provider, spec: FixedBatchRunSpec, settings?: RunSettings) {
    const r = await runFixedBatch(await ortFor(provider), provider, spec, settings);
    return { ...r, adapters: Object.fromEntries(Object.entries(r.adapters).map(([k, t]) => [k, plain(t.data)])) };
  },

  /**
   * Every primitive and its gradient as one float32 graph, run once; with
   * `logSeverityLevel: 0` ORT prints where each node was placed.
   */
  async primitiveSuite(provider: Provider, logSeverityLevel: 0 | 3 = 3) {
    const { graph, outputs, feeds } = buildPrimitiveSuite(PRIMITIVE_CASES, 'float32');
    const model = emitOnnx(graph, { outputs });
    const session = await ModelSession.create(await ortFor(provider), model, { provider, logSeverityLevel });
    try {
      const out = await session.run(feeds);
      return { nodeCount: model.nodeCount, outputs: Object.fromEntries(Object.entries(out).map(([k, t]) => [k, plain(t.data)])) };
    } finally {
      await session.release();
    }
  },

  /** GFLOP/s of one large MatMul on `provider`. */
  async matmulRate(provider: Provider, n = 1024, runs = 5) {
    return matmulRate(await ortFor(provider), provider, { n, runs });
  },
};

declare global {
  interface Window {
    pastaTrain: typeof pastaTrain;
  }
}
window.pastaTrain = pastaTrain;
document.body.dataset.ready = 'true';
