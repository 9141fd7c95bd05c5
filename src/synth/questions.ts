/**
 * Question templates over scenes, with answers read from the scene state.
 * `questionsFor` lists every well-defined instance (both naming orders of
 * every pair, so naming order never carries the answer); `sampleExample`
 * draws a balanced example: the target answer first, then a scene that has it.
 */
import { seededRandom } from '../core/random';
import { SynthError } from './errors';
import { coverage, inFrontOf, straightDirection, turnOf, visibleRuns, visibleTicks, DIRECTIONS } from './facts';
import { COLOURS, SHAPES, TICKS, generateScene, nameOf, type Scene, type SceneObject } from './scene';

export type SynthCategory = 'spatial' | 'temporal' | 'cross_frame' | 'general';

export interface SynthQuestion {
  template: string;
  category: SynthCategory;
  /** Lowercase words separated by single spaces, ending with " ?". */
  text: string;
  /** 1 to 3 words each. */
  options: string[];
  /** One of `options`. */
  answer: string;
  /** The scene state behind the answer (ticks, positions, ids). */
  evidence: Record<string, unknown>;
}

/** Smallest separation (normalized) for left/right and above/below. */
export const MARGIN = 0.03;

/** Coverage from which an object counts as hidden, and the partial-overlap band for "in front". */
const HIDDEN = 1, FRONT_MIN = 0.1, FRONT_MAX = 0.9;

/** Which named object holds the answer: the balance classes of "the X or the Y" templates. */
const SLOTS = ['first named', 'second named'] as const;

const MOMENTS = [
  { phrase: 'at the start', ticks: [0] },
  { phrase: 'in the middle', ticks: [3, 4] },
  { phrase: 'at the end', ticks: [TICKS - 1] },
] as const;

interface Spec {
  id: string;
  category: SynthCategory;
  description: string;
  /** The classes `sampleExample` balances: the answers themselves, or which named object is the answer. */
  balance: readonly string[];
  build(scene: Scene): SynthQuestion[];
}

const q = (template: string, category: SynthCategory, text: string, options: string[], answer: string, evidence: Record<string, unknown>): SynthQuestion =>
  ({ template, category, text: `${text} ?`, options, answer, evidence });

/** Ordered pairs of distinct objects (both naming orders). */
const pairs = (s: Scene) => s.objects.flatMap((a) => s.objects.filter((b) => b !== a).map((b) => [a, b] as const));

/** Easy enough for the control set: on screen for at least 4 ticks and not small. */
const prominent = (o: SceneObject) => visibleTicks(o).length >= 4 && o.size !== 'small';

/**
 * "Which is further left / higher at <moment>: the X or the Y": the answer is a name, as in the
 * templates a small model learns (model-notes: "A or B?" learned, relational left-of/right-of stayed at chance).
 */
function relation(id: string, axis: 'x' | 'y', word: string): Spec {
  return {
    id, category: 'spatial', balance: SLOTS.flatMap((k) => MOMENTS.map((m) => `${k} ${m.phrase}`)),
    description: `at the start / in the middle (ticks 3 and 4) / at the end, which is ${word}, the X or the Y (separation at least ${MARGIN})`,
    build: (s) => pairs(s).flatMap(([a, b]) => MOMENTS.flatMap(({ phrase, ticks }) => {
      if (!ticks.every((t) => a.track[t].visible && b.track[t].visible)) return [];
      const d = ticks.map((t) => a.track[t][axis] - b.track[t][axis]);
      if (!d.every((v) => Math.abs(v) >= MARGIN) || !d.every((v) => v < 0 === d[0] < 0)) return [];
      // Smaller x is further left; smaller y (rows grow downwards) is higher.
      const answer = d[0] < 0 ? nameOf(a) : nameOf(b);
      return [q(id, 'spatial', `${phrase} which is ${word} the ${nameOf(a)} or the ${nameOf(b)}`, [nameOf(a), nameOf(b)], answer, {
        moment: phrase, ticks: [...ticks], ids: [a.id, b.id], named: [nameOf(a), nameOf(b)],
        positions: ticks.map((t) => [a.track[t][axis], b.track[t][axis]]), axis,
      })];
    })),
  };
}

