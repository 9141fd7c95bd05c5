/**
 * The frames the built-in model sees of a video: `n` sampled uniformly with
 * the Library's sampler and decoded through the one frame cache, each
 * resized to the model's square input (fitFrame).
 */
import type { RgbaFrame } from '../../core/frame';
import type { VideoRecord } from '../../library/videoRecord';
import { planFrames } from '../../media/samplers';
import { fitFrame } from '../../model';
import { cachedFrame, ensureFrames } from '../frames/frameStore';

/** Longest side the frames are decoded at before shrinking to the model's size (small: cheap to decode and keep). */
export const ASK_DECODE_SIDE = 128;

export async function modelFramesOf(video: VideoRecord, n: number, size: number, options: { signal?: AbortSignal; onProgress?(done: number, total: number): void } = {}): Promise<RgbaFrame[]> {
  if (!video.timeline) throw new Error(`${video.name} has not been probed yet`);
  const plan = planFrames(video.timeline, { mode: 'uniform', n });
  const indices = plan.picks.map((p) => p.index);
  await ensureFrames(video, indices, ASK_DECODE_SIDE, options);
  return indices.map((i) => {
    const f = cachedFrame(video.id, i, ASK_DECODE_SIDE);
    if (!f) throw new Error(`frame ${i} of ${video.name} was dropped from the frame cache before the model saw it`);
    return fitFrame(f, size);
  });
}

/** `n` of `frames` taken uniformly (the frame under the centre of each of n equal bins), resized to `size`. */
export function pickUniform(frames: readonly RgbaFrame[], n: number, size: number): RgbaFrame[] {
  if (frames.length === 0) throw new RangeError('no frames to pick from');
  return Array.from({ length: n }, (_, k) => fitFrame(frames[Math.min(frames.length - 1, Math.floor(((k + 0.5) * frames.length) / n))], size));
}
