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
export function pixelMethods() {
  const kept = new Map<string, RgbaFrame>();
  const frame = (key: string) => {
    const f = kept.get(key);
    if (!f) throw new Error(`frame ${key} was never shared with the pixel worker`);
    return f;
  };
  const sink: FrameSinkMethods = {
    store: ({ frames }: StoreFramesRequest) => {
      for (const { key, frame: f } of frames) kept.set(key, f);
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
    render: ({ jobs }: { jobs: RenderJob[] }) => {
      const t0 = performance.now();
      const frames = jobs.map((j) => applyPixelOps(frame(j.source), j.ops));
      const diffs = jobs.map((j, i) => (j.compareWith ? pixelDifference(frames[i], frame(j.compareWith)) : null));
      const result: RenderResult = { frames, diffs, ms: performance.now() - t0 };
      return transfer(result, [...frames, ...diffs].flatMap((f) => (f ? [f.data.buffer] : [])));
    },
  };
}

/** The pixel Worker's method map, as its callers type it. */
export type PixelMethods = ReturnType<typeof pixelMethods>;
