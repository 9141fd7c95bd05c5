import type { FramePlan, SamplingSpec } from '../media/samplers';
import type { FrameTimeline } from '../media/timeline';

/** The three failure modes VideoPASTA targets, each a category of pairs. */
export type Category = 'spatial' | 'temporal' | 'cross-frame';
export const CATEGORIES: readonly Category[] = ['spatial', 'temporal', 'cross-frame'];

export type ParamValue = number | string;

/**
 * Everything needed to rebuild an adversarial view: serializable, and the
 * same spec gives the same view in every browser and in Node.
 */
export interface AdversarySpec {
  category: Category;
  /** A recipe id from RECIPES, e.g. `paper.temporal` or `visual.temporal.reverse`. */
  recipe: string;
  /** Recipe parameters; missing ones take the recipe's defaults. */
  params: Readonly<Record<string, ParamValue>>;
  seed: number;
}

/** A video the adversary can take frames from. */
export interface VideoSource {
  /** Library id (or any stable key): what the view's frames name, never stored in a spec. */
  id: string;
  /** The video's path relative to the dataset root (or its file name), as pair records name it: what a spec stores. */
  path?: string;
  timeline: FrameTimeline;
}

export interface AdversaryInput {
  video: VideoSource;
  /** The sampling plan the visual recipes transform (the inspector's current plan, 32 uniform frames by default). */
  plan: FramePlan;
  /** Other videos, keyed by id, for the recipes that splice or swap in frames; specs find them by path (`findVideo`). */
  library?: ReadonlyMap<string, VideoSource>;
  /** Values for the query templates' entity slots; unfilled slots keep their default words. */
  slots?: Readonly<Record<string, string>>;
}

/** A normalized rectangle: x, y, width, height as fractions of the frame. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Pixel operations, applied in order to a frame (`pixelOps.ts`). */
export type PixelOp =
  /** Left and right exchange. */
  | { op: 'flipH' }
  /** The frame cut into rows × cols cells; output cell i shows input cell perm[i]. */
  | { op: 'permuteCells'; rows: number; cols: number; perm: readonly number[] }
  /** Two equal-size regions exchange their contents. */
  | { op: 'swapRegions'; a: Rect; b: Rect };

/** One frame of a view: which source frame goes in which slot, and what is done to its pixels. */
export interface ViewFrame {
  slot: number;
  /** Id of the video the frame is taken from (the input video, or another for splices). */
  video: string;
  index: number;
  timestamp: number;
  /** Slot of the preferred view showing the same source frame, or null when it has none (new or foreign frames). */
  from: number | null;
  ops: readonly PixelOp[];
}

export type RewriteKind =
  | 'direction flip' | 'fabricated relation' | 'occlusion denial' | 'depth collapse'
  | 'simultaneity' | 'forced reorder' | 'false flashback or cause' | 'skipped transition'
  | 'reversed progression' | 'false constancy' | 'false confinement' | 'identity split';

export interface QueryRewrite {
  kind: RewriteKind;
  text: string;
}

export interface AdversarialQuery {
  /** Template id, e.g. `spatial.relative-position`. */
  template: string;
  aligned: string;
  /** Three false-premise rewrites, each of a named kind. */
  rewrites: readonly QueryRewrite[];
  /** The slot values used (defaults merged with the user's). */
  slots: Readonly<Record<string, string>>;
}

/** What applying a spec yields. */
export interface AdversarialView {
  spec: AdversarySpec;
  preferred: { sampling: SamplingSpec | 'given plan'; frames: readonly ViewFrame[] };
  adversarial: { sampling: SamplingSpec | 'given plan'; frames: readonly ViewFrame[] };
  query: AdversarialQuery;
  /** Things a researcher should know (sampler notes, clamping, repeated frames). */
  notes: readonly string[];
}
