/** The adapter: which one the model views use, the on/off switch, download in PEFT's layout, and loading one from files. */
import { useRef, useState } from 'react';
import { serializeError } from '../../core/errors';
import { ADAPTER_FILES, type AdapterFile } from '../../model';
import { alignWorker, ensureAlignModel } from '../alignWorker';
import { useWorkbench } from '../store';
import { adapterFilesNow } from '../store/adapterSlice';
import { adapterFilesOf } from './adapterFiles';
import { AdapterSwitch } from './AdapterSwitch';
import { canResume } from './trainRun';

/** Saves files through the browser's download, one per file, under PEFT's names. */
function download(files: Record<AdapterFile, Uint8Array>, names: readonly AdapterFile[] = ADAPTER_FILES) {
  for (const name of names) {
    const url = URL.createObjectURL(new Blob([files[name] as BlobPart], { type: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

export function AdapterPanel() {
  const meta = useWorkbench((s) => s.adapterMeta);
  const on = useWorkbench((s) => s.adapterOn);
  const error = useWorkbench((s) => s.adapterError);
  const modelAdapter = useWorkbench((s) => s.modelInfo?.adapter);
  const run = useWorkbench((s) => s.alignRun);
  const { setActiveAdapter, setAdapterOn, addLog } = useWorkbench.getState();
  const input = useRef<HTMLInputElement>(null);
  const [loadError, setLoadError] = useState<{ name: string; message: string } | null>(null);

  const load = async (list: FileList | null) => {
    if (!list?.length) return;
    setLoadError(null);
    try {
      const picked = await Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      const { files, summary } = adapterFilesOf(picked);
      await setActiveAdapter(files, { name: `loaded r${summary.rank} (${new Date().toLocaleTimeString()})`, source: 'file', runId: null });
      await setAdapterOn(true);
    } catch (e) {
      const s = serializeError(e);
      setLoadError({ name: s.name, message: s.message });
      addLog('error', 'adapter', `${s.name}: ${s.message}`);
    } finally {
      if (input.current) input.current.value = '';
    }
  };

  const downloadCheckpoint = async () => {
    if (!run) return;
    await ensureAlignModel();
    const files = await alignWorker().call('checkpointAdapter', { runId: run.id });
    if (files) download(files);
  };

  return (
    <section className="align-panel" aria-label="Adapter" data-testid="align-adapter">
      <h3>3. Adapter (PEFT layout)</h3>
      {meta ? (
        <p data-testid="align-adapter-active" data-source={meta.source}>
          Active: <strong>{meta.name}</strong> ({meta.source === 'trained' ? 'trained here' : 'loaded from files'}, {new Date(meta.createdAt).toLocaleString()}).{' '}
          Ask, Inspect and Evaluate use {on ? <strong>the adapter</strong> : <strong>the base model</strong>}{modelAdapter !== undefined ? ` (model worker: ${modelAdapter ?? 'base'})` : ''}.
        </p>
      ) : <p className="muted" data-testid="align-adapter-none">No adapter yet: train one, or load adapter_config.json and adapter_model.safetensors.</p>}
      <div className="align-actions">
        <AdapterSwitch />
        <button type="button" data-testid="align-adapter-download" disabled={!meta} onClick={() => { const f = adapterFilesNow(); if (f) download(f); }}>Download adapter</button>
        {/* One file per click too: a browser may hold back the second of two downloads started by one click. */}
        {meta && ADAPTER_FILES.map((name) => (
          <button key={name} type="button" className="link" data-testid="align-adapter-file" data-file={name} onClick={() => { const f = adapterFilesNow(); if (f) download(f, [name]); }}>{name}</button>
        ))}
        {run && canResume(run as never) && run.checkpointStep > 0 && <button type="button" data-testid="align-checkpoint-download" onClick={() => void downloadCheckpoint()}>Download the checkpoint's adapter (step {run.checkpointStep})</button>}
        <button type="button" data-testid="align-adapter-load" onClick={() => input.current?.click()}>Load adapter files…</button>
        <input ref={input} type="file" multiple accept=".json,.safetensors" hidden data-testid="align-adapter-input" onChange={(e) => void load(e.target.files)} />
      </div>
      {(loadError ?? error) && <p className="card-error" role="alert" data-testid="align-adapter-error"><strong>{(loadError ?? error)!.name}</strong>: {(loadError ?? error)!.message}</p>}
    </section>
  );
}
