/**
 * The client of the model Worker (the built-in model on onnxruntime-web),
 * started on first use and replaced after a crash, and the one place the
 * page loads the model: `ensureModel` loads it once and shares the promise.
 */
import { type WorkerEndpoint, WorkerClient } from '../core/worker';
import type { Provider } from '../runtime';
import type { ModelInfo, ModelMethods, StageDetail } from './workers/modelHost';
import '../model/errors'; // registers UnknownWordError, ModelFolderError, ModelInputError so they arrive as themselves

const client = new WorkerClient<ModelMethods>(
  () => new Worker(new URL('./workers/model.worker.ts', import.meta.url), { type: 'module', name: 'model' }) as WorkerEndpoint,
  { name: 'model' },
);

/** The served model folder (public/models/pasta-tiny/), as an absolute URL. */
export const MODEL_URL = () => new URL('models/pasta-tiny/', document.baseURI).href;

/** The client of the model Worker. */
export const modelWorker = (): WorkerClient<ModelMethods> => client;

const loads = new Map<string, { starts: number; info: Promise<ModelInfo> }>();

/**
 * Loads the model in the Worker once per provider ('auto' picks WebGPU on a
 * real adapter, else WASM); a failed load, or a Worker replaced after a crash,
 * loads again on the next call.
 */
export function ensureModel(provider: Provider | 'auto' = 'auto', onProgress?: (done: number, total: number, detail?: StageDetail) => void): Promise<ModelInfo> {
  const known = loads.get(provider);
  if (known && known.starts === client.starts && !client.failure) return known.info;
  const info = client.call('load', { url: MODEL_URL(), provider }, { onProgress, timeoutMs: 300_000 });
  const entry = { starts: client.starts, info };
  loads.set(provider, entry);
  info.then(() => { entry.starts = client.starts; }, () => { if (loads.get(provider) === entry) loads.delete(provider); });
  return info;
}
