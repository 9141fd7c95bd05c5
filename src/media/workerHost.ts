/** The Worker side of the media protocol: runs probe/decode/thumbnail requests, one AbortController each. */
import { decodePlan } from './decode';
import { serializeError } from './errors';
import { OpenedVideoCache } from './openedVideoCache';
import { probeVideo } from './probe';
import { makeThumbnail } from './thumbnail';
import type { MediaRequest, MediaResponse, MessagePort_ } from './workerProtocol';

export function serveMediaRequests(port: MessagePort_): void {
  const running = new Map<number, AbortController>();
  const cache = new OpenedVideoCache();
  const reply = (message: MediaResponse, transfer: Transferable[] = []) => port.postMessage(message, transfer);

  port.addEventListener('message', async (event: MessageEvent<MediaRequest>) => {
    const request = event.data;
    if (request.kind === 'cancel') {
      running.get(request.id)?.abort();
      return;
    }
    const controller = new AbortController();
    running.set(request.id, controller);
    try {
      switch (request.kind) {
        case 'probe': {
          const result = await probeVideo(request.blob, {
            ...request.options,
            cache,
            signal: controller.signal,
            onProgress: (fraction) => reply({ id: request.id, kind: 'progress', done: fraction, total: 1 }),
          });
          reply({ id: request.id, kind: 'result', value: result });
          break;
        }
        case 'decode': {
          const frames = await decodePlan(request.blob, request.timeline, request.plan, {
            ...request.settings,
            cache,
            signal: controller.signal,
            onProgress: (done, total) => reply({ id: request.id, kind: 'progress', done, total }),
          });
          // Repeated slots share a buffer; a transfer list must not name one twice.
          const buffers = [...new Set(frames.map((f) => f.data.buffer as ArrayBuffer))];
          reply({ id: request.id, kind: 'result', value: frames }, buffers);
          break;
        }
        case 'thumbnail': {
          const thumb = await makeThumbnail(request.blob, request.timeline, request.maxSide, cache);
          reply({ id: request.id, kind: 'result', value: thumb });
          break;
        }
      }
    } catch (error) {
      reply({ id: request.id, kind: 'error', error: serializeError(error) });
    } finally {
      running.delete(request.id);
    }
  });
}
