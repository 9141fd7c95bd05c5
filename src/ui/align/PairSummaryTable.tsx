/** Yield (kept / candidates) and precision (r+ right and r- wrong, by ground truth, reported only) per category, before training. */
import { CATEGORY_NAMES } from '../evaluate/categoryNames';
import { useWorkbench } from '../store';
import type { SynthCategory } from '../../synth';

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(0)}%`);

export function PairSummaryTable() {
  const summary = useWorkbench((s) => s.pairSummary);
  if (!summary) return null;
  const rows = Object.entries(summary.perCategory);
  return (
    <div data-testid="align-pair-summary" data-ended={summary.ended}>
      <p className="muted">
        {rows.reduce((s, [, r]) => s + r.pairs, 0)} pairs from {summary.questions} questions in {summary.seconds.toFixed(1)} s
        {summary.ended === 'stopped' ? ' (stopped: the pairs so far are kept)' : summary.ended === 'budget' ? ' (question budget spent before every quota was met)' : ''}.
        Precision reads the ground truth only to report it; it never makes or filters a pair.
      </p>
      <table className="eval-table">
        <thead><tr><th>category</th><th>questions</th><th>candidates</th><th>kept</th><th>yield</th><th>pairs</th><th>precision</th><th>r+ right</th></tr></thead>
        <tbody>
          {rows.map(([c, r]) => (
            <tr key={c} data-testid="align-pair-row" data-category={c} data-pairs={r.pairs}>
              <td>{CATEGORY_NAMES[c as SynthCategory] ?? c}</td><td>{r.questions}</td><td>{r.candidates}</td><td>{r.kept}</td>
              <td data-testid="align-yield">{pct(r.yield)}</td><td>{r.pairs}</td><td data-testid="align-precision">{pct(r.precision)}</td><td>{pct(r.chosenRight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.givenUp.length > 0 && <p className="note">Given up (the model answers them the same on every view): {summary.givenUp.join(', ')}</p>}
      {rows.some(([, r]) => r.pairs === 0) && <p className="card-error" role="alert">A category yielded no pairs: the model is blind to what its adversary changes, so there is nothing to prefer.</p>}
    </div>
  );
}
