/**
 * Decoded frames the inspector has seen, by (video, frame index, size), so
 * switching recipe or seed re-uses them instead of decoding again.
 */
import type { RgbaFrame } from '../../media/frame';
import type { FramePlan } from '../../media/samplers';
import { timestampOf } from '../../media/timeline';
import type { VideoRecord } from '../../library/videoRecord';
import { mediaWorker } from '../mediaWorker';

/** About 70 MB of 224-px frames. */
const MAX_FRAMES = 600;
const cache = new Map<string, RgbaFrame>();
/** The key of a decoded frame, shared with the pixel-ops Worker's copies. */
export const frameKey = (video: string, index: number, maxSide: number) => `${video}:${index}@${maxSide}`;

export function cachedFrame(video: string, index: number, maxSide: number): RgbaFrame | undefined {
  const k = frameKey(video, index, maxSide);
  const f = cache.get(k);
  if (f) {
    cache.delete(k); // most recently used last
    cache.set(k, f);
  }
  return f;
}

/** Decodes the frames of `indices` that are not cached yet (one Worker request per video). */
export async function ensureFrames(video: VideoRecord, indices: Iterable<number>, maxSide: number, options: { signal?: AbortSignal; onProgress?(done: number, total: number): void } = {}) {
  const tl = video.timeline;
  if (!tl) throw new Error(`${video.name} has no timeline yet`);
  const missing = [...new Set(indices)].filter((i) => !cache.has(frameKey(video.id, i, maxSide))).sort((a, b) => a - b);
  if (missing.length === 0) return;
  const plan: FramePlan = { spec: { mode: 'uniform', n: missing.length }, notes: [], picks: missing.map((index, slot) => ({ slot, index, timestamp: timestampOf(tl, index) })) };
  const frames = await mediaWorker().decode(video.file, tl, plan, { maxSide }, options);
  for (const f of frames) cache.set(frameKey(video.id, f.index, maxSide), { width: f.width, height: f.height, data: f.data });
  while (cache.size > MAX_FRAMES) cache.delete(cache.keys().next().value!);
}
