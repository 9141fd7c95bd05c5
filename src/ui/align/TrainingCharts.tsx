/**
 * Live training curves (recharts): loss, rewards/accuracies, rewards/chosen,
 * rejected and margins, logps/chosen and rejected, per step, as TRL logs
 * them. Each chart subscribes to the metrics store itself and redraws at
 * most every REDRAW_MS, its turn offset from the others', so each redraw is
 * a task of its own; the charts are mounted with the view (empty), so none
 * is built mid-run. The axes are ours: the step axis spans the whole run,
 * the value axis a steady rounded range, with ticks given, so recharts
 * neither measures tick text nor recomputes an axis on most redraws (on a
 * busy 2-core machine that was most of a redraw's time). The latest values
 * are printed above each chart.
 */
import { memo, useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { Line, LineChart, XAxis, YAxis } from 'recharts';
import { useStore } from 'zustand';
import { CHART_GROUPS, type StepPoint, steadyRange, thinned, ticksOf, trainingMetrics } from './metricsStore';

/** Redraws at most this often, ms. */
const REDRAW_MS = 600;
/** Offset of one chart's redraw from the previous chart's, ms. */
const STAGGER_MS = 100;
/** Line colours of a chart's metrics, in order (design tokens). */
const COLOURS = ['var(--accent)', 'var(--danger)', 'var(--text)'];

/** The store's points, thinned, refreshed at most every REDRAW_MS from `offset` ms after a change. */
function usePoints(offset: number): StepPoint[] {
  const [data, setData] = useState<StepPoint[]>(() => thinned(trainingMetrics.getState().points));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastDrawn = -Infinity;
    const draw = () => {
      timer = null;
      lastDrawn = performance.now();
      const points = thinned(trainingMetrics.getState().points);
      // Drawn now, inside this timer's task: one chart per task, never batched with the next chart's redraw.
      flushSync(() => setData(points));
    };
    const unsubscribe = trainingMetrics.subscribe((s, before) => {
      if (s.points === before.points || timer) return;
      timer = setTimeout(draw, Math.max(0, REDRAW_MS - (performance.now() - lastDrawn)) + offset);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [offset]);
  return data;
}

/** Drawn before the first step: one point with no values, so each Line exists from the start and the first step only redraws it. */
const PLACEHOLDER = [{ step: 0 }] as unknown as StepPoint[];

/** As many decimals as the tick spacing needs, so neighbouring ticks never print alike. */
const decimalsFor = (ticks: readonly number[]) => Math.min(6, Math.max(0, Math.ceil(-Math.log10(Math.abs(ticks[1] - ticks[0]) || 1))));

type TickProps = { x?: number | string; y?: number | string; payload?: { value: number } };
// Plain SVG text for ticks: recharts' own Text measures each label in the DOM, a forced layout per tick per redraw.
const xTick = ({ x, y, payload }: TickProps) => <text x={x} y={Number(y) + 10} textAnchor="middle" className="align-tick">{payload?.value}</text>;
const yTickOf = (decimals: number) => ({ x, y, payload }: TickProps) => <text x={x} y={Number(y) + 3} textAnchor="end" className="align-tick">{payload ? payload.value.toFixed(decimals) : ''}</text>;

const Chart = memo(function Chart({ group, index }: { group: (typeof CHART_GROUPS)[number]; index: number }) {
  const data = usePoints(index * STAGGER_MS);
  const totalSteps = useStore(trainingMetrics, (s) => s.totalSteps);
  const last = data.at(-1);
  const xDomain: [number, number] = [0, Math.max(1, totalSteps, last?.step ?? 0)];
  const yDomain = useMemo(() => group.domain ?? steadyRange(data.flatMap((p) => group.metrics.map((m) => p[m]))), [data, group]);
  const xTicks = useMemo(() => ticksOf(xDomain, Math.min(5, xDomain[1] + 1)).map(Math.round), [xDomain[1]]);
  const yTicks = useMemo(() => ticksOf(yDomain), [yDomain[0], yDomain[1]]);
  const yTick = useMemo(() => yTickOf(decimalsFor(yTicks)), [yTicks]);
  return (
    <figure className="align-chart" data-testid="align-chart" data-metrics={group.metrics.join(' ')} data-points={data.length}>
      <figcaption>
        {group.metrics.map((m, i) => (
          <span key={m} className={`series-${i}`}>{m} <span className="muted">{last ? last[m].toFixed(3) : ''}</span> </span>
        ))}
      </figcaption>
      <LineChart width={300} height={150} data={data.length ? data : PLACEHOLDER} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
        <XAxis dataKey="step" type="number" domain={xDomain} ticks={xTicks} interval={0} tick={xTick} />
        <YAxis width={54} type="number" domain={yDomain} ticks={yTicks} interval={0} tick={yTick} />
        {group.metrics.map((m, i) => <Line key={m} type="linear" dataKey={m} stroke={COLOURS[i]} dot={false} isAnimationActive={false} strokeWidth={1.5} />)}
      </LineChart>
    </figure>
  );
});

export default function TrainingCharts() {
  return (
    <div className="align-charts" data-testid="align-charts">
      {CHART_GROUPS.map((g, i) => <Chart key={g.title} group={g} index={i} />)}
    </div>
  );
}
