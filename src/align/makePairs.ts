/**
 * Annotation-free preference pairs, VideoPASTA-style, from the model itself:
 * for a synthetic video and an aligned query of a category's template,
 * r+ = the model's multiple-choice answer on the preferred view, and each
 * candidate r- = its answer on an adversarial view or to a misleading
 * rewrite (see sources.ts). A candidate becomes a pair when the rule keeps
 * it; pairs are then balanced per template by the chosen answer.
 *
 * Ground truth never makes, filters or balances a pair: the code below reads
 * a question's text and options only. The truth is read in one place,
 * `pairPrecision`, to report how often r+ is right and r- wrong.
 */
import { seededRandom } from '../core/random';
import type { RgbaFrame } from '../core/frame';
import type { AnswerScorer } from '../eval';
import { type SynthCategory, type SynthQuestion, TEMPLATES, generateScene, questionsOf, renderFrames } from '../synth';
import { CANDIDATE_SOURCES, type CandidateSource, DEFAULT_SOURCES, type PairRule, pairRule, swappedRoles } from './sources';
import { type PairView, viewFrames } from './views';

export type PairCategory = Exclude<SynthCategory, 'general'>;
export const PAIR_CATEGORIES: readonly PairCategory[] = ['spatial', 'temporal', 'cross_frame'];

/** One self-generated pair, with what is needed to train on it and to rebuild it. */
export interface SelfPair {
  id: string;
  category: PairCategory;
  template: string;
  /** The train-split scene: generateScene('train', sceneSeed). */
  sceneSeed: number;
  /** The aligned query as asked (its `answer` and `evidence` are never read while making pairs). */
  question: SynthQuestion;
  /** The preferred view, which DPO trains both answers on. */
  frames: RgbaFrame[];
  chosen: string;
  rejected: string;
  /** Candidate source id (CANDIDATE_SOURCES). */
  source: string;
  /** The view r- was answered on; 'none' for oracle pairs, whose r- is not an answer of the model. */
  view: PairView | 'none';
  /** The rewrite the rejected answer replied to; '' for the aligned query. */
  adversarialQuery: string;
  /** The class the pair is balanced in (see chosenClass). */
  balanceClass: string;
  /** log p(r+) − log p(runner-up) on the preferred view. */
  chosenLogpGap: number;
}

/** Draws an aligned query of a template: a train-split scene and one of its instances, picked at random. */
export type QuestionSampler = (template: string, seed: number) => { sceneSeed: number; question: SynthQuestion; frames: RgbaFrame[] } | undefined;

export interface MakePairsOptions {
  /** Pairs wanted in all (split evenly over the categories, then their templates). */
  pairs: number;
  seed: number;
  categories?: readonly PairCategory[];
  /** Candidate sources per category, in order. Default DEFAULT_SOURCES. */
  sources?: Partial<Record<PairCategory, readonly string[]>>;
  rule?: PairRule;
  /** 'per-template' (default): as many pairs of each chosen-answer class per template; 'none' keeps every pair up to the quota. */
  balance?: 'per-template' | 'none';
  /** Most questions asked in all. Default 20 per wanted pair. */
  maxQuestions?: number;
  /**
   * A template whose first this-many questions gave no pair at all is given
   * up (the model answers it the same on every view: nothing to learn from),
   * and its share goes to the category's other templates. Default 64.
   */
  giveUpAfter?: number;
  /** Questions per template per round (one scoring call per round). Default 16. */
  questionsPerRound?: number;
  imageSize?: number;
  sample?: QuestionSampler;
  onProgress?: (p: { questions: number; maxQuestions: number; pairs: number }) => void;
  /** Asked between rounds; true stops with the pairs made so far. */
  shouldStop?: () => boolean;
}

/** Counts of one group (category, template or source). */
export interface PairTally {
  questions: number;
  /** Candidate answers asked for (questions × their sources). */
  candidates: number;
  /** Candidates the rule kept. */
  kept: number;
  /** kept / candidates. */
  yield: number;
  /** Pairs after balancing. */
  pairs: number;
}

