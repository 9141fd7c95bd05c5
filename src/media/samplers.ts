/**
 * Frame samplers: each turns a timeline and a spec into a plan of
 * (frame index, timestamp) before anything is decoded. Pure and deterministic.
 */
import { indexAtTime, timestampOf, type FrameTimeline } from './timeline';

/** Evenly spaced timestamps, each at the centre of one of `n` equal time bins. */
export interface UniformSpec { mode: 'uniform'; n: number }
/** Qwen2.5-VL's `nframes`: n rounded to a multiple of 2, indices round(linspace(0, total-1, n)). */
export interface QwenFramesSpec { mode: 'qwen-nframes'; n: number }
/** Qwen2.5-VL's `fps`: n = duration x fps clamped to [4, min(768, total)], floored to a multiple of 2. */
export interface QwenFpsSpec { mode: 'qwen-fps'; fps: number; minFrames?: number; maxFrames?: number }
/** Every native frame, or `maxFrames` evenly spread when the video has more (the dense / preferred view). */
export interface DenseSpec { mode: 'dense'; maxFrames: number }
/**
 * One frame per 1/fps seconds, centred in its interval (the sparse / adversarial view; default 1 fps),
 * at most `maxFrames` (default 768, Qwen2.5-VL's fps-mode limit: the model never sees more, and a
 * one-hour video at 1 fps would ask 3,600), spread evenly when the cap applies.
 */
export interface SparseSpec { mode: 'sparse'; fps: number; maxFrames?: number }

export type SamplingSpec = UniformSpec | QwenFramesSpec | QwenFpsSpec | DenseSpec | SparseSpec;
export type SamplingMode = SamplingSpec['mode'];

/** One picked frame. `slot` is its position in the sampled sequence. */
export interface FramePick {
  slot: number;
  /** Index of the source frame in presentation order. */
  index: number;
  /** Presentation timestamp of that frame, seconds. */
  timestamp: number;
}

export interface FramePlan {
  spec: SamplingSpec;
  picks: FramePick[];
  /** Things a researcher should know about this plan (padding, clamping, estimated count). */
  notes: string[];
}

/** Qwen2.5-VL's constants (qwen-vl-utils): frames come in multiples of 2, 4 to 768 in fps mode. */
export const QWEN_FRAME_FACTOR = 2;
export const QWEN_FPS_MIN_FRAMES = 4;
export const QWEN_FPS_MAX_FRAMES = 768;

/** Default number of frames for training and evaluation (the paper uses 32). */
export const DEFAULT_FRAME_COUNT = 32;

/** Plans which frames to take. Throws RangeError naming the field when a spec value is invalid. */
export function planFrames(tl: FrameTimeline, spec: SamplingSpec): FramePlan {
  validateSpec(spec);
  const notes: string[] = [];
  if (tl.countSource === 'estimated') notes.push(`frame count ${tl.frameCount} is estimated from duration x frame rate`);
  let indices: number[];
  switch (spec.mode) {
    case 'uniform':
      indices = centredIndices(tl, spec.n);
      break;
    case 'qwen-nframes': {
      const n = Math.max(QWEN_FRAME_FACTOR, roundHalfEven(spec.n / QWEN_FRAME_FACTOR) * QWEN_FRAME_FACTOR);
      if (n !== spec.n) notes.push(`n rounded from ${spec.n} to ${n} (multiple of ${QWEN_FRAME_FACTOR})`);
      indices = linspaceIndices(tl.frameCount, n);
      break;
    }
    case 'qwen-fps': {
      const n = qwenFpsFrameCount(tl, spec);
      if (n.padded) notes.push(`video has ${tl.frameCount} frame(s): Qwen2.5-VL needs at least ${QWEN_FRAME_FACTOR}, last frame repeated`);
      indices = linspaceIndices(tl.frameCount, n.count);
      break;
    }
    case 'dense':
      indices = tl.frameCount <= spec.maxFrames
        ? Array.from({ length: tl.frameCount }, (_, i) => i)
        : linspaceIndices(tl.frameCount, spec.maxFrames);
      if (tl.frameCount > spec.maxFrames) notes.push(`capped to ${spec.maxFrames} of ${tl.frameCount} frames`);
      break;
    case 'sparse': {
      const wanted = Math.min(Math.max(1, Math.round(tl.duration * spec.fps)), tl.frameCount);
      const cap = spec.maxFrames ?? QWEN_FPS_MAX_FRAMES;
      const n = Math.min(wanted, cap);
      if (n < wanted) notes.push(`capped at ${cap} frames (Qwen2.5-VL's fps limit): one frame every ${(tl.duration / n).toFixed(1)} s instead of ${spec.fps} fps`);
      indices = centredIndices(tl, n);
      break;
    }
  }
  if (indices.length > tl.frameCount) notes.push(`${indices.length} frames asked of a ${tl.frameCount}-frame video: frames repeat`);
  return { spec, picks: indices.map((index, slot) => ({ slot, index, timestamp: timestampOf(tl, index) })), notes };
}

