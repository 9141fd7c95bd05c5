/**
 * ORACLE pairs, made from ground truth: r+ the true answer, r- one of the
 * other options at random. They are the upper bound the issue asks for, to
 * tell apart "the pairs are wrong" from "training cannot move the model";
 * they are never annotation-free and are labelled so wherever they go.
 */
import { seededRandom } from '../core/random';
import { TEMPLATES } from '../synth';
import { PAIR_CATEGORIES, type PairCategory, type QuestionSampler, type SelfPair, balanceModeOf, chosenClass, sampleQuestion } from './makePairs';

export const ORACLE_SOURCE = 'oracle';

export interface OraclePairsOptions {
  pairs: number;
  seed: number;
  categories?: readonly PairCategory[];
  imageSize?: number;
  sample?: QuestionSampler;
}

/** `pairs` oracle pairs split evenly over the categories and their templates, balanced by chosen class as self pairs are. */
export function makeOraclePairs(o: OraclePairsOptions): SelfPair[] {
  const categories = o.categories ?? PAIR_CATEGORIES;
  const sample = o.sample ?? sampleQuestion(o.imageSize ?? 32);
  const random = seededRandom(o.seed, 'oracle pairs');
  const templates = categories.flatMap((c) => TEMPLATES.filter((t) => t.category === c).map((t) => ({ id: t.id, category: c })));
  const perCategory = (i: number) => Math.floor(o.pairs / categories.length) + (i < o.pairs % categories.length ? 1 : 0);
  const out: SelfPair[] = [];
  categories.forEach((c, ci) => {
    const own = templates.filter((t) => t.category === c);
    own.forEach((t, ti) => {
      const quota = Math.floor(perCategory(ci) / own.length) + (ti < perCategory(ci) % own.length ? 1 : 0);
      const mode = balanceModeOf(t.id);
      const byClass = new Map<string, SelfPair[]>();
      const classes = new Set<string>();
      for (let tries = 0; tries < 50 * quota + 50; tries++) {
        const s = sample(t.id, random.int(0, 2 ** 31 - 1));
        if (!s) continue;
        s.question.options.forEach((opt) => classes.add(chosenClass(mode, s.question, opt)));
        const cls = chosenClass(mode, s.question, s.question.answer);
        const each = Math.floor(quota / Math.max(1, classes.size));
        const mine = byClass.get(cls) ?? [];
        if (mine.length < each) {
          const wrong = s.question.options.filter((x) => x !== s.question.answer);
          mine.push({
            id: `oracle-${o.seed}-${t.id}-${tries}`, category: c, template: t.id, sceneSeed: s.sceneSeed, question: s.question, frames: s.frames,
            chosen: s.question.answer, rejected: wrong[random.int(0, wrong.length - 1)], source: ORACLE_SOURCE, view: 'none', adversarialQuery: '', balanceClass: cls, chosenLogpGap: 0,
          });
          byClass.set(cls, mine);
        }
        if ([...classes].every((k) => (byClass.get(k)?.length ?? 0) >= each)) break;
      }
      const each = Math.min(...[...classes].map((k) => byClass.get(k)?.length ?? 0));
      out.push(...Array.from({ length: each }, (_, i) => [...classes].map((k) => byClass.get(k)![i])).flat());
    });
  });
  return out;
}
