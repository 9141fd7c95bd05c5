/** The app's media Worker, started on first use. */
import { MediaWorkerClient } from '../media/workerClient';

let client: MediaWorkerClient | null = null;

/** The client of the media Worker; a Worker that has failed is replaced by a new one on the next call. */
export function mediaWorker(): MediaWorkerClient {
  if (!client || client.failure) {
    client = new MediaWorkerClient(new Worker(new URL('./workers/media.worker.ts', import.meta.url), { type: 'module', name: 'media' }));
  }
  return client;
}
