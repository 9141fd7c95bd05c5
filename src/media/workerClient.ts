/** The page side of the media Worker: typed calls with progress, cancellation and a replacement Worker after a crash. */
import type { SampledFrame } from '../core/frame';
import { type CallOptions, type MessageEndpoint, type WorkerEndpoint, WorkerClient, type WorkerClientOptions } from '../core/worker';
import type { DecodeSettings } from './decode';
import './errors'; // registers the media errors, so they arrive as their own classes
import type { ProbeResult, ProbeSettings } from './probe';
import type { FramePlan } from './samplers';
import type { FrameTimeline } from './timeline';
import type { MediaMethods } from './workerHost';

/** Options of one media request. */
export type RequestOptions = Pick<CallOptions, 'signal' | 'onProgress' | 'timeoutMs'>;

export class MediaWorkerClient {
  /** The protocol client underneath (for callers that need its state). */
  readonly client: WorkerClient<MediaMethods>;

  /** `start` makes the Worker (on the first request, and again after one fails). */
  constructor(start: () => WorkerEndpoint, options: WorkerClientOptions = {}) {
    this.client = new WorkerClient<MediaMethods>(start, { name: 'media', ...options });
  }

  /** Probes a file: metadata and frame timeline. */
  probe(blob: Blob, probeOptions?: ProbeSettings, options?: RequestOptions): Promise<ProbeResult> {
    return this.client.call('probe', { blob, options: probeOptions }, options);
  }

  /**
   * Decodes the frames a plan names (at `settings.maxSide`). With `shareAs`,
   * copies also go to the linked Worker under those keys (one per slot).
   */
  decode(blob: Blob, timeline: FrameTimeline, plan: FramePlan, settings?: DecodeSettings, options?: RequestOptions & { shareAs?: string[] }): Promise<SampledFrame[]> {
    const { shareAs, ...rest } = options ?? {};
    return this.client.call('decode', { blob, timeline, plan, settings, shareAs }, rest);
  }

  /** A JPEG thumbnail of an early frame. */
  thumbnail(blob: Blob, timeline: FrameTimeline, maxSide?: number, options?: RequestOptions): Promise<Blob> {
    return this.client.call('thumbnail', { blob, timeline, maxSide }, options);
  }

  /** Links the Worker to another one (at the far end of `port`) that keeps shared frames. */
  link(port: MessagePort): Promise<void> {
    return this.client.call('link', { port: port as unknown as MessageEndpoint }, { transfer: [port] });
  }
}