/** Which named slot holds the answer of an "X or Y" question. */
const slotOf = (qq: SynthQuestion) => ((qq.evidence.named as string[])[0] === qq.answer ? SLOTS[0] : SLOTS[1]);

const SPECS: Spec[] = [
  relation('spatial.left_right', 'x', 'further left'),
  relation('spatial.above_below', 'y', 'higher'),
  {
    id: 'spatial.front', category: 'spatial', balance: SLOTS,
    description: 'two objects overlap (the back one 10-90% covered) at some tick: which is in front',
    build: (s) => pairs(s).flatMap(([a, b]) => {
      const [front, back] = a.depth > b.depth ? [a, b] : [b, a];
      const tick = Array.from({ length: TICKS }, (_, t) => t).find((t) => {
        if (!front.track[t].visible || !back.track[t].visible) return false;
        const c = coverage(back, [front], t);
        return c >= FRONT_MIN && c <= FRONT_MAX;
      });
      if (tick === undefined) return [];
      return [q('spatial.front', 'spatial', `which is in front the ${nameOf(a)} or the ${nameOf(b)}`, [nameOf(a), nameOf(b)], nameOf(front), {
        tick, frontId: front.id, backId: back.id, depths: [front.depth, back.depth], coverage: coverage(back, [front], tick), named: [nameOf(a), nameOf(b)],
      })];
    }),
  },
  {
    id: 'spatial.hidden', category: 'spatial', balance: ['hidden'],
    description: 'exactly one object is fully covered (every sample point, outline included) by objects in front at some tick while on screen: which',
    build: (s) => {
      const hidden = s.objects.flatMap((o) => {
        const fronts = inFrontOf(o, s.objects);
        const tick = Array.from({ length: TICKS }, (_, t) => t).find((t) => o.track[t].visible && coverage(o, fronts, t) >= HIDDEN);
        return tick === undefined ? [] : [{ o, tick, by: fronts.filter((f) => f.track[tick].visible && coverage(o, [f], tick) > 0).map((f) => f.id) }];
      });
      if (hidden.length !== 1) return [];
      const [{ o, tick, by }] = hidden;
      // Distractors: the smallest other objects first, so "pick the smallest" is no shortcut.
      const others = s.objects.filter((x) => x !== o).sort((x, y) => x.radius - y.radius || x.id - y.id);
      const sets = others.length > 1 ? [others.slice(0, 1), others.slice(0, 2)] : [others];
      return sets.map((ds) => q('spatial.hidden', 'spatial', 'which object is hidden behind another at some point', [nameOf(o), ...ds.map(nameOf)], nameOf(o), {
        tick, hiddenId: o.id, coveredBy: by, coverage: coverage(o, inFrontOf(o, s.objects), tick),
      }));
    },
  },
  {
    id: 'temporal.direction', category: 'temporal', balance: DIRECTIONS,
    description: 'an object moving straight (one visible run >= 3 ticks, every step one way): which way',
    build: (s) => s.objects.flatMap((o) => {
      const d = straightDirection(o);
      return d ? [q('temporal.direction', 'temporal', `which way does the ${nameOf(o)} move`, [...DIRECTIONS], d.direction, { id: o.id, ...d })] : [];
    }),
  },
  {
    id: 'temporal.first', category: 'temporal', balance: SLOTS.flatMap((k) => [`${k} from the start`, `${k} later`]),
    description: 'X appears strictly earlier than Y and is gone no later than Y (so reversing the video flips it): which appears first',
    build: (s) => pairs(s).flatMap(([a, b]) => {
      const va = visibleTicks(a), vb = visibleTicks(b);
      const fa = va[0], fb = vb[0], la = va[va.length - 1], lb = vb[vb.length - 1];
      const [first, other] = fa < fb && la <= lb ? [a, b] : fb < fa && lb <= la ? [b, a] : [];
      if (!first || !other) return [];
      return [q('temporal.first', 'temporal', `which appears first the ${nameOf(a)} or the ${nameOf(b)}`, [nameOf(a), nameOf(b)], nameOf(first), {
        firstId: first.id, first: [fa, fb], last: [la, lb], ids: [a.id, b.id], named: [nameOf(a), nameOf(b)],
      })];
    }),
  },
  {
    id: 'temporal.before_after', category: 'temporal', balance: ['before', 'after'],
    description: 'X is on screen once and leaves before the end, Y is on screen once from after the start: does X leave before Y appears (never together) or after (together at least one tick after Y appears)',
    build: (s) => pairs(s).flatMap(([x, y]) => {
      const rx = visibleRuns(x), ry = visibleRuns(y);
      if (rx.length !== 1 || ry.length !== 1) return [];
      const lastX = rx[0][1], firstY = ry[0][0];
      if (lastX >= TICKS - 1 || firstY <= 0 || lastX === firstY) return [];
      const answer = lastX < firstY ? 'before' : 'after';
      return [q('temporal.before_after', 'temporal', `does the ${nameOf(x)} leave before or after the ${nameOf(y)} appears`, ['before', 'after'], answer, {
        ids: [x.id, y.id], lastVisibleX: lastX, firstVisibleY: firstY,
      })];
    }),
  },
  {
    id: 'temporal.after_turn', category: 'temporal', balance: DIRECTIONS,
    description: 'an object moves one way for >= 2 steps, then another way for >= 2 steps while visible: which way after the turn',
    build: (s) => s.objects.flatMap((o) => {
      const t = turnOf(o);
      return t ? [q('temporal.after_turn', 'temporal', `after the ${nameOf(o)} turns which way does it go`, [...DIRECTIONS], t.after, { id: o.id, ...t })] : [];
    }),
  },
  {
    id: 'cross_frame.comes_back', category: 'cross_frame', balance: ['yes', 'no'],
    description: 'an object leaves for >= 2 ticks: yes if it is visible again later, no if it stays away to the end',
    build: (s) => s.objects.flatMap((o) => {
      const runs = visibleRuns(o);
      let answer: 'yes' | 'no' | undefined;
      const gapsOk = runs.every((r, i) => i === 0 || r[0] - runs[i - 1][1] - 1 >= 2);
      if (runs.length >= 2 && gapsOk) answer = 'yes';
      else if (runs.length === 1 && runs[0][1] <= TICKS - 3 && runs[0][1] - runs[0][0] >= 1) answer = 'no';
      return answer ? [q('cross_frame.comes_back', 'cross_frame', `does the ${nameOf(o)} come back after it leaves`, ['yes', 'no'], answer, { id: o.id, runs })] : [];
    }),
  },
  {
    id: 'cross_frame.count', category: 'cross_frame', balance: ['2', '3', '4'],
    description: 'how many different objects are visible at some tick (objects enter late and leave early, so one frame rarely shows them all)',
    build: (s) => {
      const seen = s.objects.filter((o) => visibleTicks(o).length > 0);
      if (seen.length < 2) return [];
      const perTick = Array.from({ length: TICKS }, (_, t) => s.objects.filter((o) => o.track[t].visible).length);
      return [q('cross_frame.count', 'cross_frame', 'how many different objects appear in the video', ['2', '3', '4'], String(seen.length), {
        ids: seen.map((o) => o.id), visiblePerTick: perTick, maxVisible: Math.max(...perTick),
      })];
    },
  },
  {
    id: 'cross_frame.same',
    category: 'cross_frame', balance: ['same', 'different'],
    description: 'two or more objects of colour C in the video, exactly one on screen at the start and one at the end: same if one object, different if the first left before the end and the second came after the start',
    build: (s) => COLOURS.flatMap((colour) => {
      const ofColour = s.objects.filter((o) => o.colour === colour);
      // With one object of the colour the answer is "same" by construction: ask only where it can go either way.
      if (ofColour.length < 2) return [];
      const atStart = ofColour.filter((o) => o.track[0].visible), atEnd = ofColour.filter((o) => o.track[TICKS - 1].visible);
      if (atStart.length !== 1 || atEnd.length !== 1) return [];
      const [a, b] = [atStart[0], atEnd[0]];
      if (a !== b && (a.track[TICKS - 1].visible || b.track[0].visible)) return [];
      return [q('cross_frame.same', 'cross_frame', `is the ${colour} object at the end the same one as at the start`, ['same', 'different'], a === b ? 'same' : 'different', {
        colour, startId: a.id, endId: b.id,
      })];
    }),
  },
  {
    id: 'general.colour_present', category: 'general', balance: COLOURS,
    description: 'one colour is on a prominent object (>= 4 ticks, not small), the other on no object: which is in the video',
    build: (s) => {
      const present = COLOURS.filter((c) => s.objects.some((o) => o.colour === c && prominent(o)));
      const absent = COLOURS.filter((c) => !s.objects.some((o) => o.colour === c));
      return present.flatMap((p) => absent.flatMap((a) => [[p, a], [a, p]].map((named) =>
        q('general.colour_present', 'general', `which colour is in the video ${named[0]} or ${named[1]}`, named, p, { present: p, absent: a, named }))));
    },
  },
  {
    id: 'general.shape_present', category: 'general', balance: SHAPES,
    description: 'one shape is on a prominent object (>= 4 ticks, not small), the other on no object: which is in the video',
    build: (s) => {
      const present = SHAPES.filter((sh) => s.objects.some((o) => o.shape === sh && prominent(o)));
      const absent = SHAPES.filter((sh) => !s.objects.some((o) => o.shape === sh));
      return present.flatMap((p) => absent.flatMap((a) => [[p, a], [a, p]].map((named) =>
        q('general.shape_present', 'general', `which shape is in the video ${named[0]} or ${named[1]}`, named, p, { present: p, absent: a, named }))));
    },
  },
  {
    id: 'general.shape_of', category: 'general', balance: SHAPES,
    description: 'exactly one object has colour C and it is prominent: what shape is it',
    build: (s) => COLOURS.flatMap((c) => {
      const of = s.objects.filter((o) => o.colour === c);
      return of.length === 1 && prominent(of[0]) ? [q('general.shape_of', 'general', `what shape is the ${c} object`, [...SHAPES], of[0].shape, { id: of[0].id, colour: c })] : [];
    }),
  },
  {
    id: 'general.colour_of', category: 'general', balance: COLOURS,
    description: 'exactly one object has shape S and it is prominent: what colour is it (3 options)',
    build: (s) => SHAPES.flatMap((shape) => {
      const of = s.objects.filter((o) => o.shape === shape);
      if (of.length !== 1 || !prominent(of[0])) return [];
      const r = seededRandom(s.seed, `questions.${s.split}.colour_of.${shape}`);
      const others = r.shuffled(COLOURS.filter((c) => c !== of[0].colour)).slice(0, 2);
      return [q('general.colour_of', 'general', `what colour is the ${shape}`, [of[0].colour, ...others], of[0].colour, { id: of[0].id, shape })];
    }),
  },
  {
    id: 'general.object_present', category: 'general', balance: COLOURS.flatMap((c) => SHAPES.map((sh) => `${c} ${sh}`)),
    description: 'one named object is prominent in the video, the other (colour, shape) is not in it: which is in the video',
    build: (s) => {
      const names = new Set(s.objects.map(nameOf));
      const absent = COLOURS.flatMap((c) => SHAPES.map((sh) => `${c} ${sh}`)).filter((n) => !names.has(n));
      return s.objects.filter(prominent).flatMap((o) => {
        const r = seededRandom(s.seed, `questions.${s.split}.absent.${o.id}`);
        const other = absent[r.int(0, absent.length - 1)];
        return [[nameOf(o), other], [other, nameOf(o)]].map((named) =>
          q('general.object_present', 'general', `which object is in the video the ${named[0]} or the ${named[1]}`, named, nameOf(o), { id: o.id, absent: other, named }));
      });
    },
  },
];

