/** The app's one media Worker, started on first use. */
import { MediaWorkerClient } from '../media/workerClient';

let client: MediaWorkerClient | null = null;

export function mediaWorker(): MediaWorkerClient {
  client ??= new MediaWorkerClient(new Worker(new URL('./workers/media.worker.ts', import.meta.url), { type: 'module', name: 'media' }));
  return client;
}