export interface MakePairsResult {
  pairs: SelfPair[];
  rule: PairRule;
  sources: Record<string, CandidateSource[]>;
  questions: number;
  perCategory: Record<string, PairTally>;
  perTemplate: Record<string, PairTally & { classes: Record<string, number> }>;
  perSource: Record<string, PairTally>;
  /** Why generation ended. */
  ended: 'done' | 'budget' | 'stopped';
  /** Templates given up because their first questions gave no pair (see giveUpAfter). */
  givenUp: string[];
}

/** The default sampler: a random train-split scene that has an instance of the template, and a random instance. */
export function sampleQuestion(imageSize: number): QuestionSampler {
  return (template, seed) => {
    const r = seededRandom(seed, `self pairs.${template}`);
    for (let attempt = 0; attempt < 50; attempt++) {
      const sceneSeed = r.int(0, 2 ** 31 - 1);
      const scene = generateScene('train', sceneSeed);
      const instances = questionsOf(scene, template);
      if (instances.length) return { sceneSeed, question: instances[r.int(0, instances.length - 1)], frames: renderFrames(scene, imageSize) };
    }
    return undefined;
  };
}

type BalanceMode = 'named position' | 'answer' | 'none';

/** How a template's pairs are balanced: by which named object r+ is, by r+ itself, or not at all (one class). */
export function balanceModeOf(template: string): BalanceMode {
  const t = TEMPLATES.find((x) => x.id === template);
  if (!t) throw new TypeError(`unknown template "${template}"`);
  if (t.balance.some((b) => b.startsWith('first named'))) return 'named position';
  return t.balance.length === 1 ? 'none' : 'answer';
}

/** The balance class of r+, read from the question's text and options only. */
export function chosenClass(mode: BalanceMode, question: Pick<SynthQuestion, 'text' | 'options'>, chosen: string): string {
  if (mode === 'none') return 'any';
  if (mode === 'answer') return chosen;
  const at = (o: string) => question.text.indexOf(` ${o} `);
  return question.options.every((o) => o === chosen || at(chosen) < at(o)) ? 'first named' : 'second named';
}

interface Asked {
  template: string;
  category: PairCategory;
  sceneSeed: number;
  question: SynthQuestion;
  frames: RgbaFrame[];
  index: number;
}

const tally = (): PairTally => ({ questions: 0, candidates: 0, kept: 0, yield: 0, pairs: 0 });

/** Splits `total` into `parts` near-equal integers (the first ones get the remainder). */
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

