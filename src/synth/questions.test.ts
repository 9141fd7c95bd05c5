import { describe, expect, it } from 'vitest';

/** These tests sample thousands of examples; on a shared, loaded machine they need more than vitest's 5 s. */
const SLOW = 60_000;
import { SynthError } from './errors';
import { coverage, inFrontOf, visibleRuns, visibleTicks } from './facts';
import { DIRECTION_VECTOR, type Direction } from './motion';
import { MARGIN, TEMPLATES, VOCABULARY, balanceKey, questionsFor, questionsOf, sampleExample, type SynthQuestion } from './questions';
import { TICKS, generateScene, mirrorScene, nameOf, reverseScene, type Scene } from './scene';

const scenes = Array.from({ length: 300 }, (_, i) => generateScene('train', i));
const byName = (s: Scene, n: string) => s.objects.find((o) => nameOf(o) === n)!;
/** Instances of one template keyed by text (the text names the objects, so it identifies the instance). */
const keyed = (s: Scene, template: string) => new Map(questionsOf(s, template).map((q) => [q.text, q]));

/** Accuracy of the best guess of the answer from `feature` alone (majority answer per feature value). */
function predictability(rows: { feature: string; answer: string }[]): number {
  const table = new Map<string, Map<string, number>>();
  for (const { feature, answer } of rows) {
    const t = table.get(feature) ?? new Map<string, number>();
    t.set(answer, (t.get(answer) ?? 0) + 1);
    table.set(feature, t);
  }
  let hits = 0;
  for (const t of table.values()) hits += Math.max(...t.values());
  return hits / rows.length;
}

describe('question format', () => {
  it('every question has lowercase single-spaced text ending in " ?", 1-3 word options and the answer among them', () => {
    for (const s of scenes) for (const q of questionsFor(s)) {
      expect(q.text).toMatch(/^[a-z0-9]+( [a-z0-9]+)* \?$/);
      expect(q.options).toContain(q.answer);
      expect(new Set(q.options).size).toBe(q.options.length);
      expect(q.options.length).toBeGreaterThanOrEqual(2);
      for (const o of q.options) expect(o.split(' ').length).toBeLessThanOrEqual(3);
      expect(TEMPLATES.find((t) => t.id === q.template)?.category).toBe(q.category);
    }
  }, SLOW);

  it('has at least 3 templates per category, each appearing for some of 200 scenes', () => {
    for (const c of ['spatial', 'temporal', 'cross_frame', 'general']) expect(TEMPLATES.filter((t) => t.category === c).length).toBeGreaterThanOrEqual(3);
    const seen = new Set(scenes.slice(0, 200).flatMap((s) => questionsFor(s).map((q) => q.template)));
    expect([...seen].sort()).toEqual(TEMPLATES.map((t) => t.id).sort());
  }, SLOW);

  it('VOCABULARY is sorted and covers the words of 5,000 sampled examples', () => {
    expect([...VOCABULARY]).toEqual([...VOCABULARY].sort());
    const vocab = new Set(VOCABULARY);
    for (let i = 0; i < 5000; i++) {
      const { question } = sampleExample(i % 2 ? 'eval' : 'train', i, TEMPLATES[i % TEMPLATES.length].id);
      for (const w of [question.text, ...question.options].join(' ').split(' ')) expect(vocab.has(w), w).toBe(true);
    }
  }, SLOW);
});

