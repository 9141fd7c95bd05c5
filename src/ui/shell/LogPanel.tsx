/** Everything that went wrong (and a few notices), where the user can read it, not only in the console. */
import { keyHint } from '../keyboard';
import { useWorkbench } from '../store';

export function LogButton() {
  const errors = useWorkbench((s) => s.log.filter((e) => e.level === 'error').length);
  const open = useWorkbench((s) => s.logOpen);
  const setOpen = useWorkbench((s) => s.setLogOpen);
  return (
    <button type="button" className={`log-button${errors ? ' has-errors' : ''}`} data-testid="log-button" title={keyHint('toggle-log')} onClick={() => setOpen(!open)}>
      Log{errors > 0 && <span className="badge">{errors}</span>}
    </button>
  );
}

export function LogPanel() {
  const open = useWorkbench((s) => s.logOpen);
  const log = useWorkbench((s) => s.log);
  const clear = useWorkbench((s) => s.clearLog);
  if (!open) return null;
  return (
    <aside className="log-panel" aria-label="Log" data-testid="log-panel">
      <header><h2>Log</h2><button type="button" onClick={clear}>Clear</button></header>
      {log.length === 0 ? <p className="muted">Nothing logged.</p> : (
        <ol>
          {log.map((e) => (
            <li key={e.id} className={e.level}>
              <time>{new Date(e.time).toLocaleTimeString()}</time> <strong>{e.subject}</strong> {e.message}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
