import { describe, expect, it } from 'vitest';
import { planFrames } from '../media/samplers';
import { timelineFromRate } from '../media/timeline';
import type { RgbaFrame } from '../core/frame';
import {
  type AdversarySpec,
  type AdversaryInput,
  AdversarySpecError,
  CATEGORIES,
  MissingVideoError,
  ParamOutOfRangeError,
  RECIPES,
  REWRITE_KINDS,
  UnknownRecipeError,
  applyAdversary,
  applyPixelOps,
  parseAdversarySpec,
  templatesOf,
} from '.';

const tl = timelineFromRate(0, 10, 30); // 10 s at 30 fps, 300 frames
const other = { id: 'other', timeline: timelineFromRate(0, 20, 25) };
const input = (n = 32): AdversaryInput => ({
  video: { id: 'v', timeline: tl },
  plan: planFrames(tl, { mode: 'uniform', n }),
  library: new Map([['other', other]]),
});
const paramsFor = (id: string): AdversarySpec['params'] => (RECIPES.get(id)!.params.other ? { other: 'other' } : {});
const spec = (id: string, seed: number, params: AdversarySpec['params'] = paramsFor(id)): AdversarySpec => ({ category: RECIPES.get(id)!.category, recipe: id, params, seed });

describe('every recipe', () => {
  for (const id of RECIPES.keys()) {
    it(`${id}: deterministic per seed, valid frame plans, labelled and documented`, () => {
      const recipe = RECIPES.get(id)!;
      expect(recipe.breaks.length).toBeGreaterThan(10);
      expect(recipe.why.length).toBeGreaterThan(20);
      expect(recipe.kind).toBe(id.startsWith('paper.') ? 'paper' : 'visual');
      for (const seed of [0, 1, 2, 99]) {
        const a = applyAdversary(spec(id, seed), input());
        const b = applyAdversary(spec(id, seed), input());
        expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(b)));
        for (const view of [a.preferred, a.adversarial]) {
          expect(view.frames.length).toBeGreaterThan(0);
          view.frames.forEach((f, i) => {
            expect(f.slot).toBe(i);
            const t = f.video === 'other' ? other.timeline : tl;
            expect(Number.isInteger(f.index) && f.index >= 0 && f.index < t.frameCount).toBe(true);
            if (f.from !== null) expect(a.preferred.frames[f.from].index).toBe(f.index);
          });
        }
        // The preferred view keeps time order.
        const ts = a.preferred.frames.map((f) => f.timestamp);
        expect(ts).toEqual([...ts].sort((x, y) => x - y));
        expect(a.query.rewrites).toHaveLength(3);
        for (const r of a.query.rewrites) expect(REWRITE_KINDS[recipe.category]).toContain(r.kind);
        expect(new Set(a.query.rewrites.map((r) => r.kind)).size).toBe(3);
        expect(a.query.aligned).not.toMatch(/\{/);
      }
      // The seed reaches the view (the frame order or pixels where the recipe uses it, the query otherwise).
      const views = [0, 1, 2, 3, 4, 5].map((seed) => JSON.stringify(applyAdversary(spec(id, seed), input())));
      expect(new Set(views).size).toBeGreaterThan(1);
    });
  }

  it('recipes that keep order keep timestamps monotonic', () => {
    for (const id of ['paper.spatial', 'paper.temporal', 'paper.cross-frame', 'visual.spatial.mirror', 'visual.spatial.patch-shuffle', 'visual.spatial.region-swap', 'visual.cross-frame.drop-freeze']) {
      const ts = applyAdversary(spec(id, 3), input()).adversarial.frames.map((f) => f.timestamp);
      for (let i = 1; i < ts.length; i++) expect(ts[i], id).toBeGreaterThanOrEqual(ts[i - 1]);
    }
  });
});

describe('frame-order recipes', () => {
  it('reverse twice is the identity', () => {
    const once = applyAdversary(spec('visual.temporal.reverse', 0), input()).adversarial.frames;
    expect(once[0].index).toBe(input().plan.picks.at(-1)!.index);
    const twice = once.map((_, i) => once[once[i].from!].from);
    expect(twice).toEqual(once.map((_, i) => i));
  });

  it('a shuffle is a permutation that moves at least the requested share of frames', () => {
    for (const fraction of [0.1, 0.25, 0.5, 1]) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const frames = applyAdversary(spec('visual.temporal.shuffle', seed, { fraction }), input()).adversarial.frames;
        const from = frames.map((f) => f.from!);
        expect([...from].sort((a, b) => a - b)).toEqual(from.map((_, i) => i));
        const moved = from.filter((f, i) => f !== i).length;
        expect(moved / from.length).toBeGreaterThanOrEqual(fraction);
      }
    }
  });

  it('a local shuffle moves frames only within their window, and moves every window of two or more', () => {
    const frames = applyAdversary(spec('visual.temporal.local-shuffle', 7, { size: 5 }), input(32)).adversarial.frames;
    frames.forEach((f, i) => {
      expect(Math.floor(f.from! / 5)).toBe(Math.floor(i / 5));
      if (i < 30) expect(f.from).not.toBe(i); // the last window has 2 frames (30, 31): also deranged
    });
  });

  it('a segment swap exchanges two whole segments', () => {
    const v = applyAdversary(spec('visual.temporal.segment-swap', 2, { segments: 4 }), input(32));
    const from = v.adversarial.frames.map((f) => f.from!);
    expect([...from].sort((a, b) => a - b)).toEqual(from.map((_, i) => i));
    const changed = from.filter((f, i) => f !== i).length;
    expect(changed).toBe(16);
    expect(v.notes[0]).toMatch(/segments \d and \d of 4 swapped/);
  });
});