export async function makeSelfPairs(scorer: AnswerScorer, o: MakePairsOptions): Promise<MakePairsResult> {
  const categories = o.categories ?? PAIR_CATEGORIES;
  if (!Number.isInteger(o.pairs) || o.pairs < 1) throw new TypeError(`pairs must be an integer of at least 1, got ${o.pairs}`);
  if (!categories.length) throw new TypeError('categories must name at least one of spatial, temporal, cross_frame');
  for (const c of categories) if (!PAIR_CATEGORIES.includes(c)) throw new TypeError(`categories: "${c}" is not one of ${PAIR_CATEGORIES.join(', ')}`);
  const rule = o.rule ?? pairRule();
  const sample = o.sample ?? sampleQuestion(o.imageSize ?? 32);
  const perRound = o.questionsPerRound ?? 16;
  const maxQuestions = o.maxQuestions ?? 20 * o.pairs;
  const giveUpAfter = o.giveUpAfter ?? 64;
  const sourcesOf = Object.fromEntries(categories.map((c) => {
    const ids = o.sources?.[c] ?? DEFAULT_SOURCES[c];
    return [c, ids.map((id) => {
      const s = CANDIDATE_SOURCES[id];
      if (!s) throw new TypeError(`sources.${c}: unknown source "${id}" (known: ${Object.keys(CANDIDATE_SOURCES).join(', ')})`);
      return s;
    })];
  })) as Record<PairCategory, CandidateSource[]>;

  // Quotas: the pairs split evenly over categories, then over each category's templates that still give pairs.
  const templates = categories.flatMap((c) => TEMPLATES.filter((t) => t.category === c).map((t) => ({ id: t.id, category: c })));
  const givenUp = new Set<string>();
  const quota = new Map<string, number>();
  const share = new Map(split(o.pairs, categories.length).map((n, i) => [categories[i], n]));
  const setQuotas = () => {
    for (const c of categories) {
      const own = templates.filter((t) => t.category === c);
      const live = own.filter((t) => !givenUp.has(t.id));
      for (const t of own) quota.set(t.id, 0);
      split(share.get(c)!, live.length).forEach((q, j) => quota.set(live[j].id, q));
    }
  };
  setQuotas();

  const kept = new Map<string, SelfPair[]>(templates.map((t) => [t.id, []]));
  const classes = new Map<string, Set<string>>(templates.map((t) => [t.id, new Set()]));
  const asked = new Map<string, number>(templates.map((t) => [t.id, 0]));
  const perCategory: Record<string, PairTally> = Object.fromEntries(categories.map((c) => [c, tally()]));
  const perTemplate: MakePairsResult['perTemplate'] = Object.fromEntries(templates.map((t) => [t.id, { ...tally(), classes: {} }]));
  const perSource: Record<string, PairTally> = {};
  const random = seededRandom(o.seed, 'self pairs');
  let questions = 0;
  let ended: MakePairsResult['ended'] = 'done';

  /** Pairs a template can give now, balanced. */
  const balanced = (id: string): SelfPair[] => {
    const all = kept.get(id)!;
    if (o.balance === 'none') return all.slice(0, quota.get(id));
    const possible = [...classes.get(id)!];
    const byClass = possible.map((c) => all.filter((p) => p.balanceClass === c));
    const each = Math.min(...byClass.map((b) => b.length), Math.floor(quota.get(id)! / Math.max(1, possible.length)));
    // Interleaved by class, so a prefix of the list is balanced too.
    return Array.from({ length: each }, (_, i) => byClass.map((b) => b[i])).flat();
  };
  const short = (id: string) => balanced(id).length < quota.get(id)! - (o.balance === 'none' ? 0 : quota.get(id)! % Math.max(1, classes.get(id)!.size));

  const giveUp = () => {
    // Templates the model answers the same on every view give nothing: their share goes to the others.
    const before = givenUp.size;
    for (const t of templates) if (!givenUp.has(t.id) && asked.get(t.id)! >= giveUpAfter && kept.get(t.id)!.length === 0) givenUp.add(t.id);
    if (givenUp.size !== before) setQuotas();
  };
  while ((giveUp(), templates.some((t) => short(t.id)))) {
    if (o.shouldStop?.()) {
      ended = 'stopped';
      break;
    }
    if (questions >= maxQuestions) {
      ended = 'budget';
      break;
    }
    // One round: a few questions of every template still short, scored in one call.
    const round: Asked[] = [];
    for (const t of templates) {
      if (!short(t.id)) continue;
      for (let i = 0; i < perRound && questions < maxQuestions; i++) {
        const s = sample(t.id, random.int(0, 2 ** 31 - 1));
        asked.set(t.id, asked.get(t.id)! + 1);
        if (!s) continue;
        round.push({ template: t.id, category: t.category, ...s, index: questions++ });
        // Every option of a template is a class it must balance, whether or not r+ ever takes it.
        const mode = balanceModeOf(t.id);
        for (const opt of s.question.options) classes.get(t.id)!.add(chosenClass(mode, s.question, opt));
      }
    }
    if (!round.length) {
      ended = 'budget';
      break;
    }
    const asks = round.flatMap((a) => {
      const views = new Map<PairView | 'preferred', RgbaFrame[]>([['preferred', a.frames]]);
      for (const s of sourcesOf[a.category]) if (!views.has(s.view)) views.set(s.view, viewFrames(s.view, a.frames));
      const preferred = { ask: a, source: null as CandidateSource | null, frames: a.frames, text: a.question.text };
      const candidates = sourcesOf[a.category].flatMap((s) => {
        const text = s.query === 'aligned' ? a.question.text : swappedRoles(a.question);
        return text === undefined ? [] : [{ ask: a, source: s, frames: views.get(s.view)!, text }];
      });
      return [preferred, ...candidates];
    });
    const scores = await scorer.score(asks.flatMap((x) => x.ask.question.options.map((answer) => ({ frames: x.frames, question: x.text, answer }))));
    let at = 0;
    const answers = asks.map((x) => {
      const logps = x.ask.question.options.map((_, j) => scores[at + j].logp);
      at += logps.length;
      const best = logps.indexOf(Math.max(...logps));
      const runnerUp = Math.max(...logps.filter((_, j) => j !== best));
      return { ...x, answer: x.ask.question.options[best], gap: logps[best] - runnerUp };
    });
    for (const a of round) {
      const mine = answers.filter((x) => x.ask === a);
      const chosen = mine[0];
      const cat = perCategory[a.category];
      const tmp = perTemplate[a.template];
      cat.questions++;
      tmp.questions++;
      const confident = chosen.gap >= rule.minChosenLogpGap;
      const rejectedSeen = new Set<string>();
      for (const s of sourcesOf[a.category]) (perSource[s.id] ??= tally()).questions++;
      for (const c of mine.slice(1)) {
        const src = perSource[c.source!.id];
        cat.candidates++;
        tmp.candidates++;
        src.candidates++;
        if (!confident || c.answer === chosen.answer || rejectedSeen.has(c.answer)) continue;
        rejectedSeen.add(c.answer);
        cat.kept++;
        tmp.kept++;
        src.kept++;
        kept.get(a.template)!.push({
          id: `self-${o.seed}-${a.index}-${c.source!.id}`,
          category: a.category,
          template: a.template,
          sceneSeed: a.sceneSeed,
          question: a.question,
          frames: a.frames,
          chosen: chosen.answer,
          rejected: c.answer,
          source: c.source!.id,
          view: c.source!.view,
          adversarialQuery: c.text === a.question.text ? '' : c.text,
          balanceClass: chosenClass(balanceModeOf(a.template), a.question, chosen.answer),
          chosenLogpGap: chosen.gap,
        });
      }
    }
    o.onProgress?.({ questions, maxQuestions, pairs: templates.reduce((s, t) => s + balanced(t.id).length, 0) });
  }
  if (ended === 'done' && templates.some((t) => balanced(t.id).length < quota.get(t.id)!)) ended = 'budget';

  const pairs = templates.flatMap((t) => balanced(t.id));
  for (const t of templates) {
    const tmp = perTemplate[t.id];
    for (const c of classes.get(t.id)!) tmp.classes[c] = kept.get(t.id)!.filter((p) => p.balanceClass === c).length;
  }
  for (const p of pairs) {
    perCategory[p.category].pairs++;
    perTemplate[p.template].pairs++;
    perSource[p.source].pairs++;
  }
  for (const t of [...Object.values(perCategory), ...Object.values(perTemplate), ...Object.values(perSource)]) t.yield = t.candidates ? t.kept / t.candidates : 0;
  return { pairs, rule, sources: sourcesOf, questions, perCategory, perTemplate, perSource, ended, givenUp: [...givenUp] };
}

/**
 * Pair precision: the share of pairs whose r+ is right and r- wrong, by
 * ground truth (the only place it is read). Also r+'s accuracy alone.
 */
export function pairPrecision(pairs: readonly SelfPair[], key: (p: SelfPair) => string = (p) => p.category): Record<string, { pairs: number; precision: number; chosen_right: number }> {
  const out: Record<string, { pairs: number; precision: number; chosen_right: number }> = {};
  for (const p of pairs) {
    const r = (out[key(p)] ??= { pairs: 0, precision: 0, chosen_right: 0 });
    r.pairs++;
    const right = p.chosen === p.question.answer;
    r.chosen_right += right ? 1 : 0;
    // With a rewrite, r- answered a different question: it is wrong for the aligned query when it is not the aligned query's answer.
    r.precision += right && p.rejected !== p.question.answer ? 1 : 0;
  }
  for (const r of Object.values(out)) {
    r.precision /= r.pairs;
    r.chosen_right /= r.pairs;
  }
  return out;
}
