import { type SamplingSpec, planFrames } from '../../media/samplers';
import { type Recipe, type RecipeContext, framesOf } from '../recipe';
import type { Category, ViewFrame } from '../types';

/**
 * VideoPASTA's adversary: the preferred view is sampled densely (spatial), at
 * the native rate within a budget (temporal) or as 32 uniform frames
 * (cross-frame); the adversarial view is the same video at 1 fps, asked the
 * false-premise rewrites. With so few frames the base model misses the
 * details, order or continuity the aligned query asks about.
 */
function paperRecipe(category: Category, preferredSpec: (ctx: RecipeContext) => SamplingSpec, breaks: string, why: string, budget: Recipe['params']): Recipe {
  return {
    id: `paper.${category}`,
    category,
    kind: 'paper',
    label: `Sparse 1 fps + false-premise query (${category})`,
    breaks,
    why,
    params: { ...budget, sparseFps: { kind: 'number', min: 0.1, max: 4, default: 1, label: 'frames per second of the sparse (adversarial) view' } },
    apply(ctx) {
      const { timeline } = ctx.input.video;
      const id = ctx.input.video.id;
      const preferredSampling = preferredSpec(ctx);
      const adversarialSampling: SamplingSpec = { mode: 'sparse', fps: ctx.params.sparseFps as number };
      const preferred = planFrames(timeline, preferredSampling);
      const adversarial = planFrames(timeline, adversarialSampling);
      const slotOf = new Map(preferred.picks.map((p) => [p.index, p.slot]));
      const frames: ViewFrame[] = adversarial.picks.map((p) => ({ slot: p.slot, video: id, index: p.index, timestamp: p.timestamp, from: slotOf.get(p.index) ?? null, ops: [] }));
      return {
        preferred: { sampling: preferredSampling, frames: framesOf(preferred, id) },
        adversarial: { sampling: adversarialSampling, frames },
        notes: [...preferred.notes.map((n) => `preferred: ${n}`), ...adversarial.notes.map((n) => `adversarial: ${n}`)],
      };
    },
  };
}

export const PAPER_RECIPES: readonly Recipe[] = [
  paperRecipe(
    'spatial',
    (ctx) => ({ mode: 'dense', maxFrames: ctx.params.budget as number }),
    'fine spatial detail: occlusion, depth and relative position seen across many frames',
    'At 1 fps the moments that show who is in front, behind or hidden are mostly missing, so answers to the misleading rewrite invent relations the dense view contradicts.',
    { budget: { kind: 'int', min: 4, max: 768, default: 64, label: 'most frames of the dense (preferred) view' } },
  ),
  paperRecipe(
    'temporal',
    (ctx) => ({ mode: 'qwen-fps', fps: ctx.input.video.timeline.fps, maxFrames: ctx.params.budget as number }),
    'event order, transitions and causality at the native frame rate',
    'Sampled at 1 fps, short events and transitions fall between frames, so an answer that reorders or merges events is not contradicted by what the model sees.',
    { budget: { kind: 'int', min: 4, max: 768, default: 64, label: 'most frames of the native-rate (preferred) view' } },
  ),
  paperRecipe(
    'cross-frame',
    (ctx) => ({ mode: 'uniform', n: ctx.params.frames as number }),
    'persistence of objects, people and settings across the whole video',
    'With one frame per second the links between scenes thin out, so claims that one identity is two, or that nothing changes, go unchecked.',
    { frames: { kind: 'int', min: 2, max: 256, default: 32, label: 'frames of the uniform (preferred) view' } },
  ),
];
