import type { RgbaFrame } from '../core/frame';
import { applyPixelOps } from '../adversary/pixelOps';
import type { SynthCategory } from '../synth';

/** The view of a video that breaks each category's skill (the benchmark's adversarial views). */
export type BreakingView = 'mirrored' | 'reversed' | 'frozen';

/**
 * Which view breaks which category: left and right exchange under a mirror;
 * order and direction invert when time runs backwards; one frame held for the
 * whole video leaves nothing to compare across frames. The general control
 * is measured under reversal, which should leave colours and shapes alone.
 */
export const BREAKING_VIEW: Record<SynthCategory, BreakingView> = {
  spatial: 'mirrored',
  temporal: 'reversed',
  cross_frame: 'frozen',
  general: 'reversed',
};

/** The frames of a view of `frames`. */
export function breakingView(view: BreakingView, frames: readonly RgbaFrame[]): RgbaFrame[] {
  if (view === 'mirrored') return frames.map((f) => applyPixelOps(f, [{ op: 'flipH' }]));
  if (view === 'reversed') return [...frames].reverse();
  const held = frames[Math.floor((frames.length - 1) / 2)];
  return frames.map(() => held);
}
