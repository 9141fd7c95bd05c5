/** Each option's log-probability as a small horizontal bar chart (recharts); the model's choice and the ground truth are marked. */
import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';

export interface LogpChartProps {
  options: string[];
  logps: number[];
  choice: string | null;
  truth: string | null;
}

export default function LogpChart({ options, logps, choice, truth }: LogpChartProps) {
  const data = options.map((option, i) => ({ option, logp: Number(logps[i].toFixed(4)) }));
  const height = 28 + 26 * options.length;
  return (
    <div className="ask-chart" data-testid="ask-chart">
      <BarChart width={420} height={height} data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" domain={['auto', 0]} tickFormatter={(v: number) => v.toFixed(1)} />
        <YAxis type="category" dataKey="option" width={120} interval={0} />
        <Tooltip formatter={(v) => [`${Number(v).toFixed(3)}`, 'log p']} isAnimationActive={false} />
        <Bar dataKey="logp" fill="var(--muted)" isAnimationActive={false}>
          {data.map((d) => (
            <Cell key={d.option} className={`logp-bar${d.option === choice ? ' choice' : ''}${d.option === truth ? ' truth' : ''}`} />
          ))}
        </Bar>
      </BarChart>
    </div>
  );
}
