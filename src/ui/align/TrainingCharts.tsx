/**
 * Live training curves (recharts), one small chart per metric, as TRL logs
 * them. Points arrive by subscription to the metrics store, at most a few
 * redraws a second, inside a transition so React can yield between charts
 * and the main thread never holds one long task.
 */
import { memo, startTransition, useEffect, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_METRICS, type ChartMetric, type StepPoint, thinned, trainingMetrics } from './metricsStore';

/** Redraws at most this often, ms. */
const REDRAW_MS = 400;

const Chart = memo(function Chart({ metric, data }: { metric: ChartMetric; data: StepPoint[] }) {
  const last = data.at(-1)?.[metric];
  return (
    <figure className="align-chart" data-testid="align-chart" data-metric={metric} data-points={data.length}>
      <figcaption>{metric} <span className="muted">{last === undefined ? '' : last.toFixed(3)}</span></figcaption>
      <LineChart width={300} height={150} data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} tick={{ fontSize: 10 }} allowDecimals={false} />
        <YAxis width={44} tick={{ fontSize: 10 }} domain={metric === 'rewards/accuracies' ? [0, 1] : ['auto', 'auto']} tickFormatter={(v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2))} />
        <Tooltip isAnimationActive={false} formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(s) => `step ${s}`} />
        <Line type="linear" dataKey={metric} stroke="var(--accent)" dot={false} isAnimationActive={false} strokeWidth={1.5} />
      </LineChart>
    </figure>
  );
});

export default function TrainingCharts() {
  const [data, setData] = useState<StepPoint[]>(() => thinned(trainingMetrics.getState().points));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastDrawn = 0;
    const draw = () => {
      timer = null;
      lastDrawn = performance.now();
      const points = thinned(trainingMetrics.getState().points);
      startTransition(() => setData(points));
    };
    const unsubscribe = trainingMetrics.subscribe((s, before) => {
      if (s.points === before.points || timer) return;
      timer = setTimeout(draw, Math.max(0, REDRAW_MS - (performance.now() - lastDrawn)));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, []);
  if (!data.length) return <p className="muted" data-testid="align-charts-empty">No steps yet: the curves appear as training runs.</p>;
  return (
    <div className="align-charts" data-testid="align-charts">
      {CHART_METRICS.map((m) => <Chart key={m} metric={m} data={data} />)}
    </div>
  );
}
