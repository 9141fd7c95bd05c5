/** Held-out accuracy per category before and after training (the adapter merged), a table and a chart with 95% intervals. */
import { Suspense, lazy } from 'react';
import { SYNTH_CATEGORIES } from '../../eval';
import { CATEGORY_NAMES } from '../evaluate/categoryNames';
import { useWorkbench } from '../store';
import { checkBenchmark } from './alignSettings';
import { IdleButton, JobError, JobProgress } from './JobProgress';
import { NumberField } from './NumberField';

const BeforeAfterChart = lazy(() => import('./BeforeAfterChart'));

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const interval = ([lo, hi]: [number, number]) => `${(100 * lo).toFixed(0)}–${(100 * hi).toFixed(0)}`;

export function BeforeAfterPanel() {
  const settings = useWorkbench((s) => s.alignBenchmark);
  const set = useWorkbench((s) => s.setAlignBenchmark);
  const pairSeed = useWorkbench((s) => s.alignGeneration.seed);
  const result = useWorkbench((s) => s.beforeAfter);
  const { runBeforeAfter, cancelAlignBenchmark } = useWorkbench.getState();
  const problem = checkBenchmark(settings, pairSeed);
  const at = (f: string) => (problem?.field === f ? problem.message : null);
  const { before, after } = result ?? { before: null, after: null };
  return (
    <section className="align-panel" aria-label="Before and after" data-testid="align-before-after">
      <h3>4. Before / after on held-out scenes</h3>
      <div className="align-form">
        <NumberField label="Held-out seed" value={settings.seed} testId="align-bench-seed" problem={at('seed')} hint="eval-split scenes, another seed than the pairs'" onChange={(seed) => set({ seed })} />
        <NumberField label="Questions per category" value={settings.perCategory} testId="align-bench-n" problem={at('perCategory')} onChange={(perCategory) => set({ perCategory })} />
        <div className="align-actions">
          <IdleButton data-testid="align-bench-run" disabled={!!problem} onClick={() => void runBeforeAfter()}>Run before / after</IdleButton>
        </div>
      </div>
      <JobProgress job="benchmark" onStop={cancelAlignBenchmark} stopLabel="Cancel" />
      <JobError job="benchmark" />
      {before && (
        <>
          <table className="eval-table" data-testid="align-before-after-table" data-adapter={result!.adapter ?? ''}>
            <thead><tr><th>category</th><th>n</th><th>before</th><th>95% interval</th><th>after</th><th>95% interval</th><th>change</th></tr></thead>
            <tbody>
              {SYNTH_CATEGORIES.map((c) => (
                <tr key={c} data-testid="align-ba-row" data-category={c} data-before={before.accuracy[c]} data-after={after?.accuracy[c] ?? ''}>
                  <td>{CATEGORY_NAMES[c]}</td><td>{before.n[c]}</td>
                  <td>{pct(before.accuracy[c])}</td><td>{interval(before.interval[c])}</td>
                  <td>{after ? pct(after.accuracy[c]) : '–'}</td><td>{after ? interval(after.interval[c]) : ''}</td>
                  <td>{after ? `${((after.accuracy[c] - before.accuracy[c]) * 100).toFixed(1)} pts` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">Seed {result!.settings.seed}, {result!.settings.perCategory} questions per category; after: {result!.adapter ?? 'no adapter yet'}. Intervals are 95% Wilson intervals. General is the control set: alignment must not lower it.</p>
          <Suspense fallback={<p className="muted">drawing the chart…</p>}><BeforeAfterChart before={before} after={after} /></Suspense>
        </>
      )}
    </section>
  );
}
