import { seededRandom } from '../core/random';
import type { RgbaFrame } from '../core/frame';
import type { AnswerScore, ScoreItem } from '../respond';
import { type SynthCategory, type SynthQuestion, TEMPLATES, renderFrames, sampleExample } from '../synth';
import { wilsonInterval } from './stats';
import { BREAKING_VIEW, breakingView } from './views';

export const SYNTH_CATEGORIES: readonly SynthCategory[] = ['spatial', 'temporal', 'cross_frame', 'general'];

/** Anything that scores answers: the built-in model, or later an endpoint. */
export interface AnswerScorer {
  score(items: readonly ScoreItem[]): Promise<AnswerScore[]>;
}

/** One held-out question with the frames of both views. */
export interface BenchmarkItem {
  question: SynthQuestion;
  frames: RgbaFrame[];
  adversarialFrames: RgbaFrame[];
}

/**
 * The held-out set for `seed`: `perCategory` questions per category, spread
 * evenly over the category's templates, from scenes of the eval split (never
 * used in pretraining). Deterministic in (seed, perCategory).
 */
export function benchmarkItems(seed: number, perCategory: number, imageSize = 32): BenchmarkItem[] {
  const random = seededRandom(seed, 'benchmark');
  const items: BenchmarkItem[] = [];
  for (const category of SYNTH_CATEGORIES) {
    const templates = TEMPLATES.filter((t) => t.category === category);
    for (let i = 0; i < perCategory; i++) {
      const template = templates[i % templates.length];
      const { scene, question } = sampleExample('eval', random.int(0, 2 ** 31 - 1), template.id);
      const frames = renderFrames(scene, imageSize);
      items.push({ question, frames, adversarialFrames: breakingView(BREAKING_VIEW[category], frames) });
    }
  }
  return items;
}

export interface TemplateResult {
  category: SynthCategory;
  n: number;
  chance: number;
  accuracy: number;
  adversarial_accuracy: number;
}

/** The eval command's JSON (see the README). */
export interface BenchmarkResult {
  seed: number;
  n: Record<SynthCategory, number>;
  chance: Record<SynthCategory, number>;
  accuracy: Record<SynthCategory, number>;
  adversarial_accuracy: Record<SynthCategory, number>;
  /** 95% Wilson intervals of accuracy and adversarial accuracy. */
  interval: Record<SynthCategory, [number, number]>;
  adversarial_interval: Record<SynthCategory, [number, number]>;
  adversarial_view: Record<SynthCategory, string>;
  per_template: Record<string, TemplateResult>;
}

/** Which option each item's scores pick, and whether it is right. */
async function answerAll(scorer: AnswerScorer, items: readonly BenchmarkItem[], adversarial: boolean, onProgress: (done: number) => void): Promise<boolean[]> {
  const flat = items.flatMap((it) => it.question.options.map((answer) => ({ frames: adversarial ? it.adversarialFrames : it.frames, question: it.question.text, answer })));
  const scores: AnswerScore[] = [];
  const chunk = 64;
  for (let i = 0; i < flat.length; i += chunk) {
    scores.push(...(await scorer.score(flat.slice(i, i + chunk))));
    onProgress(Math.min(i + chunk, flat.length));
  }
  let at = 0;
  return items.map((it) => {
    const logps = it.question.options.map((_, j) => scores[at + j].logp);
    at += it.question.options.length;
    return it.question.options[logps.indexOf(Math.max(...logps))] === it.question.answer;
  });
}

/**
 * Multiple-choice accuracy per category and per template, on the preferred
 * view and on the view that breaks each category. `onProgress(done, total)`
 * counts scored options.
 */
export async function runBenchmark(scorer: AnswerScorer, items: readonly BenchmarkItem[], seed: number, onProgress: (done: number, total: number) => void = () => {}): Promise<BenchmarkResult> {
  const options = items.reduce((s, it) => s + it.question.options.length, 0);
  const right = await answerAll(scorer, items, false, (d) => onProgress(d, 2 * options));
  const rightAdv = await answerAll(scorer, items, true, (d) => onProgress(options + d, 2 * options));
  const per = <T>(f: (c: SynthCategory) => T) => Object.fromEntries(SYNTH_CATEGORIES.map((c) => [c, f(c)])) as Record<SynthCategory, T>;
  const tally = (keep: (it: BenchmarkItem) => boolean) => {
    const idx = items.map((it, i) => (keep(it) ? i : -1)).filter((i) => i >= 0);
    const k = idx.filter((i) => right[i]).length;
    const kAdv = idx.filter((i) => rightAdv[i]).length;
    const chance = idx.reduce((s, i) => s + 1 / items[i].question.options.length, 0) / Math.max(1, idx.length);
    return { n: idx.length, k, kAdv, chance };
  };
  const cats = per((c) => tally((it) => it.question.category === c));
  const perTemplate: Record<string, TemplateResult> = {};
  for (const t of TEMPLATES) {
    const r = tally((it) => it.question.template === t.id);
    if (r.n) perTemplate[t.id] = { category: t.category, n: r.n, chance: r.chance, accuracy: r.k / r.n, adversarial_accuracy: r.kAdv / r.n };
  }
  return {
    seed,
    n: per((c) => cats[c].n),
    chance: per((c) => cats[c].chance),
    accuracy: per((c) => cats[c].k / Math.max(1, cats[c].n)),
    adversarial_accuracy: per((c) => cats[c].kAdv / Math.max(1, cats[c].n)),
    interval: per((c) => wilsonInterval(cats[c].k, cats[c].n)),
    adversarial_interval: per((c) => wilsonInterval(cats[c].kAdv, cats[c].n)),
    adversarial_view: per((c) => BREAKING_VIEW[c]),
    per_template: perTemplate,
  };
}
