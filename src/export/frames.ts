import type { PreferencePair, SamplingRef } from '../pairs/pair';

/** Qwen2.5-VL's bounds in fps mode. */
const MIN_FRAMES = 4;
const MAX_FRAMES = 768;

export interface FrameCountOptions {
  /**
   * Round up to an even count by repeating the last frame, as qwen-vl-utils does for video input.
   * Only frames read as one video need it (nested frame lists); an image list would just get a duplicate picture.
   */
  even?: boolean;
}

/**
 * How many training frames a pair exports: its `sampling.train`, within Qwen's bounds. Which source frames
 * they show is media's `linspacePicks(timeline, trainFrameCount(pair), trainFrameCount(pair, { even }))`,
 * for the app's zip and `npm run convert` alike, so both name the same pictures.
 */
export function trainFrameCount(pair: PreferencePair, { even = false }: FrameCountOptions = {}): number {
  const s: SamplingRef = pair.sampling.train;
  // A pair of unknown duration counts as 16 s in fps mode (32 frames at 2 fps, the paper's training length).
  let n = s.mode === 'nframes' ? Math.round(s.value) : Math.round((pair.video.duration_s ?? 16) * s.value);
  n = Math.min(MAX_FRAMES, Math.max(MIN_FRAMES, n));
  return even && n % 2 ? n + 1 : n;
}

/** A file-system-safe folder name for a pair id. */
export const safeId = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || 'pair';

/** `frames/<id>`: the folder of a pair's training frames (relative to the dataset root). */
export const trainFrameFolder = (pair: PreferencePair) => `frames/${safeId(pair.id)}`;

/** `frames/<id>/000.jpg`, ... for the training frames of a pair (relative to the dataset root). Zero-padded, so a sorted listing is the frame order. */
export function trainFramePaths(pair: PreferencePair, options: FrameCountOptions = {}): string[] {
  return Array.from({ length: trainFrameCount(pair, options) }, (_, i) => `${trainFrameFolder(pair)}/${String(i).padStart(3, '0')}.jpg`);
}
