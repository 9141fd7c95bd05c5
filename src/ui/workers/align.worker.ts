/// <reference lib="webworker" />
/** Hosts alignment (pair generation, LoRA DPO training, benchmarks, the ablation) off the main thread, on onnxruntime-web. */
import type { MessageEndpoint } from '../../core/worker';
import { alignDb } from '../align/alignDb';
import { loadOrt } from '../ort';
import { serveAlign } from './alignHost';
import { browserProvider, fetchFolderFile } from './modelHost';

const ort = loadOrt();
// One core is left to the page (and the model Worker), so training never starves the main thread.
ort.env.wasm.numThreads = Math.max(1, (ort.env.wasm.numThreads ?? 1) - 1);

serveAlign(self as unknown as MessageEndpoint, ort, {
  read: fetchFolderFile,
  autoProvider: browserProvider,
  runs: {
    getRun: async (id) => (await alignDb()).getRun(id),
    putRun: async (run) => (await alignDb()).putRun(run),
    getCheckpoint: async (id) => (await alignDb()).getCheckpoint(id),
    putCheckpoint: async (c, run) => (await alignDb()).putCheckpoint(c, run),
  },
});