const BY_ID = new Map(SPECS.map((s) => [s.id, s]));

/** The templates: id (`category.name`), category, what it asks, and the classes sampleExample balances. */
export const TEMPLATES: readonly { id: string; category: SynthCategory; description: string; balance: readonly string[] }[] =
  SPECS.map(({ id, category, description, balance }) => ({ id, category, description, balance }));

/**
 * The balance class of a question: its answer; for "the X or the Y" templates
 * which named object is the answer (and for temporal.first whether the first
 * is on screen from the start); for left/right and above/below which named
 * object and the moment asked about.
 */
export function balanceKey(question: SynthQuestion): string {
  const e = question.evidence;
  switch (question.template) {
    case 'spatial.hidden': return 'hidden';
    case 'spatial.front': return slotOf(question);
    // Both halves balanced: "the one on screen at the start" is right only half the time.
    case 'temporal.first': return `${slotOf(question)} ${(e.first as number[]).includes(0) ? 'from the start' : 'later'}`;
    // Each moment equally often, so the frame asked about matters.
    case 'spatial.left_right': case 'spatial.above_below': return `${slotOf(question)} ${e.moment as string}`;
    default: return question.answer;
  }
}

/** Every well-defined instance of every template for the scene. */
export function questionsFor(scene: Scene): SynthQuestion[] {
  return SPECS.flatMap((s) => s.build(scene));
}

