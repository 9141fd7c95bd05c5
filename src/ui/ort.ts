/**
 * ONNX Runtime Web for the app: the WebGPU build (which also runs the WASM
 * EP), with its runtime files imported as URLs. Handing ORT both URLs keeps
 * its worker threads from loading the app's entry chunk, which hangs session
 * creation in a production build under cross-origin isolation.
 */
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';

let configured = false;

/** The configured ORT module. Threads: one per core when the page is cross-origin isolated (ORT's default is half). */
export function loadOrt(): typeof ort {
  if (!configured) {
    ort.env.wasm.wasmPaths = { mjs: mjsUrl, wasm: wasmUrl };
    ort.env.wasm.numThreads = globalThis.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
    ort.env.logLevel = 'error';
    configured = true;
  }
  return ort;
}
