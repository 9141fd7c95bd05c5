/**
 * The views of a synthetic video that r- candidates are answered on: the
 * benchmark's breaking views and the paper's sparse 1 fps view, each with
 * the adversary spec (when one of our recipes makes exactly that view) so a
 * pair records how its rejected side was seen.
 */
import type { AdversarySpec, Category } from '../adversary/types';
import type { RgbaFrame } from '../core/frame';
import { type BreakingView, breakingView } from '../eval';
import { planFrames } from '../media/samplers';
import { timelineFromRate } from '../media/timeline';

export type PairView = BreakingView | 'sparse';

/** The synthetic clip's clock: its TICKS frames are shown at 2 fps (the paper's preferred rate), so a clip lasts TICKS / 2 seconds. */
export const SYNTH_FPS = 2;

/** The paper's adversarial rate. */
export const SPARSE_FPS = 1;

/**
 * The paper's sparse view at the model's frame count: the clip sampled at
 * `fps` (planFrames' sparse mode), each sampled frame held until the next one
 * is due, so the model still gets one frame per tick but sees only what a
 * 1 fps sampler would.
 */
export function sparseView(frames: readonly RgbaFrame[], fps = SPARSE_FPS): RgbaFrame[] {
  const tl = timelineFromRate(0, frames.length / SYNTH_FPS, SYNTH_FPS);
  const picks = planFrames(tl, { mode: 'sparse', fps }).picks.map((p) => p.index);
  return frames.map((_, t) => frames[picks.reduce((best, i) => (Math.abs(i - t) < Math.abs(best - t) || (Math.abs(i - t) === Math.abs(best - t) && i < best) ? i : best), picks[0])]);
}

/** The frames of a view. */
export function viewFrames(view: PairView, frames: readonly RgbaFrame[]): RgbaFrame[] {
  return view === 'sparse' ? sparseView(frames) : breakingView(view, frames);
}

/** The adversary spec that rebuilds a view with our recipes, or null when none makes exactly it (the frozen view holds one frame for the whole clip). */
export function adversarySpecOf(view: PairView | 'none', category: Category, seed: number): AdversarySpec | null {
  if (view === 'mirrored') return { category, recipe: 'visual.spatial.mirror', params: {}, seed };
  if (view === 'reversed') return { category, recipe: 'visual.temporal.reverse', params: {}, seed };
  if (view === 'sparse') return { category, recipe: `paper.${category}`, params: { sparseFps: SPARSE_FPS }, seed };
  return null;
}