/** The instances of one template (faster than filtering questionsFor). */
export function questionsOf(scene: Scene, template: string): SynthQuestion[] {
  const spec = BY_ID.get(template);
  if (!spec) throw new SynthError(`unknown template "${template}"; known: ${SPECS.map((s) => s.id).join(', ')}`);
  return spec.build(scene);
}

/** Attempts before sampleExample gives up. */
const ATTEMPTS = 500;

/**
 * A balanced example of `template`: the target class (answer) is drawn
 * uniformly first, then scenes (seeds drawn from the same stream, so fixed
 * by seed and attempt number) are tried until one has an instance with it;
 * the instance (and so the naming order) and the option order are random.
 * Throws SynthError after 500 failed attempts.
 */
export function sampleExample(split: 'train' | 'eval', seed: number, template: string): { scene: Scene; question: SynthQuestion } {
  const spec = BY_ID.get(template);
  if (!spec) throw new SynthError(`unknown template "${template}"; known: ${SPECS.map((s) => s.id).join(', ')}`);
  const r = seededRandom(seed, `example.${template}`);
  const target = spec.balance[r.int(0, spec.balance.length - 1)];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const scene = generateScene(split, Math.floor(r.next() * 4294967296));
    const hits = spec.build(scene).filter((x) => balanceKey(x) === target);
    if (hits.length) {
      const question = hits[r.int(0, hits.length - 1)];
      return { scene, question: { ...question, options: r.shuffled(question.options) } };
    }
  }
  throw new SynthError(`no ${split} scene with ${template} = ${target} in ${ATTEMPTS} attempts (seed ${seed})`);
}

/** Every word a question text or option can contain ("?" included), sorted. */
export const VOCABULARY: readonly string[] = [...new Set([
  ...'? at the start in middle end is left or right of above below further higher which front object hidden behind another some point way does move appears first leave before after turns it go come back leaves yes no how many different objects appear video same one as colour shape what up down 2 3 4'.split(' '),
  ...COLOURS, ...SHAPES,
])].sort();


