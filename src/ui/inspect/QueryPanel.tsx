/**
 * The aligned query with its entity slots, and its three false-premise
 * rewrites. All shown as text. Slots the user has not filled are shown as
 * placeholders: empty boxes with an example, and the example words marked in
 * the queries, so a default ("person") never passes for what is in the video.
 */
import { Fragment } from 'react';
import { QUERY_TEMPLATES, fillTemplate } from '../../adversary';
import { useWorkbench } from '../store';
import type { RenderedView } from '../store/inspectSlice';

/** `text` (a template) filled from `slots`, the words of unfilled slots marked as placeholders. */
function FilledText({ text, slots, filled }: { text: string; slots: Readonly<Record<string, string>>; filled: ReadonlySet<string> }) {
  const parts = text.split(/(\{[a-z]+!?\})/g);
  return (
    <>
      {parts.map((part, i) => {
        const slot = /^\{([a-z]+)!?\}$/.exec(part)?.[1];
        if (!slot) return <Fragment key={i}>{part}</Fragment>;
        const words = fillTemplate(part, slots);
        return filled.has(slot)
          ? <Fragment key={i}>{words}</Fragment>
          : <mark key={i} className="slot-placeholder" data-testid="slot-placeholder" data-slot={slot} title={`example for "${slot}": fill it in with what is in your video`}>{words}</mark>;
      })}
    </>
  );
}

export function QueryPanel({ rendered }: { rendered: RenderedView }) {
  const setSlot = useWorkbench((s) => s.setSlot);
  const setParam = useWorkbench((s) => s.setParam);
  const userSlots = useWorkbench((s) => s.slots);
  const { query, spec } = rendered.view;
  const templates = QUERY_TEMPLATES.filter((t) => t.category === spec.category);
  const template = QUERY_TEMPLATES.find((t) => t.id === query.template);
  const filled = new Set(Object.keys(query.slots).filter((name) => (userSlots[name] ?? '').trim() !== ''));
  const unfilled = Object.keys(query.slots).filter((name) => !filled.has(name));
  return (
    <section className="query-panel" aria-label="Queries" data-testid="query-panel">
      <label>
        Query template
        <select value={query.template} onChange={(e) => setParam('template', e.target.value)} data-testid="template-select">
          {templates.map((t) => <option key={t.id} value={t.id}>{t.aspect}</option>)}
        </select>
      </label>
      <p className={unfilled.length ? 'slot-hint' : 'slot-hint muted'} data-testid="slot-hint">
        {unfilled.length
          ? <>Fill in: what is in your video. Until then the queries use example words, <mark className="slot-placeholder">marked like this</mark> ({unfilled.join(', ')}).</>
          : 'Slots filled: the queries name what is in your video.'}
      </p>
      <div className="slots">
        {Object.entries(query.slots).map(([name, value]) => (
          <label key={`${query.template}.${name}`}>
            {name}
            <input
              defaultValue={userSlots[name] ?? ''}
              placeholder={`e.g. ${template?.defaults[name] ?? value}`}
              title={filled.has(name) ? undefined : 'A placeholder: fill in with what is in your video'}
              data-testid={`slot-${name}`}
              data-filled={filled.has(name)}
              onBlur={(e) => e.target.value !== (userSlots[name] ?? '') && setSlot(name, e.target.value)}
            />
          </label>
        ))}
      </div>
      <p className="aligned" data-testid="aligned-query">
        <span className="muted">Aligned</span> {template ? <FilledText text={template.aligned} slots={query.slots} filled={filled} /> : query.aligned}
      </p>
      <ol className="rewrites" data-testid="rewrites">
        {query.rewrites.map((r) => (
          <li key={r.kind}>
            <span className="badge">{r.kind}</span> {template?.rewrites[r.kind] ? <FilledText text={template.rewrites[r.kind]!} slots={query.slots} filled={filled} /> : r.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
