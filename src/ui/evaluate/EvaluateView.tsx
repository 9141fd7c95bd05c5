/** Evaluate: the held-out benchmark of the synthetic world, run in the model Worker, per category and per template, on preferred and breaking views. */
import { Suspense, lazy, useEffect, useState } from 'react';
import { SYNTH_CATEGORIES } from '../../eval';
import { ModelStatus } from '../ask/AskPanel';
import { timeLeft } from '../format';
import { keyHint, viewActions } from '../keyboard';
import { useWorkbench } from '../store';
import { CATEGORY_NAMES } from './categoryNames';
import { PER_CATEGORY_RANGE, SEED_RANGE, parsePerCategory, parseSeed } from './evalInputs';
import './evaluate.css';

const AccuracyChart = lazy(() => import('./AccuracyChart'));

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const interval = ([lo, hi]: [number, number]) => `${(100 * lo).toFixed(0)}–${(100 * hi).toFixed(0)}`;

function useTicker(active: boolean) {
  const [, setNow] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(t);
  }, [active]);
}

export function EvaluateView() {
  const seed = useWorkbench((s) => s.evalSeed);
  const perCategory = useWorkbench((s) => s.evalPerCategory);
  const progress = useWorkbench((s) => s.evalProgress);
  const result = useWorkbench((s) => s.evalResult);
  const meta = useWorkbench((s) => s.evalMeta);
  const error = useWorkbench((s) => s.evalError);
  const { runBenchmark, cancelBenchmark } = useWorkbench.getState();
  const [seedText, setSeedText] = useState(String(seed));
  const [nText, setNText] = useState(String(perCategory));
  const seedParsed = parseSeed(seedText);
  const nParsed = parsePerCategory(nText);
  const valid = seedParsed.error === undefined && nParsed.error === undefined;
  useTicker(!!progress);

  const run = () => {
    if (valid && !progress) void runBenchmark(seedParsed.value!, nParsed.value!);
  };
  useEffect(() => {
    viewActions.runBenchmark = run;
    return () => { viewActions.runBenchmark = () => {}; };
  });

  return (
    <section className="evaluate" aria-label="Evaluate" data-testid="evaluate">
      <header className="detail-header"><h2>Held-out benchmark</h2><span className="muted">synthetic-world questions on scenes never used in pretraining, multiple choice by log-probability</span></header>
      <ModelStatus />
      <div className="eval-form">
        <label>
          Seed
          <input type="text" inputMode="numeric" value={seedText} data-testid="eval-seed" aria-invalid={seedParsed.error ? 'true' : undefined} onChange={(e) => setSeedText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && run()} />
          {seedParsed.error ? <span className="field-error" data-testid="eval-seed-error">{seedParsed.error}</span> : <span className="muted">{SEED_RANGE[0]} to {SEED_RANGE[1]}</span>}
        </label>
        <label>
          Questions per category
          <input type="text" inputMode="numeric" value={nText} data-testid="eval-per-category" aria-invalid={nParsed.error ? 'true' : undefined} onChange={(e) => setNText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && run()} />
          {nParsed.error ? <span className="field-error" data-testid="eval-per-category-error">{nParsed.error}</span> : <span className="muted">{PER_CATEGORY_RANGE[0]} to {PER_CATEGORY_RANGE[1]}, spread over each category's templates</span>}
        </label>
        <div className="eval-actions">
          <button type="button" className="primary" data-testid="eval-run" title={keyHint('run-benchmark')} disabled={!valid || !!progress} onClick={run}>Run benchmark</button>
        </div>
      </div>
      {progress && (
        <div className="progress-row" data-testid="eval-progress">
          <span>{progress.stage}</span>
          <progress max={progress.total} value={progress.done} />
          <span data-testid="eval-progress-text">{progress.total > 1 ? `${progress.done}/${progress.total} options` : ''}{timeLeft(progress, performance.now())}</span>
          <button type="button" data-testid="eval-cancel" title={keyHint('cancel')} onClick={cancelBenchmark}>Cancel</button>
        </div>
      )}
      {error && error.name === 'CancelledError' && <p className="note" data-testid="eval-cancelled">Benchmark cancelled{result ? '; the last result is shown below' : ''}.</p>}
      {error && error.name !== 'CancelledError' && <p className="card-error" role="alert" data-testid="eval-error"><strong>{error.name}</strong>: {error.message}</p>}
      {result && (
        <div className="eval-result" data-testid="eval-result" data-seed={result.seed}>
          <p className="muted" data-testid="eval-meta">
            Seed {result.seed}, {result.n.spatial} questions per category{meta ? `, on ${meta.provider} in ${(meta.ms / 1000).toFixed(1)} s, ${new Date(meta.at).toLocaleString()}` : ''}.
            Intervals are 95% Wilson intervals.
          </p>
          <Suspense fallback={<p className="muted">drawing the chart…</p>}><AccuracyChart result={result} /></Suspense>
          <table className="eval-table" data-testid="eval-table">
            <thead><tr><th>category</th><th>n</th><th>chance</th><th>preferred</th><th>95% interval</th><th>adversarial view</th><th>adversarial</th><th>95% interval</th><th>gap</th></tr></thead>
            <tbody>
              {SYNTH_CATEGORIES.map((c) => (
                <tr key={c} data-testid="eval-row" data-category={c}>
                  <td>{CATEGORY_NAMES[c]}</td>
                  <td>{result.n[c]}</td>
                  <td>{pct(result.chance[c])}</td>
                  <td data-testid="eval-accuracy">{pct(result.accuracy[c])}</td>
                  <td>{interval(result.interval[c])}</td>
                  <td>{result.adversarial_view[c]}</td>
                  <td>{pct(result.adversarial_accuracy[c])}</td>
                  <td>{interval(result.adversarial_interval[c])}</td>
                  <td>{((result.accuracy[c] - result.adversarial_accuracy[c]) * 100).toFixed(1)} pts</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Per template</h3>
          <table className="eval-table" data-testid="eval-template-table">
            <thead><tr><th>template</th><th>category</th><th>n</th><th>chance</th><th>preferred</th><th>adversarial</th></tr></thead>
            <tbody>
              {Object.entries(result.per_template).map(([id, t]) => (
                <tr key={id} data-testid="eval-template-row" data-template={id}>
                  <td>{id}</td><td>{CATEGORY_NAMES[t.category]}</td><td>{t.n}</td><td>{pct(t.chance)}</td><td>{pct(t.accuracy)}</td><td>{pct(t.adversarial_accuracy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!result && !progress && <p className="muted" data-testid="eval-empty">No result yet: run the benchmark ({keyHint('run-benchmark')}).</p>}
    </section>
  );
}
