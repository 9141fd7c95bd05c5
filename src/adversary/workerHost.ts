/**
 * The pixel-operations Worker's methods. It keeps the decoded frames the
 * media Worker hands it (through a MessageChannel between the two, see
 * media/workerHost's `shareAs`), so a recipe or seed switch sends only keys
 * and operations. Which frames it keeps is decided by the page's one frame
 * cache: the page evicts, and tells this Worker the keys it dropped.
 */
import type { RgbaFrame } from '../core/frame';
import { type MessageEndpoint, serve, transfer } from '../core/worker';
import type { FrameSinkMethods, StoreFramesRequest } from '../media/frameSink';
import { applyPixelOps, pixelDifference } from './pixelOps';
import type { PixelOp } from './types';

/** How long a render waits for a shared frame that has not arrived yet. */
const SHARE_WAIT_MS = 5_000;

/** One frame to draw: a kept frame, the operations to apply, and optionally a kept frame to difference against. */
export interface RenderJob {
  source: string;
  ops: readonly PixelOp[];
  /** When set, a difference image against this kept frame comes back too. */
  compareWith?: string;
}

export interface RenderResult {
  frames: RgbaFrame[];
  diffs: (RgbaFrame | null)[];
  /** Time spent in the Worker. */
  ms: number;
}

/** The pixel Worker's method map, over its own store of kept frames. */
export function pixelMethods({ shareWaitMs = SHARE_WAIT_MS } = {}) {
  const kept = new Map<string, RgbaFrame>();
  const waiting = new Map<string, (() => void)[]>();
  /**
   * A kept frame. The media Worker sends shared frames just before it answers
   * the page, on another channel, so a render may arrive first: a key not
   * here yet is waited for, up to `shareWaitMs`.
   */
  const frame = async (key: string): Promise<RgbaFrame> => {
    if (!kept.has(key)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, shareWaitMs);
        waiting.set(key, [...(waiting.get(key) ?? []), () => { clearTimeout(timer); resolve(); }]);
      });
    }
    const f = kept.get(key);
    if (!f) throw new Error(`frame ${key} was never shared with the pixel worker`);
    return f;
  };
  const sink: FrameSinkMethods = {
    store: ({ frames }: StoreFramesRequest) => {
      for (const { key, frame: f } of frames) {
        kept.set(key, f);
        for (const wake of waiting.get(key) ?? []) wake();
        waiting.delete(key);
      }
    },
  };
  return {
    ...sink,
    /** Serves `store` to the media Worker at the other end of `port`. */
    link: ({ port }: { port: MessageEndpoint }) => {
      serve(port, sink);
    },
    /** Forgets frames the page's cache dropped. */
    evict: ({ keys }: { keys: string[] }) => {
      for (const k of keys) kept.delete(k);
    },
    /** How many frames are kept (for tests and diagnostics). */
    size: () => kept.size,
    render: async ({ jobs }: { jobs: RenderJob[] }) => {
      const sources = await Promise.all(jobs.map((j) => frame(j.source)));
      const others = await Promise.all(jobs.map((j) => (j.compareWith ? frame(j.compareWith) : null)));
      const t0 = performance.now();
      const frames = jobs.map((j, i) => applyPixelOps(sources[i], j.ops));
      const diffs = others.map((o, i) => (o ? pixelDifference(frames[i], o) : null));
      const result: RenderResult = { frames, diffs, ms: performance.now() - t0 };
      return transfer(result, [...frames, ...diffs].flatMap((f) => (f ? [f.data.buffer] : [])));
    },
  };
}

/** The pixel Worker's method map, as its callers type it. */
export type PixelMethods = ReturnType<typeof pixelMethods>;
