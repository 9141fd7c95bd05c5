/** The page side of the media protocol: promises, progress callbacks and cancellation by AbortSignal. */
import type { DecodeSettings } from './decode';
import { CancelledError, WorkerFailedError, deserializeError } from './errors';
import type { SampledFrame } from './frame';
import type { ProbeResult, ProbeSettings } from './probe';
import type { FramePlan } from './samplers';
import type { FrameTimeline } from './timeline';
import type { MediaRequest, MediaResponse, MessagePort_ } from './workerProtocol';

export interface RequestOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void; onProgress?: RequestOptions['onProgress'] };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class MediaWorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Set once the Worker has failed; a failed client rejects every request. */
  failure: WorkerFailedError | null = null;

  constructor(private readonly port: MessagePort_) {
    port.addEventListener('message', (event: MessageEvent<MediaResponse>) => this.onMessage(event.data));
    port.addEventListener('error', (event: Event) => {
      const detail = (event as ErrorEvent).message;
      this.failure = new WorkerFailedError(`the media worker stopped unexpectedly${detail ? `: ${detail}` : ''}`);
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    });
  }

  /** Probes a file: metadata and frame timeline. */
  probe(blob: Blob, probeOptions?: ProbeSettings, options?: RequestOptions): Promise<ProbeResult> {
    return this.request({ kind: 'probe', blob, options: probeOptions }, options) as Promise<ProbeResult>;
  }

  /** Decodes the frames a plan names (at `settings.maxSide`). */
  decode(blob: Blob, timeline: FrameTimeline, plan: FramePlan, settings?: DecodeSettings, options?: RequestOptions): Promise<SampledFrame[]> {
    return this.request({ kind: 'decode', blob, timeline, plan, settings }, options) as Promise<SampledFrame[]>;
  }

  /** A JPEG thumbnail of an early frame. */
  thumbnail(blob: Blob, timeline: FrameTimeline, maxSide?: number, options?: RequestOptions): Promise<Blob> {
    return this.request({ kind: 'thumbnail', blob, timeline, maxSide }, options) as Promise<Blob>;
  }

  private request(body: DistributiveOmit<Exclude<MediaRequest, { kind: 'cancel' }>, 'id'>, options: RequestOptions = {}): Promise<unknown> {
    const { signal, onProgress } = options;
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.port.postMessage({ id, kind: 'cancel' } satisfies MediaRequest);
        this.pending.delete(id);
        reject(new CancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => { settle(); resolve(v); },
        reject: (e) => { settle(); reject(e); },
        onProgress,
      });
      this.port.postMessage({ ...body, id } as MediaRequest);
    });
  }

  private onMessage(message: MediaResponse) {
    const pending = this.pending.get(message.id);
    if (!pending) return; // cancelled: late replies are dropped
    if (message.kind === 'progress') return pending.onProgress?.(message.done, message.total);
    this.pending.delete(message.id);
    if (message.kind === 'result') pending.resolve(message.value);
    else pending.reject(deserializeError(message.error));
  }
}
