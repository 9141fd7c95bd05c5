/**
 * ONNX Runtime Web for the app, one build per provider, each loaded on first
 * use: WASM sessions on the plain threaded build, WebGPU sessions on the
 * `webgpu` entry (the native WebGPU EP, on the asyncify build). The asyncify
 * build's CPU kernels are slower: 16-word greedy generation of PASTA-tiny took
 * 206 ms on it against 114 ms on the plain build (`npm run bench:model`,
 * 2 threads). Runtime files are imported as URLs: handing ORT both keeps its
 * worker threads from loading the app's entry chunk, which hangs session
 * creation in a production build under cross-origin isolation.
 */
import type * as Ort from 'onnxruntime-web';
import type { Provider } from '../runtime';

export type OrtWeb = typeof Ort;

/** Threads per core when the page is cross-origin isolated (ORT's default is half); one without isolation. */
let threads = globalThis.crossOriginIsolated ? Math.max(1, globalThis.navigator?.hardwareConcurrency || 1) : 1;
const loaded = new Map<'wasm' | 'webgpu', Promise<OrtWeb>>();

async function load(build: 'wasm' | 'webgpu'): Promise<OrtWeb> {
  const [ort, wasm, mjs] = build === 'wasm'
    ? await Promise.all([import('onnxruntime-web/wasm'), import('onnxruntime-web/ort-wasm-simd-threaded.wasm?url'), import('onnxruntime-web/ort-wasm-simd-threaded.mjs?url')])
    : await Promise.all([import('onnxruntime-web/webgpu'), import('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url'), import('onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url')]);
  ort.env.wasm.wasmPaths = { mjs: mjs.default, wasm: wasm.default };
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  return ort as OrtWeb;
}

/** The configured ORT build for sessions on `provider` (WebGPU's build for `webgpu`, the plain WASM build otherwise). */
export function ortFor(provider: Provider): Promise<OrtWeb> {
  const build = provider === 'webgpu' ? 'webgpu' : 'wasm';
  let p = loaded.get(build);
  if (!p) loaded.set(build, (p = load(build)));
  return p;
}

/** WASM threads of every build loaded from now on (set before the first session). */
export function setWasmThreads(n: number): void {
  threads = Math.max(1, Math.floor(n));
}

export const wasmThreads = (): number => threads;
