/**
 * Ground-truth ("oracle") pairs for the ablation's upper bound: r+ is the
 * scene's true answer and r- another option, drawn balanced by answer per
 * template (sampleExample). They read the answer key, which self-generated
 * pairs never do, so results trained on them are labelled an upper bound,
 * never the method's result. Train-split scenes only. DOM-free.
 */
import { seededRandom } from '../../core/random';
import type { PairCategory } from '../../align';
import { TEMPLATES, sampleExample } from '../../synth';
import type { TrainPairSpec } from './trainPairs';

/** Splits `total` into `parts` near-equal integers (the first ones get the remainder). */
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/** `perCategory` oracle pairs of each category, spread evenly over its templates. */
export function oraclePairs(categories: readonly PairCategory[], perCategory: number, seed: number): TrainPairSpec[] {
  const r = seededRandom(seed, 'oracle pairs');
  const out: TrainPairSpec[] = [];
  for (const category of categories) {
    const templates = TEMPLATES.filter((t) => t.category === category);
    split(perCategory, templates.length).forEach((n, ti) => {
      for (let i = 0; i < n; i++) {
        const { scene, question } = sampleExample('train', r.int(0, 2 ** 31 - 1), templates[ti].id);
        const wrong = question.options.filter((o) => o !== question.answer);
        out.push({
          id: `oracle-${seed}-${category}-${ti}-${i}`,
          category,
          split: 'train',
          sceneSeed: scene.seed,
          question: question.text,
          chosen: question.answer,
          rejected: wrong[r.int(0, wrong.length - 1)],
        });
      }
    });
  }
  return out;
}
