/** All three categories of one video at once: each category's preferred and adversarial strips, small. */
import { CATEGORIES, RECIPES } from '../../adversary';
import { FrameCanvas } from '../FrameCanvas';
import { useWorkbench } from '../store';

export function CategoryGrid() {
  const grid = useWorkbench((s) => s.gridRendered);
  const specs = useWorkbench((s) => s.specs);
  const setCategory = useWorkbench((s) => s.setCategory);
  const toggleGrid = useWorkbench((s) => s.toggleGrid);
  return (
    <div className="category-grid" data-testid="category-grid">
      {CATEGORIES.map((c) => {
        const r = grid[c];
        return (
          <section key={c} className="grid-row" aria-label={c} data-testid={`grid-${c}`}>
            <h3>
              <button type="button" className="link" onClick={() => { toggleGrid(); setCategory(c); }}>{c}</button>{' '}
              <span className="muted">{RECIPES.get(specs[c].recipe)?.label} · seed {specs[c].seed}</span>
            </h3>
            {!r && <p className="muted">Rendering…</p>}
            {r && 'message' in r && <p className="card-error" role="alert"><strong>{r.name}</strong>: {r.message}</p>}
            {r && 'view' in r && (['preferred', 'adversarial'] as const).map((side) => (
              <div key={side} className="grid-strip" data-testid={`grid-${c}-${side}`}>
                <span className="muted">{side}</span>
                {r[side].map((f, i) => <FrameCanvas key={i} frame={f} title={`#${i} f${r.view[side].frames[i].index}`} />)}
              </div>
            ))}
          </section>
        );
      })}
    </div>
  );
}
