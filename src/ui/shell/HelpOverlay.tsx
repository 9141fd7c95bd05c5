/** `?`: every shortcut of the current view. */
import { shortcutsOf } from '../keyboard';
import { useWorkbench } from '../store';
import { VIEW_LABELS } from './views';

export function HelpOverlay() {
  const open = useWorkbench((s) => s.helpOpen);
  const setOpen = useWorkbench((s) => s.setHelpOpen);
  const view = useWorkbench((s) => s.view);
  if (!open) return null;
  return (
    <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={() => setOpen(false)}>
      <div className="overlay-panel" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts: {VIEW_LABELS[view]}</h2>
        <table className="shortcuts" data-testid="shortcut-list">
          <tbody>
            {shortcutsOf(view).map((s) => (
              <tr key={s.id}><td><kbd>{s.label}</kbd></td><td>{s.description}</td></tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={() => setOpen(false)}>Close</button>
      </div>
    </div>
  );
}
