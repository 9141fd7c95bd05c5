/** The current pair: frames, queries, chosen and rejected side by side; `E` edits them in place. */
import { useState } from 'react';
import { RECIPES } from '../../adversary';
import type { PreferencePair } from '../../pairs';
import { keyHint } from '../keyboard';
import { useWorkbench } from '../store';
import { PairFrames } from './PairFrames';

function Editor({ pair }: { pair: PreferencePair }) {
  const { saveEdit, setEditing } = useWorkbench.getState();
  const [draft, setDraft] = useState({ query: pair.query, adversarial_query: pair.adversarial_query, chosen: pair.chosen, rejected: pair.rejected, notes: pair.notes });
  const [tags, setTagText] = useState(pair.tags.join(', '));
  const field = (key: keyof typeof draft, label: string) => (
    <label className="edit-field">
      {label}
      <textarea data-testid={`edit-${key}`} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  );
  return (
    <form className="pair-editor" data-testid="pair-editor" onSubmit={(e) => { e.preventDefault(); void saveEdit(draft, tags.split(',')); }}>
      {field('query', 'Aligned query')}
      {field('adversarial_query', 'Adversarial query')}
      <div className="responses">{field('chosen', 'Chosen')}{field('rejected', 'Rejected')}</div>
      {field('notes', 'Notes')}
      <label className="edit-field">
        Tags (comma-separated)
        <input data-testid="edit-tags" value={tags} onChange={(e) => setTagText(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" data-testid="save-edit">Save</button>
        <button type="button" onClick={() => setEditing(false)}>Cancel</button>
      </div>
    </form>
  );
}

export function PairPanel({ pair }: { pair: PreferencePair }) {
  const editing = useWorkbench((s) => s.editing);
  const { decide, swapCurrent, setEditing } = useWorkbench.getState();
  const recipe = pair.adversary ? RECIPES.get(pair.adversary.recipe) : undefined;
  const recipeText = recipe ? `${recipe.label}${recipe.kind === 'visual' ? ' (extension)' : ''}` : pair.adversary ? pair.adversary.recipe : 'no adversary spec';
  return (
    <article className="pair-panel" data-testid="pair-panel" data-id={pair.id} data-status={pair.status}>
      <header className="pair-header">
        <span className="pair-info">
          <span className={`status-dot ${pair.status}`} />
          <strong data-testid="pair-status">{pair.status}</strong>
          <span className="badge">{pair.category}</span>
          <span className="muted" title={recipeText}>{recipeText}</span>
          {pair.margin !== null && <span className="muted" data-testid="pair-margin">margin {pair.margin.toFixed(3)}</span>}
          <span className="muted" title={`${pair.video.path || 'no video'} (pair ${pair.id})`}>{pair.video.path || 'no video'}</span>
        </span>
        {/* The decisions stay together on one line, always in view. */}
        <span className="pair-actions" data-testid="pair-actions">
          <button type="button" title={keyHint('accept-pair')} onClick={() => void decide('accepted')} data-testid="accept">Accept</button>
          <button type="button" title={keyHint('reject-pair')} onClick={() => void decide('rejected')} data-testid="reject">Reject</button>
          <button type="button" title={keyHint('swap-pair')} onClick={() => void swapCurrent()} data-testid="swap">Swap</button>
          <button type="button" title={keyHint('edit-pair')} onClick={() => setEditing(true)} data-testid="edit">Edit</button>
        </span>
      </header>
      <PairFrames pair={pair} />
      {editing ? <Editor pair={pair} /> : (
        <>
          <p className="aligned"><span className="muted">Aligned query</span> <span data-testid="pair-query">{pair.query}</span></p>
          {pair.adversarial_query && <p><span className="muted">Adversarial query</span> <span data-testid="pair-adversarial-query">{pair.adversarial_query}</span></p>}
          <div className="responses">
            <section className="response chosen"><h3>Chosen</h3><p data-testid="pair-chosen">{pair.chosen}</p></section>
            <section className="response rejected"><h3>Rejected</h3><p data-testid="pair-rejected">{pair.rejected}</p></section>
          </div>
          {pair.notes && <p className="note">{pair.notes}</p>}
          {pair.tags.length > 0 && <p data-testid="pair-tags">{pair.tags.map((t) => <span key={t} className="badge">{t}</span>)}</p>}
          {pair.edits.length > 0 && <p className="muted" data-testid="pair-edits">{pair.edits.length} edits, last: {pair.edits.at(-1)!.field}</p>}
        </>
      )}
    </article>
  );
}
