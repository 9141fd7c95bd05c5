/** Before and after accuracy per category as bars with 95% intervals (recharts). */
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { BenchmarkResult } from '../../eval';
import { beforeAfterRows } from './beforeAfterRows';

export default function BeforeAfterChart({ before, after }: { before: BenchmarkResult; after: BenchmarkResult | null }) {
  return (
    <div className="eval-chart" data-testid="align-before-after-chart">
      <BarChart width={620} height={250} data={beforeAfterRows(before, after)} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="category" />
        <YAxis domain={[0, 100]} unit="%" />
        <Tooltip formatter={(v) => `${v}%`} isAnimationActive={false} />
        <Legend itemSorter={null} />
        <Bar dataKey="before" name="before (base model)" fill="var(--muted)" isAnimationActive={false}>
          <ErrorBar dataKey="beforeError" width={6} isAnimationActive={false} />
        </Bar>
        {after && (
          <Bar dataKey="after" name="after (adapter merged)" fill="var(--accent)" isAnimationActive={false}>
            <ErrorBar dataKey="afterError" width={6} isAnimationActive={false} />
          </Bar>
        )}
      </BarChart>
    </div>
  );
}
