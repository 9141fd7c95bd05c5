import type { PreferencePair, SamplingRef } from '../pairs/pair';

/** Qwen2.5-VL's bounds in fps mode; frame counts are kept even (padded by repeating the last frame). */
const MIN_FRAMES = 4;
const MAX_FRAMES = 768;

/** How many training frames a pair exports: its `sampling.train`, even, within Qwen's bounds. */
export function trainFrameCount(pair: PreferencePair): number {
  const s: SamplingRef = pair.sampling.train;
  // A pair of unknown duration counts as 16 s in fps mode (32 frames at 2 fps, the paper's training length).
  let n = s.mode === 'nframes' ? Math.round(s.value) : Math.round((pair.video.duration_s ?? 16) * s.value);
  n = Math.min(MAX_FRAMES, Math.max(MIN_FRAMES, n));
  return n % 2 ? n + 1 : n;
}

/** A file-system-safe folder name for a pair id. */
export const safeId = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120) || 'pair';

/** `frames/<id>/000.jpg`, ... for the training frames of a pair (relative to the dataset root). */
export function trainFramePaths(pair: PreferencePair): string[] {
  return Array.from({ length: trainFrameCount(pair) }, (_, i) => `frames/${safeId(pair.id)}/${String(i).padStart(3, '0')}.jpg`);
}
