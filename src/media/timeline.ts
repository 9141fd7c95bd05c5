/**
 * A video's frame timeline: where each frame sits in time. Samplers are pure
 * functions over a timeline, so they run the same in the browser, in a Worker
 * and in Node tests.
 */

/** How the frame count was obtained. */
export type FrameCountSource =
  /** Read from the container's sample table (MP4/MOV). */
  | 'container'
  /** Counted by walking every packet's metadata (WebM/Matroska). */
  | 'counted'
  /** Estimated as duration x frame rate; the container does not state it and counting was too costly. */
  | 'estimated';

/** Frame timing of one video track. Times are in seconds. */
export interface FrameTimeline {
  /** Number of frames (exact unless `countSource` is `'estimated'`). */
  frameCount: number;
  /** Presentation time of the first frame. Often 0, may be positive or negative. */
  startTime: number;
  /** End of the last frame minus `startTime`. */
  duration: number;
  /** Average frame rate: frameCount / duration. */
  fps: number;
  countSource: FrameCountSource;
  /** True when frame intervals vary inside the video (variable frame rate); a shorter interval at the very end does not count. */
  variableRate: boolean;
  /**
   * Presentation timestamps of every frame, ascending, when known. Absent for
   * estimated timelines, which are then modelled as constant-rate.
   */
  timestamps?: Float64Array;
}

/** Builds a timeline from the exact presentation timestamps of every frame (any order). */
export function timelineFromTimestamps(
  timestamps: ArrayLike<number>,
  endTime: number,
  countSource: 'container' | 'counted',
): FrameTimeline {
  if (timestamps.length === 0) throw new RangeError('timelineFromTimestamps: a video track needs at least one frame');
  const sorted = Float64Array.from(timestamps).sort();
  const startTime = sorted[0];
  const duration = Math.max(endTime - startTime, 0);
  const frameCount = sorted.length;
  return {
    frameCount,
    startTime,
    duration,
    fps: duration > 0 ? frameCount / duration : 0,
    countSource,
    variableRate: hasVariableIntervals(sorted),
    timestamps: sorted,
  };
}

/** Builds a constant-rate timeline from a duration and a frame rate (frame count estimated). */
export function timelineFromRate(startTime: number, duration: number, fps: number, variableRate = false): FrameTimeline {
  if (!(fps > 0)) throw new RangeError(`timelineFromRate: fps must be > 0, got ${fps}`);
  if (!(duration >= 0)) throw new RangeError(`timelineFromRate: duration must be >= 0, got ${duration}`);
  const frameCount = Math.max(1, Math.round(duration * fps));
  return { frameCount, startTime, duration, fps, countSource: 'estimated', variableRate };
}

// Variable frame rate means the intervals vary inside the video. The interval
// that leads into the last frame (and the last frame's own, which is the
// track's end) is left out: a cut or an encoder's flush shortens the end of
// many constant-rate files. Intervals may jitter by container rounding (WebM
// stores milliseconds), so only a difference above 10% of the median counts.
function hasVariableIntervals(sorted: Float64Array): boolean {
  if (sorted.length < 4) return false;
  const gaps = new Float64Array(sorted.length - 2);
  for (let i = 1; i < sorted.length - 1; i++) gaps[i - 1] = sorted[i] - sorted[i - 1];
  const median = Float64Array.from(gaps).sort()[gaps.length >> 1];
  const tolerance = Math.max(median * 0.1, 1e-4);
  return gaps.some((g) => Math.abs(g - median) > tolerance);
}

/** Presentation timestamp of frame `index`. */
export function timestampOf(tl: FrameTimeline, index: number): number {
  const i = clampIndex(tl, index);
  return tl.timestamps ? tl.timestamps[i] : tl.startTime + i / tl.fps;
}

/** End of frame `index`'s display interval. */
export function frameEndOf(tl: FrameTimeline, index: number): number {
  const i = clampIndex(tl, index);
  if (i + 1 < tl.frameCount) return timestampOf(tl, i + 1);
  return Math.max(tl.startTime + tl.duration, timestampOf(tl, i));
}

/**
 * The time to ask a decoder for when frame `index` is wanted: the middle of
 * its display interval, because asking for a frame's exact start can return
 * the previous frame at NTSC rates (rounded timestamps).
 */
export function seekTimeOf(tl: FrameTimeline, index: number): number {
  const start = timestampOf(tl, index);
  const end = frameEndOf(tl, index);
  return end > start ? (start + end) / 2 : start;
}

/** Index of the frame on screen at time `t` (the last frame starting at or before `t`), clamped to the video. */
export function indexAtTime(tl: FrameTimeline, t: number): number {
  const ts = tl.timestamps;
  if (!ts) return clampIndex(tl, Math.floor((t - tl.startTime) * tl.fps + 1e-9));
  let lo = 0;
  let hi = ts.length - 1;
  if (t <= ts[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ts[mid] <= t + 1e-9) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function clampIndex(tl: FrameTimeline, index: number): number {
  return Math.min(Math.max(Math.trunc(index), 0), tl.frameCount - 1);
}
