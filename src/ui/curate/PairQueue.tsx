/** The queue: one row per pair (a window around the current one), with bulk selection. */
import type { PreferencePair } from '../../pairs';
import { useWorkbench } from '../store';

/** Rows drawn around the current pair; a 10,000-pair queue stays fast. */
const WINDOW = 150;

export function PairQueue({ pairs, current }: { pairs: PreferencePair[]; current: PreferencePair | null }) {
  const bulk = useWorkbench((s) => s.bulk);
  const selected = useWorkbench((s) => s.selectedPairs);
  const { selectPair, toggleSelected } = useWorkbench.getState();
  const at = Math.max(0, pairs.findIndex((p) => p.id === current?.id));
  const start = Math.max(0, at - WINDOW / 2);
  const shown = pairs.slice(start, start + WINDOW);
  return (
    <ol className="pair-queue" data-testid="pair-queue" start={start + 1}>
      {start > 0 && <li className="muted">… {start} before</li>}
      {shown.map((p) => (
        <li key={p.id} className={`queue-row ${p.status}${p.id === current?.id ? ' current' : ''}`} data-testid="queue-row" data-id={p.id} data-status={p.status} onClick={() => selectPair(p.id)}>
          {bulk && <input type="checkbox" aria-label={`select ${p.id}`} checked={selected.includes(p.id)} onChange={() => toggleSelected(p.id)} onClick={(e) => e.stopPropagation()} />}
          <span className={`status-dot ${p.status}`} title={p.status} />
          <span className="badge">{p.category}</span>
          <span className="queue-text">{p.query}</span>
        </li>
      ))}
      {start + WINDOW < pairs.length && <li className="muted">… {pairs.length - start - WINDOW} more</li>}
    </ol>
  );
}
