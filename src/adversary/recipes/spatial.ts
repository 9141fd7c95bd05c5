import { type Recipe, type RecipeContext, derange, framesOf } from '../recipe';
import type { PixelOp, ViewFrame } from '../types';

const given = 'given plan' as const;

/** The plan's frames, in order, each with the same pixel operations. */
function withOps(ctx: RecipeContext, ops: PixelOp[], notes: string[] = []) {
  const preferred = framesOf(ctx.input.plan, ctx.input.video.id);
  const adversarial: ViewFrame[] = preferred.map((f) => ({ ...f, ops }));
  return { preferred: { sampling: given, frames: preferred }, adversarial: { sampling: given, frames: adversarial }, notes };
}

/** Our extension: the same frames in the same order with their layout broken. */
export const SPATIAL_RECIPES: readonly Recipe[] = [
  {
    id: 'visual.spatial.mirror',
    category: 'spatial',
    kind: 'visual',
    label: 'Horizontal mirror',
    breaks: 'left and right',
    why: 'Everything on the left is now on the right, so "where is A relative to B" and left/right motion answers flip.',
    params: {},
    apply: (ctx) => withOps(ctx, [{ op: 'flipH' }]),
  },
  {
    id: 'visual.spatial.patch-shuffle',
    category: 'spatial',
    kind: 'visual',
    label: 'Patch shuffle',
    breaks: 'the layout of the scene: which region is next to which',
    why: 'Cells of the frame trade places (the same way in every frame), so objects keep their look but not their positions or neighbours.',
    params: { grid: { kind: 'int', min: 2, max: 8, default: 2, label: 'cells per side (2 = quadrants)' } },
    apply(ctx) {
      const g = ctx.params.grid as number;
      const cells = Array.from({ length: g * g }, (_, i) => i);
      const perm = derange(g * g, cells, ctx.random);
      return withOps(ctx, [{ op: 'permuteCells', rows: g, cols: g, perm }], [`${g}×${g} cells, permutation ${perm.join(' ')}`]);
    },
  },
  {
    id: 'visual.spatial.region-swap',
    category: 'spatial',
    kind: 'visual',
    label: 'Region swap',
    breaks: 'the positions of two regions (and what they contain)',
    why: 'Two areas exchange contents in every frame, so whatever was in one now appears where the other was: relative positions and occlusions change.',
    params: { size: { kind: 'number', min: 0.1, max: 0.5, default: 0.3, label: 'side of each region, as a share of the frame' } },
    apply(ctx) {
      const s = ctx.params.size as number;
      // One region in the left half, one in the right: they never overlap.
      const r = ctx.random;
      const a = { x: r.next() * (0.5 - s), y: r.next() * (1 - s), w: s, h: s };
      const b = { x: 0.5 + r.next() * (0.5 - s), y: r.next() * (1 - s), w: s, h: s };
      return withOps(ctx, [{ op: 'swapRegions', a, b }]);
    },
  },
];
