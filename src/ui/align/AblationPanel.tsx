/** The ablation runner: one adapter per category and one for all three, each on all four held-out categories, in a table shaped like the paper's Table 2. */
import { SYNTH_CATEGORIES } from '../../eval';
import { CATEGORY_NAMES } from '../evaluate/categoryNames';
import { useWorkbench } from '../store';
import { ablationPlan, ablationTable } from './ablation';
import { IdleButton, JobError, JobProgress } from './JobProgress';
import { NumberField } from './NumberField';

export function AblationPanel() {
  const options = useWorkbench((s) => s.alignAblation);
  const set = useWorkbench((s) => s.setAlignAblation);
  const ablation = useWorkbench((s) => s.ablation);
  const { runAblation, stopAblation } = useWorkbench.getState();
  const plan = ablation?.plan.length ? ablation.plan : ablationPlan(options.withOracle);
  const rows = ablationTable(plan, ablation?.base ?? null, ablation?.outcomes ?? {});
  const valid = options.seconds > 0 && Number.isInteger(options.oraclePerCategory) && options.oraclePerCategory >= 1;
  return (
    <section className="align-panel" aria-label="Ablation" data-testid="align-ablation">
      <h3>5. Ablation (the paper's Table 2)</h3>
      <div className="align-form">
        <NumberField label="Seconds per adapter" value={options.seconds} testId="align-ablation-seconds" onChange={(seconds) => set({ seconds })} hint="the training settings above, with this time limit" />
        <label className="align-check">
          <input type="checkbox" checked={options.withOracle} data-testid="align-ablation-oracle" onChange={(e) => set({ withOracle: e.target.checked })} />
          also with ground-truth ("oracle") pairs, an upper bound
        </label>
        <NumberField label="Oracle pairs per category" value={options.oraclePerCategory} testId="align-ablation-oracle-n" onChange={(oraclePerCategory) => set({ oraclePerCategory })} />
        <div className="align-actions">
          <IdleButton data-testid="align-ablation-run" disabled={!valid} onClick={() => void runAblation()}>Run the ablation</IdleButton>
        </div>
      </div>
      <JobProgress job="ablation" onStop={stopAblation} />
      <JobError job="ablation" />
      <table className="eval-table" data-testid="align-ablation-table">
        <thead><tr><th>adapter</th><th>pairs</th>{SYNTH_CATEGORIES.map((c) => <th key={c}>{CATEGORY_NAMES[c]}</th>)}</tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid="align-ablation-row" data-key={r.key} className={r.kind === 'oracle' ? 'oracle-row' : undefined}>
              <td>{r.label}</td>
              <td>{r.pairs ?? ''}</td>
              {r.error ? <td colSpan={4} className="field-error">{r.error}</td> : SYNTH_CATEGORIES.map((c) => {
                const cell = r.cells?.[c];
                return (
                  <td key={c} title={cell ? `95% interval ${cell.interval[0]}–${cell.interval[1]}%` : undefined}>
                    {cell ? `${cell.accuracy.toFixed(1)}%` : r.pending ? '…' : ''}
                    {cell?.change != null && <span className={cell.change >= 0 ? 'gain' : 'loss'}> ({cell.change >= 0 ? '+' : ''}{cell.change.toFixed(1)})</span>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Each adapter is trained from scratch on that row's pairs (self-generated from the pair store; oracle rows on ground-truth pairs, which the method never sees: an upper bound, not a result), then measured on the held-out benchmark above.</p>
    </section>
  );
}
