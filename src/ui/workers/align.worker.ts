/// <reference lib="webworker" />
/** Hosts alignment (pair generation, LoRA DPO training, benchmarks, the ablation) off the main thread, on onnxruntime-web. */
import type { MessageEndpoint } from '../../core/worker';
import { alignDb } from '../align/alignDb';
import { ortFor, setWasmThreads, wasmThreads } from '../ort';
import { serveAlign } from './alignHost';
import { browserProvider, fetchFolderFile } from './modelHost';

// One core is left to the page (and the model Worker), so training never starves the main thread.
setWasmThreads(wasmThreads() - 1);

serveAlign(self as unknown as MessageEndpoint, ortFor, {
  read: fetchFolderFile,
  autoProvider: browserProvider,
  runs: {
    getRun: async (id) => (await alignDb()).getRun(id),
    putRun: async (run) => (await alignDb()).putRun(run),
    getCheckpoint: async (id) => (await alignDb()).getCheckpoint(id),
    putCheckpoint: async (c, run) => (await alignDb()).putCheckpoint(c, run),
  },
});
