/**
 * The client of the align Worker (pair generation, training, benchmarks and
 * the ablation on onnxruntime-web), started on first use and replaced after
 * a crash; `ensureAlignModel` reads the model folder there once.
 */
import { type WorkerEndpoint, WorkerClient } from '../core/worker';
import type { AlignMethods, AlignModelInfo } from './workers/alignHost';
import { MODEL_URL } from './modelWorker';
import '../model/errors';
import '../train/errors'; // registers TrainingDivergedError, PairSetError, CheckpointError so they arrive as themselves

const client = new WorkerClient<AlignMethods>(
  () => new Worker(new URL('./workers/align.worker.ts', import.meta.url), { type: 'module', name: 'align' }) as WorkerEndpoint,
  { name: 'align' },
);

export const alignWorker = (): WorkerClient<AlignMethods> => client;

let loaded: { starts: number; info: Promise<AlignModelInfo> } | null = null;

/** Loads the model in the align Worker once (again after a crash or a failed load). */
export function ensureAlignModel(): Promise<AlignModelInfo> {
  if (loaded && loaded.starts === client.starts && !client.failure) return loaded.info;
  const info = client.call('load', { url: MODEL_URL(), provider: 'auto' }, { timeoutMs: 300_000 });
  const entry = { starts: client.starts, info };
  loaded = entry;
  info.then(() => { entry.starts = client.starts; }, () => { if (loaded === entry) loaded = null; });
  return info;
}
