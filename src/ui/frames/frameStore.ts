/**
 * Decoded frames the inspector, Curate and the export have seen, in the one
 * frame cache: the page keeps them for drawing, and the pixel Worker keeps
 * copies the media Worker handed it, dropped whenever the page drops them.
 */
import type { RgbaFrame } from '../../core/frame';
import type { VideoRecord } from '../../library/videoRecord';
import { FrameCache, frameKey } from '../../media/frameCache';
import { type FramePlan, QWEN_FPS_MAX_FRAMES } from '../../media/samplers';
import { timestampOf } from '../../media/timeline';
import { linkWorkers, mediaWorker, pixelWorker } from '../workers';

export { frameKey };

/**
 * Room for the two largest views side by side: each view is capped at Qwen2.5-VL's 768 frames (the sparse
 * view by its sampler, the preferred one by its budget), so a view always fits. About 180 MB of 224-px
 * frames at most, taken only as views need them.
 */
export const FRAME_CACHE_CAPACITY = 2 * QWEN_FPS_MAX_FRAMES + 64;
const cache = new FrameCache(FRAME_CACHE_CAPACITY, (keys) => void pixelWorker().call('evict', { keys }).catch(() => {}));
let pixelStarts = 0;

/** Links the Workers; a new pixel Worker holds no frames, so the cache starts over with it. */
function sync() {
  const starts = linkWorkers();
  if (starts !== pixelStarts) cache.clear();
  pixelStarts = starts;
}

export function cachedFrame(video: string, index: number, maxSide: number): RgbaFrame | undefined {
  return cache.get(frameKey(video, index, maxSide));
}

/** Decodes the frames of `indices` that are not cached yet (one Worker request per video), sharing them with the pixel Worker. */
export async function ensureFrames(video: VideoRecord, indices: Iterable<number>, maxSide: number, options: { signal?: AbortSignal; onProgress?(done: number, total: number): void } = {}) {
  const tl = video.timeline;
  if (!tl) throw new Error(`${video.name} has no timeline yet`);
  sync();
  const missing = [...new Set(indices)].filter((i) => !cache.has(frameKey(video.id, i, maxSide))).sort((a, b) => a - b);
  if (missing.length === 0) return;
  const plan: FramePlan = { spec: { mode: 'uniform', n: missing.length }, notes: [], picks: missing.map((index, slot) => ({ slot, index, timestamp: timestampOf(tl, index) })) };
  const shareAs = missing.map((i) => frameKey(video.id, i, maxSide));
  const frames = await mediaWorker().decode(video.file, tl, plan, { maxSide }, { ...options, shareAs });
  cache.set(frames.map((f) => [shareAs[f.slot], { width: f.width, height: f.height, data: f.data }]));
}
