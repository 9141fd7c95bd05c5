/** Where a model runs. `cpu` is onnxruntime-node; `wasm` and `webgpu` are onnxruntime-web. */
export type Provider = 'webgpu' | 'wasm' | 'cpu';

/** The part of a WebGPU adapter we look at (`info.isFallbackAdapter` in current browsers, on the adapter in older ones). */
interface AdapterLike {
  info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

export interface ProviderChoice {
  provider: 'webgpu' | 'wasm';
  /** Why: "real adapter (nvidia ampere)", "fallback adapter (google swiftshader)", "no WebGPU", "forced". */
  reason: string;
}

/**
 * Chooses the EP in the browser: WebGPU on a real adapter, WASM on a software
 * fallback adapter (measured 60x slower than WASM there) or none. `force`
 * overrides the choice, for users and tests.
 */
export async function chooseProvider(gpu: GpuLike | undefined, force?: 'webgpu' | 'wasm'): Promise<ProviderChoice> {
  if (force) return { provider: force, reason: 'forced' };
  const adapter = gpu ? await gpu.requestAdapter().catch(() => null) : null;
  if (!adapter) return { provider: 'wasm', reason: 'no WebGPU adapter' };
  const what = [adapter.info?.vendor, adapter.info?.architecture].filter(Boolean).join(' ') || 'unknown';
  const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  return fallback ? { provider: 'wasm', reason: `fallback adapter (${what})` } : { provider: 'webgpu', reason: `real adapter (${what})` };
}
