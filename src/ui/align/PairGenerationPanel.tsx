/** Pair generation: what to ask, from which views, the keep rule as written, then the yield and precision per category before any training. */
import { useEffect } from 'react';
import { CANDIDATE_SOURCES, PAIR_CATEGORIES, type PairCategory, pairRule } from '../../align';
import { CATEGORY_NAMES } from '../evaluate/categoryNames';
import { keyHint, viewActions } from '../keyboard';
import { useWorkbench } from '../store';
import { checkGeneration } from './alignSettings';
import { IdleButton, JobError, JobProgress } from './JobProgress';
import { NumberField } from './NumberField';
import { PairSummaryTable } from './PairSummaryTable';

const SOURCE_IDS = Object.keys(CANDIDATE_SOURCES);

export function PairGenerationPanel() {
  const settings = useWorkbench((s) => s.alignGeneration);
  const set = useWorkbench((s) => s.setAlignGeneration);
  const added = useWorkbench((s) => s.pairsAdded);
  const { generatePairs, stopPairs, setView } = useWorkbench.getState();
  const problem = checkGeneration(settings);
  const at = (field: string) => (problem?.field === field ? problem.message : null);
  const run = () => {
    if (!problem && !useWorkbench.getState().alignJob) void generatePairs();
  };
  useEffect(() => {
    viewActions.generatePairs = run;
    return () => { viewActions.generatePairs = () => {}; };
  });

  const toggleCategory = (c: PairCategory) =>
    set({ categories: settings.categories.includes(c) ? settings.categories.filter((x) => x !== c) : PAIR_CATEGORIES.filter((x) => x === c || settings.categories.includes(x)) });
  const toggleSource = (c: PairCategory, id: string) => {
    const mine = settings.sources[c] ?? [];
    const next = mine.includes(id) ? mine.filter((x) => x !== id) : SOURCE_IDS.filter((x) => x === id || mine.includes(x));
    set({ sources: { ...settings.sources, [c]: next } });
  };

  return (
    <section className="align-panel" aria-label="Pair generation" data-testid="align-pairs">
      <h3>1. Pairs from the model itself</h3>
      <div className="align-form">
        <fieldset className="align-field">
          <legend>Categories</legend>
          {PAIR_CATEGORIES.map((c) => (
            <label key={c} className="align-check">
              <input type="checkbox" checked={settings.categories.includes(c)} data-testid={`align-category-${c}`} onChange={() => toggleCategory(c)} />
              {CATEGORY_NAMES[c]}
            </label>
          ))}
          {at('categories') && <span className="field-error">{at('categories')}</span>}
        </fieldset>
        <NumberField label="Pairs" value={settings.pairs} testId="align-pair-count" problem={at('pairs')} hint="split evenly over categories, then templates" onChange={(pairs) => set({ pairs })} />
        <NumberField label="Seed" value={settings.seed} testId="align-pair-seed" problem={at('seed')} hint="train-split scenes" onChange={(seed) => set({ seed })} />
        <NumberField label="Min. log-prob gap of r+" value={settings.minGap} testId="align-min-gap" problem={at('minGap')} hint="0 keeps every question" onChange={(minGap) => set({ minGap })} />
        <label className="align-field">
          Balance
          <select value={settings.balance} data-testid="align-balance" onChange={(e) => set({ balance: e.target.value as 'per-template' | 'none' })}>
            <option value="per-template">per template, by chosen answer</option>
            <option value="none">none</option>
          </select>
        </label>
      </div>
      <details className="align-sources">
        <summary>Candidate sources of r- (in order; the first to give a rejected answer keeps it)</summary>
        <table className="eval-table">
          <thead><tr><th>source</th>{settings.categories.map((c) => <th key={c}>{CATEGORY_NAMES[c]}</th>)}</tr></thead>
          <tbody>
            {SOURCE_IDS.map((id) => (
              <tr key={id}>
                <td>{CANDIDATE_SOURCES[id].label} <span className="muted">({CANDIDATE_SOURCES[id].kind === 'paper' ? 'paper' : 'visual extension'})</span></td>
                {settings.categories.map((c) => (
                  <td key={c}><input type="checkbox" aria-label={`${id} for ${c}`} checked={(settings.sources[c] ?? []).includes(id)} onChange={() => toggleSource(c, id)} /></td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {problem?.field.startsWith('sources.') && <span className="field-error">{problem.message}</span>}
      </details>
      <p className="align-rule" data-testid="align-rule"><strong>Keep rule:</strong> {Number.isFinite(settings.minGap) && settings.minGap >= 0 ? pairRule(settings.minGap).text : '(fix the gap)'}</p>
      <div className="align-actions">
        <IdleButton className="primary" data-testid="align-generate" title={keyHint('generate-pairs')} disabled={!!problem} onClick={run}>Generate pairs</IdleButton>
      </div>
      <JobProgress job="pairs" onStop={stopPairs} stopLabel="Stop (keep pairs so far)" />
      <JobError job="pairs" />
      <PairSummaryTable />
      {added && (
        <p className="note" data-testid="align-pairs-added" data-added={added.added}>
          {added.added} new pairs in the pair store{added.kept ? `; ${added.kept} it had already were kept as curated` : ''}.{' '}
          <button type="button" className="link" onClick={() => setView('curate')}>Curate them</button>
        </p>
      )}
    </section>
  );
}
