/** The aligned query with its entity slots, and its three false-premise rewrites. All shown as text. */
import { QUERY_TEMPLATES } from '../../adversary';
import { useWorkbench } from '../store';
import type { RenderedView } from '../store/inspectSlice';

export function QueryPanel({ rendered }: { rendered: RenderedView }) {
  const setSlot = useWorkbench((s) => s.setSlot);
  const setParam = useWorkbench((s) => s.setParam);
  const { query, spec } = rendered.view;
  const templates = QUERY_TEMPLATES.filter((t) => t.category === spec.category);
  return (
    <section className="query-panel" aria-label="Queries" data-testid="query-panel">
      <label>
        Query template
        <select value={query.template} onChange={(e) => setParam('template', e.target.value)} data-testid="template-select">
          {templates.map((t) => <option key={t.id} value={t.id}>{t.aspect}</option>)}
        </select>
      </label>
      <div className="slots">
        {Object.entries(query.slots).map(([name, value]) => (
          <label key={`${query.template}.${name}`}>
            {name}
            <input defaultValue={value} data-testid={`slot-${name}`} onBlur={(e) => e.target.value !== value && setSlot(name, e.target.value)} />
          </label>
        ))}
      </div>
      <p className="aligned" data-testid="aligned-query"><span className="muted">Aligned</span> {query.aligned}</p>
      <ol className="rewrites" data-testid="rewrites">
        {query.rewrites.map((r) => (
          <li key={r.kind}><span className="badge">{r.kind}</span> {r.text}</li>
        ))}
      </ol>
    </section>
  );
}