describe('ground truth', () => {
  it('evidence agrees with the answer and the scene state', () => {
    for (const s of scenes) for (const q of questionsFor(s)) {
      const e = q.evidence as Record<string, any>;
      switch (q.template) {
        case 'spatial.left_right': case 'spatial.above_below': {
          const [a, b] = (e.ids as number[]).map((id) => s.objects[id]);
          for (const [i, t] of (e.ticks as number[]).entries()) {
            expect(a.track[t].visible && b.track[t].visible).toBe(true);
            const d = a.track[t][e.axis as 'x' | 'y'] - b.track[t][e.axis as 'x' | 'y'];
            expect(e.positions[i]).toEqual([a.track[t][e.axis as 'x' | 'y'], b.track[t][e.axis as 'x' | 'y']]);
            expect(Math.abs(d)).toBeGreaterThanOrEqual(MARGIN);
            expect(d < 0 ? q.options[0] : q.options[1]).toBe(q.answer);
          }
          expect(e.ticks).toEqual(e.moment === 'at the start' ? [0] : e.moment === 'at the end' ? [7] : [3, 4]);
          break;
        }
        case 'spatial.front': {
          const f = s.objects[e.frontId], b = s.objects[e.backId];
          expect(f.depth).toBeGreaterThan(b.depth);
          expect(nameOf(f)).toBe(q.answer);
          expect(coverage(b, [f], e.tick)).toBeGreaterThan(0.05);
          break;
        }
        case 'spatial.hidden': {
          const h = s.objects[e.hiddenId];
          expect(nameOf(h)).toBe(q.answer);
          expect(h.track[e.tick].visible).toBe(true);
          expect(coverage(h, inFrontOf(h, s.objects), e.tick)).toBe(1);
          for (const o of q.options.filter((n) => n !== q.answer).map((n) => byName(s, n)))
            for (let t = 0; t < TICKS; t++) if (o.track[t].visible) expect(coverage(o, inFrontOf(o, s.objects), t)).toBeLessThan(1);
          break;
        }
        case 'temporal.direction': case 'temporal.after_turn': {
          const o = s.objects[e.id];
          const [from, to] = q.template === 'temporal.direction' ? [e.from, e.to] : [e.tick, e.tick + 2];
          const v = DIRECTION_VECTOR[q.answer as Direction];
          const dx = o.track[to].x - o.track[from].x, dy = o.track[to].y - o.track[from].y;
          expect(dx * v.x + dy * v.y).toBeGreaterThan(2 * Math.abs(dx * v.y + dy * v.x));
          break;
        }
        case 'temporal.first': {
          const first = s.objects[e.firstId];
          const other = s.objects[(e.ids as number[]).find((id) => id !== e.firstId)!];
          expect(nameOf(first)).toBe(q.answer);
          expect(visibleTicks(first)[0]).toBeLessThan(visibleTicks(other)[0]);
          break;
        }
        case 'temporal.before_after': {
          const [x, y] = (e.ids as number[]).map((id) => s.objects[id]);
          expect(visibleRuns(x)).toHaveLength(1);
          expect(visibleRuns(y)).toHaveLength(1);
          expect(e.lastVisibleX).toBe(visibleTicks(x).at(-1));
          expect(e.firstVisibleY).toBe(visibleTicks(y)[0]);
          expect(q.answer).toBe(e.lastVisibleX < e.firstVisibleY ? 'before' : 'after');
          break;
        }
        case 'cross_frame.comes_back': {
          const runs = visibleRuns(s.objects[e.id]);
          expect(q.answer).toBe(runs.length > 1 ? 'yes' : 'no');
          if (q.answer === 'no') expect(runs[0][1]).toBeLessThanOrEqual(TICKS - 3);
          break;
        }
        case 'cross_frame.count':
          expect(q.answer).toBe(String(s.objects.filter((o) => o.track.some((p) => p.visible)).length));
          break;
        case 'cross_frame.same': {
          const a = s.objects[e.startId], b = s.objects[e.endId];
          expect(a.colour).toBe(e.colour);
          expect(b.colour).toBe(e.colour);
          expect(a.track[0].visible && b.track[TICKS - 1].visible).toBe(true);
          expect(q.answer).toBe(a === b ? 'same' : 'different');
          break;
        }
        case 'general.colour_present':
          expect(s.objects.some((o) => o.colour === q.answer)).toBe(true);
          expect(s.objects.some((o) => o.colour === q.options.find((c) => c !== q.answer))).toBe(false);
          break;
        case 'general.shape_present':
          expect(s.objects.some((o) => o.shape === q.answer && visibleTicks(o).length >= 4 && o.size !== 'small')).toBe(true);
          expect(s.objects.some((o) => o.shape === q.options.find((c) => c !== q.answer))).toBe(false);
          break;
        case 'general.shape_of': case 'general.colour_of': case 'general.object_present': {
          const o = s.objects[e.id];
          expect(visibleTicks(o).length).toBeGreaterThanOrEqual(4);
          expect(o.size).not.toBe('small');
          if (q.template === 'general.shape_of') expect(o.shape).toBe(q.answer);
          if (q.template === 'general.colour_of') expect(o.colour).toBe(q.answer);
          if (q.template === 'general.object_present') {
            expect(nameOf(o)).toBe(q.answer);
            expect(s.objects.some((x) => nameOf(x) === e.absent)).toBe(false);
          }
          break;
        }
        default: throw new Error(`untested template ${q.template}`);
      }
    }
  }, SLOW);

  it('a mirrored scene flips every left/right answer and left/right motion, and keeps above/below', () => {
    const flip: Record<string, string> = { left: 'right', right: 'left', up: 'up', down: 'down' };
    const otherOption = (q: SynthQuestion) => q.options.find((o) => o !== q.answer)!;
    let n = 0;
    for (const s of scenes) {
      const m = mirrorScene(s);
      for (const [t, map] of [['spatial.left_right', otherOption], ['temporal.direction', flip], ['temporal.after_turn', flip], ['spatial.above_below', null]] as const) {
        const mine = keyed(s, t), theirs = keyed(m, t);
        for (const [text, q] of mine) {
          const other = theirs.get(text);
          if (!other) continue; // a close call at the margin may drop out
          expect(other.answer).toBe(map === null ? q.answer : typeof map === 'function' ? map(q) : map[q.answer]);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(2000);
  }, SLOW);

  it('a reversed scene flips which appears first, and maps "X leaves before Y appears" to "Y leaves before X appears"', () => {
    let first = 0, swapped = 0, flipped = 0;
    for (const s of scenes) {
      const r = reverseScene(s);
      const f = keyed(r, 'temporal.first');
      for (const q of questionsOf(s, 'temporal.first')) {
        const other = f.get(q.text);
        if (!other) continue;
        expect(other.answer).not.toBe(q.answer);
        first++;
      }
      const ba = questionsOf(r, 'temporal.before_after');
      for (const q of questionsOf(s, 'temporal.before_after')) {
        const [x, y] = (q.evidence.ids as number[]);
        const roleSwap = ba.find((o) => (o.evidence.ids as number[])[0] === y && (o.evidence.ids as number[])[1] === x);
        expect(roleSwap?.answer).toBe(q.answer);
        swapped++;
        const same = ba.find((o) => (o.evidence.ids as number[])[0] === x && (o.evidence.ids as number[])[1] === y);
        if (same && q.answer === 'before') { expect(same.answer).toBe('after'); flipped++; }
      }
    }
    expect(first).toBeGreaterThan(50);
    expect(swapped).toBeGreaterThan(100);
    expect(flipped).toBeGreaterThan(5);
  }, SLOW);
});

describe('sampleExample', () => {
  it('is deterministic and comes from the split', () => {
    for (const t of TEMPLATES) {
      expect(sampleExample('train', 42, t.id)).toEqual(sampleExample('train', 42, t.id));
      const e = sampleExample('eval', 42, t.id);
      expect(e.scene.split).toBe('eval');
      expect(e.scene).toEqual(generateScene('eval', e.scene.seed));
      expect(e.question.template).toBe(t.id);
    }
  }, SLOW);

  it('throws a SynthError for an unknown template', () => {
    expect(() => sampleExample('train', 1, 'spatial.nope')).toThrow(SynthError);
    try { sampleExample('train', 1, 'spatial.nope'); } catch (e) { expect((e as SynthError).code).toBe('synth'); }
  }, SLOW);

  const draws = new Map<string, SynthQuestion[]>(TEMPLATES.map((t) => [t.id, Array.from({ length: 300 }, (_, i) => sampleExample('train', 1000 + i, t.id).question)]));

  it('balances every template: each answer class within 8 points of uniform over 300 draws', () => {
    for (const t of TEMPLATES) {
      const qs = draws.get(t.id)!;
      for (const k of t.balance) {
        const share = qs.filter((q) => balanceKey(q) === k).length / qs.length;
        expect(Math.abs(share - 1 / t.balance.length), `${t.id} ${k} ${share}`).toBeLessThanOrEqual(0.08);
      }
    }
  }, SLOW);

  it('puts the answer at every option position equally often', () => {
    for (const t of TEMPLATES) {
      const qs = draws.get(t.id)!;
      const width = Math.max(...qs.map((q) => q.options.length));
      for (let k = 0; k < width; k++) {
        const share = qs.filter((q) => q.options.indexOf(q.answer) === k).length / qs.length;
        const expected = qs.reduce((sum, q) => sum + (k < q.options.length ? 1 / q.options.length : 0), 0) / qs.length;
        expect(Math.abs(share - expected), `${t.id} position ${k}`).toBeLessThanOrEqual(0.08);
      }
    }
  }, SLOW);

  it('left/right answers are not given away by which object is named first', () => {
    const qs = draws.get('spatial.left_right')!;
    const rows = (f: (q: SynthQuestion) => string) => qs.map((q) => ({ feature: f(q), answer: q.answer }));
    const ids = (q: SynthQuestion) => q.evidence.ids as number[];
    // Which named object is the answer (the first or the second), from features that are not positions.
    const slot = (q: SynthQuestion) => ({ answer: (q.evidence.named as string[])[0] === q.answer ? 'first' : 'second' });
    const slots = (f: (q: SynthQuestion) => string) => qs.map((q) => ({ feature: f(q), ...slot(q) }));
    expect(predictability(slots((q) => String(ids(q)[0] < ids(q)[1])))).toBeLessThan(0.6);
    expect(predictability(slots((q) => (q.evidence.named as string[])[0]))).toBeLessThan(0.75); // 15 names, few draws each
    expect(predictability(rows((q) => q.options[0]))).toBeLessThan(0.6);
  }, SLOW);

  it('count is not predictable from the busiest frame or from the first and last frames', () => {
    const ex = Array.from({ length: 1500 }, (_, i) => sampleExample('train', 5000 + i, 'cross_frame.count'));
    const vis = (s: Scene, t: number) => s.objects.filter((o) => o.track[t].visible);
    const rows = (f: (s: Scene) => string) => ex.map(({ scene, question }) => ({ feature: f(scene), answer: question.answer }));
    expect(predictability(rows((s) => String(Math.max(...Array.from({ length: TICKS }, (_, t) => vis(s, t).length)))))).toBeLessThanOrEqual(0.6);
    expect(predictability(rows((s) => String(new Set([...vis(s, 0), ...vis(s, TICKS - 1)]).size)))).toBeLessThanOrEqual(0.6);
    expect(predictability(rows((s) => String(vis(s, 0).length + vis(s, TICKS - 1).length)))).toBeLessThanOrEqual(0.6);
    // And not "max visible + constant".
    for (const c of [0, 1, 2]) {
      const hit = ex.filter(({ scene, question }) => Math.max(...Array.from({ length: TICKS }, (_, t) => vis(scene, t).length)) + c === Number(question.answer)).length;
      expect(hit / ex.length).toBeLessThanOrEqual(0.6);
    }
  }, SLOW);

  it('other cheap guesses stay weak: larger in front, smallest hidden, one object of the colour, visible at the end', () => {
    const guess = (template: string, f: (s: Scene, q: SynthQuestion) => string | undefined) => {
      let score = 0;
      for (let i = 0; i < 600; i++) {
        const { scene, question } = sampleExample('train', 20000 + i, template);
        const g = f(scene, question);
        score += g === undefined ? 1 / question.options.length : g === question.answer ? 1 : 0;
      }
      return score / 600;
    };
    const objs = (s: Scene, q: SynthQuestion) => q.options.map((n) => byName(s, n));
    expect(guess('spatial.front', (s, q) => { const [a, b] = objs(s, q); return a.radius === b.radius ? undefined : nameOf(a.radius > b.radius ? a : b); })).toBeLessThan(0.65);
    expect(guess('spatial.hidden', (s, q) => { const os = objs(s, q); const m = Math.min(...os.map((o) => o.radius)); const c = os.filter((o) => o.radius === m); return c.length > 1 ? undefined : nameOf(c[0]); })).toBeLessThan(0.7);
    expect(guess('cross_frame.same', (s, q) => (s.objects.filter((o) => o.colour === q.evidence.colour).length === 1 ? 'same' : undefined))).toBeLessThan(0.6);
    expect(guess('cross_frame.comes_back', (s, q) => (s.objects[q.evidence.id as number].track[TICKS - 1].visible ? 'yes' : 'no'))).toBeLessThan(0.65);
  }, SLOW);
});
