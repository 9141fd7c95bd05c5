/** The adapter on/off switch (top bar and Align view): every Ask, Inspect and Evaluate pass uses the adapter when on. Shown once there is an adapter. */
import { keyHint } from '../keyboard';
import { useWorkbench } from '../store';

export function AdapterSwitch() {
  const meta = useWorkbench((s) => s.adapterMeta);
  const on = useWorkbench((s) => s.adapterOn);
  const setOn = useWorkbench((s) => s.setAdapterOn);
  if (!meta) return null;
  return (
    <label className="adapter-switch" title={keyHint('toggle-adapter')}>
      <input type="checkbox" checked={on} data-testid="adapter-switch" onChange={(e) => void setOn(e.target.checked)} />
      Adapter {on ? 'on' : 'off'}
    </label>
  );
}
