/**
 * The app's Workers, each started on first use and replaced after a crash:
 * the media Worker (probe, decode, thumbnails) and the pixel-operations
 * Worker (adversarial pixels, difference images). The two are linked by a
 * MessageChannel, so decoded frames reach the pixel Worker without passing
 * through the page; a replaced Worker is linked again.
 */
import type { PixelMethods } from '../adversary/workerHost';
import { type WorkerEndpoint, WorkerClient } from '../core/worker';
import { MediaWorkerClient } from '../media/workerClient';

const media = new MediaWorkerClient(() => new Worker(new URL('./workers/media.worker.ts', import.meta.url), { type: 'module', name: 'media' }) as WorkerEndpoint);
const pixels = new WorkerClient<PixelMethods>(() => new Worker(new URL('./workers/adversary.worker.ts', import.meta.url), { type: 'module', name: 'adversary' }) as WorkerEndpoint, { name: 'adversary' });

/** The client of the media Worker. */
export const mediaWorker = (): MediaWorkerClient => media;

/** The client of the pixel-operations Worker. */
export const pixelWorker = (): WorkerClient<PixelMethods> => pixels;

let linked = '';

/**
 * Starts both Workers if needed and links them, again when either was
 * replaced. Returns how many pixel Workers have been started: when that
 * changes, the frames the last one kept are gone.
 */
export function linkWorkers(): number {
  media.client.connect();
  pixels.connect();
  const key = `${media.client.starts}:${pixels.starts}`;
  if (key !== linked) {
    const { port1, port2 } = new MessageChannel();
    // Both calls are sent before any call that relies on the link, and a port keeps messages in order.
    void pixels.call('link', { port: port2 }, { transfer: [port2] }).catch(() => {});
    void media.link(port1).catch(() => {});
    linked = key;
  }
  return pixels.starts;
}
