/** Accuracy per category on the preferred and the adversarial view, with 95% Wilson intervals as error bars (recharts). */
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { BenchmarkResult } from '../../eval';
import { SYNTH_CATEGORIES } from '../../eval';
import { CATEGORY_NAMES } from './categoryNames';

/** Percent, with the interval as [below, above] the value (what ErrorBar draws). */
export function chartRows(result: BenchmarkResult) {
  const pct = (x: number) => Math.round(x * 1000) / 10;
  return SYNTH_CATEGORIES.map((c) => {
    const a = result.accuracy[c], [lo, hi] = result.interval[c];
    const b = result.adversarial_accuracy[c], [blo, bhi] = result.adversarial_interval[c];
    return {
      category: CATEGORY_NAMES[c],
      preferred: pct(a), preferredError: [pct(a - lo), pct(hi - a)],
      adversarial: pct(b), adversarialError: [pct(b - blo), pct(bhi - b)],
    };
  });
}

export default function AccuracyChart({ result }: { result: BenchmarkResult }) {
  return (
    <div className="eval-chart" data-testid="eval-chart">
      <BarChart width={680} height={280} data={chartRows(result)} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="category" />
        <YAxis domain={[0, 100]} unit="%" />
        <Tooltip formatter={(v) => `${v}%`} isAnimationActive={false} />
        <Legend itemSorter={null} />
        <Bar dataKey="preferred" name="preferred view" fill="var(--accent)" isAnimationActive={false}>
          <ErrorBar dataKey="preferredError" width={6} isAnimationActive={false} />
        </Bar>
        <Bar dataKey="adversarial" name="adversarial (breaking) view" fill="var(--danger)" fillOpacity={0.75} isAnimationActive={false}>
          <ErrorBar dataKey="adversarialError" width={6} isAnimationActive={false} />
        </Bar>
      </BarChart>
    </div>
  );
}
