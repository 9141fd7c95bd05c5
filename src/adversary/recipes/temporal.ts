import { type Recipe, derange, framesOf, reorder, requireFrames } from '../recipe';

const given = 'given plan' as const;

/** Our extension: the frames of the plan in a broken order; pixels untouched. */
export const TEMPORAL_RECIPES: readonly Recipe[] = [
  {
    id: 'visual.temporal.shuffle',
    category: 'temporal',
    kind: 'visual',
    label: 'Global shuffle',
    breaks: 'the order of events over the whole video',
    why: 'Every moved frame puts an event before or after ones it really follows, so "what happens after X" has a different answer on the shuffled strip.',
    params: { fraction: { kind: 'number', min: 0.1, max: 1, default: 1, label: 'share of frames that must move' } },
    apply(ctx) {
      const n = requireFrames(ctx, 2, 'a shuffle');
      const k = Math.max(2, Math.ceil((ctx.params.fraction as number) * n));
      const moved = ctx.random.shuffled(Array.from({ length: n }, (_, i) => i)).slice(0, k);
      const preferred = framesOf(ctx.input.plan, ctx.input.video.id);
      return { preferred: { sampling: given, frames: preferred }, adversarial: { sampling: given, frames: reorder(preferred, derange(n, moved, ctx.random)) }, notes: [`${k} of ${n} frames moved`] };
    },
  },
  {
    id: 'visual.temporal.local-shuffle',
    category: 'temporal',
    kind: 'visual',
    label: 'Local shuffle',
    breaks: 'the order of events within short stretches, keeping the overall story',
    why: 'Fine-grained transitions (reach, grasp, lift) come out of order while the coarse storyline stays, which tests transition reasoning rather than gross order.',
    params: { size: { kind: 'int', min: 2, max: 16, default: 4, label: 'frames per shuffled group' } },
    apply(ctx) {
      const n = requireFrames(ctx, 2, 'a local shuffle');
      const w = ctx.params.size as number;
      const order = Array.from({ length: n }, (_, i) => i);
      for (let start = 0; start < n; start += w) {
        const slots = order.slice(start, Math.min(n, start + w));
        const local = derange(n, slots, ctx.random);
        for (const s of slots) order[s] = local[s];
      }
      const preferred = framesOf(ctx.input.plan, ctx.input.video.id);
      return { preferred: { sampling: given, frames: preferred }, adversarial: { sampling: given, frames: reorder(preferred, order) }, notes: [`groups of ${w} frames`] };
    },
  },
  {
    id: 'visual.temporal.reverse',
    category: 'temporal',
    kind: 'visual',
    label: 'Reverse',
    breaks: 'the direction of time',
    why: 'Played backwards, arrivals become departures and causes follow their effects, so the original order and causal answers become wrong.',
    params: {},
    apply(ctx) {
      const n = requireFrames(ctx, 2, 'reversing');
      const preferred = framesOf(ctx.input.plan, ctx.input.video.id);
      return { preferred: { sampling: given, frames: preferred }, adversarial: { sampling: given, frames: reorder(preferred, Array.from({ length: n }, (_, i) => n - 1 - i)) }, notes: [] };
    },
  },
  {
    id: 'visual.temporal.segment-swap',
    category: 'temporal',
    kind: 'visual',
    label: 'Segment swap',
    breaks: 'the order of two whole segments (scenes) of the video',
    why: 'Two chunks of the story trade places, so the transition between them and the before/after answers across them change.',
    params: { segments: { kind: 'int', min: 2, max: 8, default: 4, label: 'segments the strip is cut into' } },
    apply(ctx) {
      const k = ctx.params.segments as number;
      const n = requireFrames(ctx, k, `cutting into ${k} segments`);
      const bounds = Array.from({ length: k + 1 }, (_, j) => Math.round((j * n) / k));
      const segs = Array.from({ length: k }, (_, j) => Array.from({ length: bounds[j + 1] - bounds[j] }, (_, i) => bounds[j] + i));
      const [a, b] = ctx.random.shuffled(segs.map((_, j) => j)).slice(0, 2).sort((x, y) => x - y);
      [segs[a], segs[b]] = [segs[b], segs[a]];
      const preferred = framesOf(ctx.input.plan, ctx.input.video.id);
      return { preferred: { sampling: given, frames: preferred }, adversarial: { sampling: given, frames: reorder(preferred, segs.flat()) }, notes: [`segments ${a + 1} and ${b + 1} of ${k} swapped`] };
    },
  },
];