describe('sparse and paper views', () => {
  it('the sparse view at 1 fps has one frame per second of video', () => {
    for (const [duration, fps] of [[10, 30], [7.5, 24], [61, 29.97]] as const) {
      const t = timelineFromRate(0, duration, fps);
      const view = applyAdversary({ category: 'temporal', recipe: 'paper.temporal', params: {}, seed: 0 }, { video: { id: 'v', timeline: t }, plan: planFrames(t, { mode: 'uniform', n: 32 }) });
      expect(view.adversarial.frames).toHaveLength(Math.ceil(duration));
      expect(view.adversarial.sampling).toEqual({ mode: 'sparse', fps: 1 });
    }
  });

  it('each category has its preferred sampling: dense, native rate within a budget, 32 uniform', () => {
    const v = (c: 'spatial' | 'temporal' | 'cross-frame') => applyAdversary({ category: c, recipe: `paper.${c}`, params: {}, seed: 0 }, input());
    expect(v('spatial').preferred.sampling).toEqual({ mode: 'dense', maxFrames: 64 });
    expect(v('spatial').preferred.frames).toHaveLength(64);
    expect(v('temporal').preferred.sampling).toEqual({ mode: 'qwen-fps', fps: 30, maxFrames: 64 });
    expect(v('cross-frame').preferred.frames).toHaveLength(32);
  });

  it('queries: one template per aspect, slots filled from the user, the opposite side for a direction flip', () => {
    for (const c of CATEGORIES) expect(templatesOf(c).length).toBeGreaterThanOrEqual(3);
    const view = applyAdversary({ category: 'spatial', recipe: 'paper.spatial', params: { template: 'spatial.relative-position' }, seed: 0 }, { ...input(), slots: { a: 'dog', b: 'bench', side: 'left' } });
    expect(view.query.aligned).toBe('Where is the dog relative to the bench?');
    const flip = view.query.rewrites.find((r) => r.kind === 'direction flip')!;
    expect(flip.text).toBe('Why does the dog stay to the right of the bench?');
  });
});

describe('pixel operations', () => {
  const frame = (w: number, h: number): RgbaFrame => {
    const data = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 2) * 11) % 256;
    return { width: w, height: h, data };
  };

  it('mirror twice is the identity, and mirror flips each row', () => {
    const f = frame(7, 5);
    const once = applyPixelOps(f, [{ op: 'flipH' }]);
    expect(Array.from(once.data.slice(0, 4))).toEqual(Array.from(f.data.slice(6 * 4, 7 * 4)));
    expect(applyPixelOps(once, [{ op: 'flipH' }]).data).toEqual(f.data);
    expect(applyPixelOps(f, [{ op: 'flipH' }, { op: 'flipH' }]).data).toEqual(f.data);
    expect(once.data).not.toEqual(f.data);
  });

  it('a cell permutation followed by its inverse is the identity; odd sizes keep their remainder strip', () => {
    const f = frame(11, 9);
    const perm = [2, 0, 3, 1];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    const there = applyPixelOps(f, [{ op: 'permuteCells', rows: 2, cols: 2, perm }]);
    expect(there.data).not.toEqual(f.data);
    expect(applyPixelOps(there, [{ op: 'permuteCells', rows: 2, cols: 2, perm: inverse }]).data).toEqual(f.data);
  });

  it('swapping two regions twice is the identity; the input frame is never changed', () => {
    const f = frame(20, 10);
    const copy = new Uint8ClampedArray(f.data);
    const op = { op: 'swapRegions' as const, a: { x: 0, y: 0, w: 0.3, h: 0.3 }, b: { x: 0.6, y: 0.5, w: 0.3, h: 0.3 } };
    const once = applyPixelOps(f, [op]);
    expect(once.data).not.toEqual(f.data);
    expect(applyPixelOps(once, [op]).data).toEqual(f.data);
    expect(f.data).toEqual(copy);
  });
});

