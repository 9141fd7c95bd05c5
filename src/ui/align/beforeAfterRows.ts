/** The before/after chart's rows: percent per category with each 95% interval as its distance below and above the bar (what ErrorBar draws). DOM-free. */
import { type BenchmarkResult, SYNTH_CATEGORIES } from '../../eval';
import { CATEGORY_NAMES } from '../evaluate/categoryNames';

const pct = (x: number) => Math.round(x * 1000) / 10;
const around = (r: BenchmarkResult, c: (typeof SYNTH_CATEGORIES)[number]) => [pct(r.accuracy[c] - r.interval[c][0]), pct(r.interval[c][1] - r.accuracy[c])];

export function beforeAfterRows(before: BenchmarkResult, after: BenchmarkResult | null) {
  return SYNTH_CATEGORIES.map((c) => ({
    category: CATEGORY_NAMES[c],
    before: pct(before.accuracy[c]),
    beforeError: around(before, c),
    ...(after && { after: pct(after.accuracy[c]), afterError: around(after, c) }),
  }));
}
