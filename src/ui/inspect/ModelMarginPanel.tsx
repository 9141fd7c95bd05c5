/**
 * The built-in model on Inspect's current pair of views: its answer on the
 * preferred and on the adversarial view, and the log-probability margin
 * between the two answers. Only for a query whose words the model knows
 * (its vocabulary is the synthetic world's); otherwise it says which words it does not know.
 */
import { useEffect, useRef, useState } from 'react';
import { serializeError } from '../../core/errors';
import { pickUniform } from '../ask/modelFrames';
import { someKnownWords, unknownWords } from '../ask/vocabulary';
import { modelWorker } from '../modelWorker';
import { useWorkbench } from '../store';
import type { RenderedView } from '../store/inspectSlice';
import './inspect-model.css';

interface MarginResult {
  query: string;
  preferred: string;
  adversarial: string;
  /** log p of [preferred answer, adversarial answer] on [preferred view, adversarial view]. */
  logps: [[number, number], [number, number]];
}

/** log p(preferred view's answer) − log p(adversarial view's answer), both given the preferred view: how strongly the model prefers its own answer there. */
export const marginOf = (r: MarginResult) => r.logps[0][0] - r.logps[0][1];

export function ModelMarginPanel({ rendered }: { rendered: RenderedView }) {
  const aligned = rendered.view.query.aligned;
  const [query, setQuery] = useState(aligned);
  const [on, setOn] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<MarginResult | null>(null);
  const [error, setError] = useState<{ name: string; message: string } | null>(null);
  const info = useWorkbench((s) => s.modelInfo);
  const loadModel = useWorkbench((s) => s.loadModel);
  const run = useRef(0);

  useEffect(() => setQuery(aligned), [aligned]);
  const unknown = info ? unknownWords(query, info.vocabulary) : [];

  const ask = async () => {
    const mine = ++run.current;
    setOn(true);
    setBusy(true);
    setError(null);
    try {
      const model = await loadModel();
      if (!model) throw Object.assign(new Error(useWorkbench.getState().modelError?.message ?? 'the model did not load'), { name: useWorkbench.getState().modelError?.name ?? 'Error' });
      if (unknownWords(query, model.vocabulary).length) return setResult(null);
      const views = [rendered.preferred, rendered.adversarial].map((f) => pickUniform(f, model.frames, model.imageSize));
      const [p, a] = [await modelWorker().call('generate', { frames: views[0], question: query }), await modelWorker().call('generate', { frames: views[1], question: query })];
      const scores = await modelWorker().call('score', { items: views.flatMap((frames) => [p.text, a.text].map((answer) => ({ frames, question: query, answer }))) });
      if (mine !== run.current) return;
      setResult({ query, preferred: p.text, adversarial: a.text, logps: [[scores[0].logp, scores[1].logp], [scores[2].logp, scores[3].logp]] });
    } catch (e) {
      if (mine !== run.current) return;
      const s = serializeError(e);
      setError({ name: s.name, message: s.message });
      setResult(null);
      useWorkbench.getState().addLog('error', 'inspect model', `${s.name}: ${s.message}`);
    } finally {
      if (mine === run.current) setBusy(false);
    }
  };

  // Once asked, the panel follows the views: a new recipe, seed or query asks again.
  useEffect(() => {
    if (on) void ask();
  }, [rendered]);

  const shown = result && result.query === query ? result : null;
  return (
    <section className="inspect-model" aria-label="The built-in model on both views" data-testid="inspect-model">
      <h3>Built-in model on both views</h3>
      <label>
        Query for the model
        <input type="text" value={query} data-testid="inspect-model-query" onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void ask()} />
      </label>
      <div className="inspect-model-actions">
        <button type="button" data-testid="inspect-model-run" disabled={busy || !query.trim()} onClick={() => void ask()}>Ask on both views</button>
        {busy && <span className="muted">answering…</span>}
      </div>
      {info && unknown.length > 0 && (
        <p className="note" data-testid="inspect-model-unknown">
          Not asked: the model does not know {unknown.map((w) => `"${w}"`).join(', ')}. It reads only the synthetic world's words
          (such as {someKnownWords(info.vocabulary, 8).join(', ')}); type a query with them above.
        </p>
      )}
      {error && <p className="card-error" role="alert" data-testid="inspect-model-error"><strong>{error.name}</strong>: {error.message}</p>}
      {shown && unknown.length === 0 && (
        <table className="inspect-model-table" data-testid="inspect-model-result">
          <thead><tr><th>answer</th><th>log p | preferred</th><th>log p | adversarial</th></tr></thead>
          <tbody>
            <tr><td>preferred view: <strong data-testid="inspect-model-preferred">{shown.preferred || '(empty)'}</strong></td><td>{shown.logps[0][0].toFixed(3)}</td><td>{shown.logps[1][0].toFixed(3)}</td></tr>
            <tr><td>adversarial view: <strong data-testid="inspect-model-adversarial">{shown.adversarial || '(empty)'}</strong></td><td>{shown.logps[0][1].toFixed(3)}</td><td>{shown.logps[1][1].toFixed(3)}</td></tr>
          </tbody>
          <tfoot>
            <tr><td colSpan={3} data-testid="inspect-model-margin" data-margin={marginOf(shown)}>
              margin {marginOf(shown).toFixed(3)} <span className="muted">= log p(preferred answer) − log p(adversarial answer), on the preferred view{shown.preferred === shown.adversarial ? '; the answers are the same' : ''}</span>
            </td></tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