describe('bad specs fail with a named error and the field at fault', () => {
  const errorOf = (s: AdversarySpec, i = input()) => {
    try {
      applyAdversary(s, i);
    } catch (e) {
      return e as AdversarySpecError;
    }
    throw new Error('no error');
  };

  it('an unknown recipe', () => {
    const e = errorOf({ category: 'temporal', recipe: 'visual.temporal.wobble', params: {}, seed: 0 });
    expect(e).toBeInstanceOf(UnknownRecipeError);
    expect(e.field).toBe('recipe');
    expect(e.message).toMatch(/unknown recipe "visual.temporal.wobble"; temporal recipes are paper.temporal, visual.temporal.shuffle/);
  });

  it('params out of range, of the wrong type, or unknown', () => {
    const e = errorOf(spec('visual.temporal.shuffle', 0, { fraction: 1.5 }));
    expect(e).toBeInstanceOf(ParamOutOfRangeError);
    expect(e.field).toBe('params.fraction');
    expect(e.message).toMatch(/fraction = 1.5 is out of range: .* in \[0.1, 1\]/);
    expect(errorOf(spec('visual.spatial.patch-shuffle', 0, { grid: 2.5 }))).toBeInstanceOf(ParamOutOfRangeError);
    expect(errorOf(spec('visual.spatial.patch-shuffle', 0, { grid: '3' }))).toBeInstanceOf(ParamOutOfRangeError);
    expect(errorOf(spec('visual.temporal.reverse', 0, { speed: 2 })).message).toMatch(/has no parameter "speed"/);
    expect(errorOf(spec('visual.temporal.segment-swap', 0, { segments: 8 }), input(4)).message).toMatch(/needs at least 8 frames in the plan, it has 4/);
  });

  it('a spliced video that is missing, or the same video', () => {
    const e = errorOf(spec('visual.cross-frame.splice', 0, { other: 'gone' }));
    expect(e).toBeInstanceOf(MissingVideoError);
    expect(e.message).toMatch(/^video "gone" named by "other" is not in the library/);
    expect(errorOf(spec('visual.cross-frame.splice', 0, {})).message).toMatch(/needs "other"/);
    expect(errorOf(spec('visual.cross-frame.identity-swap', 0, { other: 'v' })).message).toMatch(/must be a different video/);
  });

  it('specs name the other video by path or file name, as pair records do, so they resolve in another library', () => {
    // The same file under another library id (another browser) and in a folder.
    const elsewhere = { id: 'v-1a2b3c', path: 'clips/long.mp4', timeline: other.timeline };
    const shown = { id: 'v-9', path: 'avc.mp4', timeline: tl };
    const there: AdversaryInput = { video: shown, plan: planFrames(tl, { mode: 'uniform', n: 32 }), library: new Map([[elsewhere.id, elsewhere]]) };
    for (const name of ['clips/long.mp4', 'long.mp4', 'dataset/clips/long.mp4']) {
      const view = applyAdversary(spec('visual.cross-frame.splice', 0, { other: name }), there);
      expect(view.adversarial.frames.filter((f) => f.video === 'v-1a2b3c').length, name).toBe(8);
      expect(view.notes.join(' ')).toContain('from clips/long.mp4');
    }
    // A file name two videos share is named as ambiguous; the path picks one.
    const twin = { id: 'v-2', path: 'other/long.mp4', timeline: other.timeline };
    const both: AdversaryInput = { ...there, library: new Map([[elsewhere.id, elsewhere], [twin.id, twin]]) };
    expect(errorOf(spec('visual.cross-frame.splice', 0, { other: 'long.mp4' }), both).message).toMatch(/matches 2 videos \(clips\/long.mp4, other\/long.mp4\): name it by its path/);
    expect(applyAdversary(spec('visual.cross-frame.splice', 0, { other: 'other/long.mp4' }), both).adversarial.frames.some((f) => f.video === 'v-2')).toBe(true);
    // The shown video itself, by path, is refused.
    expect(errorOf(spec('visual.cross-frame.splice', 0, { other: 'avc.mp4' }), { ...there, library: new Map([[shown.id, shown]]) }).message).toMatch(/must be a different video/);
    const missing = errorOf(spec('visual.cross-frame.splice', 0, { other: 'bottles.mp4' }), there);
    expect(missing).toBeInstanceOf(MissingVideoError);
    expect(missing.message).toMatch(/video "bottles.mp4" named by "other" is not in the library: add it/);
  });

  it('spec JSON with a bad shape or category', () => {
    expect(() => parseAdversarySpec('{nope')).toThrow(/the spec is not JSON/);
    expect(() => parseAdversarySpec('{"category":"spatial","recipe":"paper.spatial"}')).toThrow(/needs "category", "recipe", "params"/);
    expect(() => parseAdversarySpec('{"category":"colour","recipe":"x","params":{},"seed":0}')).toThrow(/unknown category "colour"/);
    expect(parseAdversarySpec('{"category":"spatial","recipe":"paper.spatial","params":{},"seed":3}').seed).toBe(3);
  });

  it('a category that does not match the recipe, a bad seed, an unknown template', () => {
    expect(errorOf({ category: 'spatial', recipe: 'visual.temporal.reverse', params: {}, seed: 0 }).message).toMatch(/is a temporal recipe, not spatial/);
    expect(errorOf({ category: 'spatial', recipe: 'paper.spatial', params: {}, seed: 0.5 }).field).toBe('seed');
    expect(errorOf({ category: 'spatial', recipe: 'paper.spatial', params: { template: 'temporal.order' }, seed: 0 }).field).toBe('params.template');
  });
});
