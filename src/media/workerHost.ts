/**
 * The media Worker's methods: probe, decode and thumbnail, each with its own
 * AbortSignal and progress (see core/worker for the protocol). A decode can
 * also hand copies of its frames straight to a linked Worker, so frames bound
 * for the pixel-operations Worker never pass through the page.
 */
import type { RgbaFrame } from '../core/frame';
import { type CallContext, type MessageEndpoint, WorkerClient, serve, transfer } from '../core/worker';
import { type DecodeSettings, decodePlan } from './decode';
import type { FrameSinkMethods } from './frameSink';
import { OpenedVideoCache } from './openedVideoCache';
import { type ProbeSettings, probeVideo } from './probe';
import type { FramePlan } from './samplers';
import { makeThumbnail } from './thumbnail';
import type { FrameTimeline } from './timeline';

export interface ProbeRequest { blob: Blob; options?: ProbeSettings }
export interface DecodeRequest {
  blob: Blob;
  timeline: FrameTimeline;
  plan: FramePlan;
  settings?: DecodeSettings;
  /**
   * When set, a copy of each decoded frame goes to the linked Worker under
   * `shareAs[slot]`, sent before the result, so the page can use those keys
   * there as soon as it has the result.
   */
  shareAs?: string[];
}
export interface ThumbnailRequest { blob: Blob; timeline: FrameTimeline; maxSide?: number }
/** A port to another Worker that serves FrameSinkMethods. */
export interface LinkRequest { port: MessageEndpoint }

/** The media Worker's method map; one opened-file cache is shared by its calls. */
export function mediaMethods() {
  const cache = new OpenedVideoCache();
  let linked: WorkerClient<FrameSinkMethods> | null = null;
  return {
    probe: ({ blob, options }: ProbeRequest, ctx: CallContext) =>
      probeVideo(blob, { ...options, cache, signal: ctx.signal, onProgress: (fraction) => ctx.progress(fraction, 1) }),

    decode: async ({ blob, timeline, plan, settings, shareAs }: DecodeRequest, ctx: CallContext) => {
      const frames = await decodePlan(blob, timeline, plan, { ...settings, cache, signal: ctx.signal, onProgress: ctx.progress });
      if (shareAs) {
        if (!linked) throw new TypeError('decode with shareAs needs a linked worker (call link first)');
        const copies = frames.map((f) => ({ key: shareAs[f.slot], frame: { width: f.width, height: f.height, data: f.data.slice() } as RgbaFrame }));
        // Not awaited: the linked Worker waits for a key it is asked for before it arrives (see adversary/workerHost).
        linked.call('store', { frames: copies }, { transfer: copies.map((c) => c.frame.data.buffer) }).catch(() => {});
      }
      // Repeated slots share a buffer: `transfer` names each buffer once.
      return transfer(frames, frames.map((f) => f.data.buffer));
    },

    thumbnail: ({ blob, timeline, maxSide }: ThumbnailRequest) => makeThumbnail(blob, timeline, maxSide, cache),

    /** Shares decoded frames with the Worker at the other end of `port` from now on (replacing an earlier link). */
    link: ({ port }: LinkRequest) => {
      linked = new WorkerClient<FrameSinkMethods>(() => port as MessageEndpoint, { name: 'linked' });
    },
  };
}

/** The media Worker's method map, as its callers type it. */
export type MediaMethods = ReturnType<typeof mediaMethods>;

/** Serves the media methods on `endpoint` (a Worker's global scope, or a port in tests). */
export function serveMedia(endpoint: MessageEndpoint): () => void {
  return serve(endpoint, mediaMethods());
}