/** Frames Qwen2.5-VL takes in fps mode; padded when the video is too short for the minimum. */
export function qwenFpsFrameCount(tl: FrameTimeline, spec: QwenFpsSpec): { count: number; padded: boolean } {
  const total = tl.frameCount;
  const minFrames = ceilBy(spec.minFrames ?? QWEN_FPS_MIN_FRAMES, QWEN_FRAME_FACTOR);
  const maxFrames = floorBy(Math.min(spec.maxFrames ?? QWEN_FPS_MAX_FRAMES, total), QWEN_FRAME_FACTOR);
  const wanted = tl.duration * spec.fps;
  const count = floorBy(Math.min(Math.min(Math.max(wanted, minFrames), maxFrames), total), QWEN_FRAME_FACTOR);
  // qwen-vl-utils raises for videos under 2 frames; we pad by repeating the last frame instead.
  if (count < QWEN_FRAME_FACTOR) return { count: QWEN_FRAME_FACTOR, padded: true };
  return { count, padded: false };
}

/** Frame index at the centre of each of `n` equal time bins over the video. */
function centredIndices(tl: FrameTimeline, n: number): number[] {
  return Array.from({ length: n }, (_, k) => indexAtTime(tl, tl.startTime + (tl.duration * (k + 0.5)) / n));
}

/**
 * round(linspace(0, total-1, n)) as torch computes it: float32, stepping from
 * the start for the first half and back from the end for the second half,
 * then round-half-to-even. Matching torch matters at ties (x.5).
 */
export function linspaceIndices(total: number, n: number): number[] {
  const end = total - 1;
  if (n === 1) return [0];
  const f = Math.fround;
  const step = f(end / (n - 1));
  const half = Math.floor(n / 2);
  return Array.from({ length: n }, (_, i) => {
    const value = i < half ? f(f(i * step)) : f(end - f((n - 1 - i) * step));
    return Math.min(Math.max(roundHalfEven(value), 0), end);
  });
}

/** Rounds half to even, as Python's round() and torch.round() do. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const ceilBy = (x: number, f: number) => Math.ceil(x / f) * f;
const floorBy = (x: number, f: number) => Math.floor(x / f) * f;

function validateSpec(spec: SamplingSpec): void {
  const positiveInt = (field: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${spec.mode}: ${field} must be a positive integer, got ${v}`);
  };
  const positive = (field: string, v: number) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${spec.mode}: ${field} must be a positive number, got ${v}`);
  };
  switch (spec.mode) {
    case 'uniform':
    case 'qwen-nframes':
      return positiveInt('n', spec.n);
    case 'qwen-fps':
      positive('fps', spec.fps);
      if (spec.minFrames !== undefined) positiveInt('minFrames', spec.minFrames);
      if (spec.maxFrames !== undefined) positiveInt('maxFrames', spec.maxFrames);
      return;
    case 'dense':
      return positiveInt('maxFrames', spec.maxFrames);
    case 'sparse':
      if (spec.maxFrames !== undefined) positiveInt('maxFrames', spec.maxFrames);
      return positive('fps', spec.fps);
    default:
      throw new TypeError(`unknown sampling mode: ${(spec as { mode: unknown }).mode}`);
  }
}

/** A short human label for a spec, e.g. "Qwen fps 2". */
export function describeSpec(spec: SamplingSpec): string {
  switch (spec.mode) {
    case 'uniform': return `uniform ${spec.n}`;
    case 'qwen-nframes': return `Qwen nframes ${spec.n}`;
    case 'qwen-fps': return `Qwen fps ${spec.fps}`;
    case 'dense': return `dense (max ${spec.maxFrames})`;
    case 'sparse': return `sparse ${spec.fps} fps`;
  }
}

/**
 * round(linspace(0, total-1, n)) as qwen-vl-utils picks frames, padded to `padTo` by repeating the last
 * one as qwen-vl-utils pads a frame list, each with its timestamp.
 */
export function linspacePicks(tl: FrameTimeline, n: number, padTo = n): FramePick[] {
  const indices = linspaceIndices(tl.frameCount, n);
  while (indices.length < padTo) indices.push(indices[indices.length - 1]);
  return indices.map((index, slot) => ({ slot, index, timestamp: timestampOf(tl, index) }));
}
