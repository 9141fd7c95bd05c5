import { indexAtTime, timestampOf } from '../../media/timeline';
import { AdversarySpecError, MissingVideoError } from '../errors';
import { type Recipe, type RecipeContext, framesOf, requireFrames } from '../recipe';
import type { VideoSource, ViewFrame } from '../types';
import { specNameOf, videosNamed } from '../videoName';

const given = 'given plan' as const;
const lengthParam = (fallback: number) => ({ kind: 'number' as const, min: 0.1, max: 0.5, default: fallback, label: 'share of the frames replaced' });
const startParam = { kind: 'number' as const, min: 0, max: 1, default: null, label: 'where the segment starts, as a share of the free range (empty: from the seed)' };

function otherVideo(ctx: RecipeContext): VideoSource {
  const name = ctx.params.other as string;
  const shown = ctx.input.video;
  if (name === shown.id || (shown.path !== undefined && name === shown.path)) {
    throw new AdversarySpecError(`"other" must be a different video from the one shown (${name})`, 'params.other');
  }
  const found = videosNamed(ctx.input.library, name);
  if (found.length > 1) {
    throw new MissingVideoError(`"${name}" named by "other" matches ${found.length} videos (${found.map(specNameOf).join(', ')}): name it by its path`, 'params.other');
  }
  const other = found[0];
  if (!other) throw new MissingVideoError(`video "${name}" named by "other" is not in the library: add it (the spec names videos by their path or file name)`, 'params.other');
  if (other.id === shown.id) throw new AdversarySpecError(`"other" must be a different video from the one shown (${name})`, 'params.other');
  return other;
}

/** Slots [start, start + length) of an n-frame strip, `length` a share of n, placed by `start` or the seed. */
function segment(ctx: RecipeContext, n: number, minStart = 0) {
  const length = Math.max(1, Math.round((ctx.params.length as number) * n));
  const free = n - length - minStart;
  const at = ctx.params.start === null || ctx.params.start === undefined ? ctx.random.next() : (ctx.params.start as number);
  return { start: minStart + Math.round(at * free), length };
}

/** The frame of `other` at the same share of its duration as `f` has of the shown video's. */
function sameMoment(ctx: RecipeContext, other: VideoSource, f: ViewFrame): ViewFrame {
  const tl = ctx.input.video.timeline;
  const share = (f.timestamp - tl.startTime) / Math.max(tl.duration, 1e-9);
  const ot = other.timeline;
  const index = indexAtTime(ot, ot.startTime + share * ot.duration);
  return { ...f, video: other.id, index, timestamp: timestampOf(ot, index), from: null };
}

function replaced(ctx: RecipeContext, start: number, length: number, replace: (f: ViewFrame, preferred: ViewFrame[]) => ViewFrame, note: string) {
  const preferred = framesOf(ctx.input.plan, ctx.input.video.id);
  const adversarial = preferred.map((f) => (f.slot >= start && f.slot < start + length ? replace(f, preferred) : f));
  return { preferred: { sampling: given, frames: preferred }, adversarial: { sampling: given, frames: adversarial }, notes: [note] };
}

/** Our extension: continuity across scenes broken by cutting, freezing or swapping in other footage. */
export const CROSS_FRAME_RECIPES: readonly Recipe[] = [
  {
    id: 'visual.cross-frame.splice',
    category: 'cross-frame',
    kind: 'visual',
    label: 'Splice another video',
    breaks: 'continuity of objects, people and setting across the cut',
    why: 'A segment comes from a different video, so what persists before and after the cut is interrupted by unrelated content.',
    params: { other: { kind: 'video', label: 'the video to splice in' }, length: lengthParam(0.25), start: startParam },
    apply(ctx) {
      const other = otherVideo(ctx);
      const n = requireFrames(ctx, 2, 'a splice');
      const { start, length } = segment(ctx, n);
      return replaced(ctx, start, length, (f) => sameMoment(ctx, other, f), `slots ${start}-${start + length - 1} from ${specNameOf(other)}`);
    },
  },
  {
    id: 'visual.cross-frame.drop-freeze',
    category: 'cross-frame',
    kind: 'visual',
    label: 'Drop a segment and freeze',
    breaks: 'progression: what changes between scenes',
    why: 'A stretch of the video is replaced by the frame just before it, so changes in that stretch never happen and the scene looks constant.',
    params: { length: lengthParam(0.25), start: startParam },
    apply(ctx) {
      const n = requireFrames(ctx, 3, 'dropping a segment');
      const { start, length } = segment(ctx, n, 1);
      return replaced(ctx, start, length, (f, preferred) => ({ ...preferred[start - 1], slot: f.slot }), `slots ${start}-${start + length - 1} frozen on slot ${start - 1}`);
    },
  },
  {
    id: 'visual.cross-frame.identity-swap',
    category: 'cross-frame',
    kind: 'visual',
    label: 'Swap the middle with another video',
    breaks: 'identity: the same person or object throughout',
    why: "The middle of the video, where identities carry across, comes from another video's middle, so the start and end are linked by someone or something else.",
    params: { other: { kind: 'video', label: 'the video whose middle is swapped in' }, length: lengthParam(0.34) },
    apply(ctx) {
      const other = otherVideo(ctx);
      const n = requireFrames(ctx, 3, 'swapping the middle');
      const length = Math.max(1, Math.round((ctx.params.length as number) * n));
      const start = Math.floor((n - length) / 2);
      return replaced(ctx, start, length, (f) => sameMoment(ctx, other, f), `middle slots ${start}-${start + length - 1} from ${specNameOf(other)}`);
    },
  },
];
