/** Export: the trainer's format, which pairs (accepted only by default; the filters apply), and what goes in the bundle. */
import { useMemo, useState } from 'react';
import { FORMATS, FORMAT_IDS, type FormatId, MODEL_FAMILIES, type ModelFamily } from '../../export';
import { filterPairs } from '../../pairs';
import { type ExportOutcome, buildExport, exportBudget } from '../exportBundle';
import { useWorkbench } from '../store';

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportDialog({ onClose }: { onClose(): void }) {
  const pairs = useWorkbench((s) => s.pairs);
  const filters = useWorkbench((s) => s.filters);
  const videos = useWorkbench((s) => s.videos);
  const libraryMaxSide = useWorkbench((s) => s.maxSide);
  const [maxSide, setMaxSide] = useState(libraryMaxSide);
  const [nestedFrames, setNestedFrames] = useState(false);
  const [family, setFamily] = useState<ModelFamily>('qwen2.5-vl');
  const [licence, setLicence] = useState('');
  const [valFraction, setValFraction] = useState(0);
  const [datasetInfo, setDatasetInfo] = useState<{ name: string; text: string } | null>(null);
  const [format, setFormat] = useState<FormatId>('trl');
  const [acceptedOnly, setAcceptedOnly] = useState(true);
  const [frames, setFrames] = useState(true);
  const [clips, setClips] = useState(false);
  const [name, setName] = useState('pasta_dpo');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const nestable = format === 'llama-factory' || format === 'ms-swift';
  const chosen = useMemo(() => filterPairs(pairs, acceptedOnly ? { ...filters, status: 'accepted' } : filters), [pairs, filters, acceptedOnly]);

  const budget = useMemo(() => exportBudget(chosen, videos, format, family, maxSide), [chosen, videos, format, family, maxSide]);

  const run = async () => {
    setError(null);
    setOutcome(null);
    setProgress({ done: 0, total: chosen.length });
    try {
      const out = await buildExport({ format, pairs: chosen, videos, datasetName: name.replace(/[^A-Za-z0-9_-]/g, '_') || 'pasta_dpo', frames, clips, maxSide, nestedFrames: nestable && nestedFrames, videoLicence: licence.trim() || null, valFraction, existingDatasetInfo: format === 'llama-factory' ? datasetInfo?.text ?? null : null, selection: `${chosen.length} pairs of the project, current filters applied${acceptedOnly ? ', accepted only' : ''}.`, onProgress: (done, total) => setProgress({ done, total }) });
      setOutcome(out);
      download(out.blob, out.fileName);
    } catch (e) {
      setError(`${(e as Error).name}: ${(e as Error).message}`);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="overlay" role="dialog" aria-label="Export pairs" onClick={onClose}>
      <div className="overlay-panel export-dialog" onClick={(e) => e.stopPropagation()} data-testid="export-dialog">
        <h2>Export pairs</h2>
        <label>Format
          <select value={format} onChange={(e) => setFormat(e.target.value as FormatId)} data-testid="export-format">
            {FORMAT_IDS.map((f) => <option key={f} value={f}>{FORMATS[f].label}</option>)}
          </select>
        </label>
        <p className="note">{FORMATS[format].about}</p>
        {FORMATS[format].drops.length > 0 && <p className="note" data-testid="export-drops">Not carried by this format (kept in the manifest and the canonical export): {FORMATS[format].drops.join(', ')}.</p>}
        <label><input type="checkbox" checked={acceptedOnly} onChange={(e) => setAcceptedOnly(e.target.checked)} /> Accepted pairs only</label>
        <label><input type="checkbox" checked={frames} onChange={(e) => setFrames(e.target.checked)} data-testid="export-frames" /> Zip with the sampled frames of both views (JPEG) and a manifest</label>
        <label><input type="checkbox" checked={clips} onChange={(e) => setClips(e.target.checked)} data-testid="export-clips" /> Adversarial clips as MP4</label>
        <label>Frame size (longest side, px) <input type="number" min={16} max={4096} value={maxSide} onChange={(e) => setMaxSide(Math.max(16, Number(e.target.value) || libraryMaxSide))} data-testid="export-frame-size" /></label>
        {nestable && <label><input type="checkbox" checked={nestedFrames} onChange={(e) => setNestedFrames(e.target.checked)} data-testid="export-nested" /> Each pair's own training frames as a nested frame list (else the trainer re-samples the video at its own fps)</label>}
        {format !== 'canonical' && (
          <p className="note" data-testid="export-budget">
            Visual tokens for <select value={family} onChange={(e) => setFamily(e.target.value as ModelFamily)} data-testid="export-family">{MODEL_FAMILIES.map((f) => <option key={f} value={f}>{f}</option>)}</select>: {budget}. A trainer truncates records over its limit (Idefics3 under TRL without an error).
          </p>
        )}
        <label>Licence of the source videos (for the dataset card) <input value={licence} onChange={(e) => setLicence(e.target.value)} placeholder="e.g. CC BY 4.0" data-testid="export-licence" /></label>
        <label>Validation share (by video; 0 for none) <input type="number" min={0} max={0.9} step={0.05} value={valFraction} onChange={(e) => setValFraction(Math.min(0.9, Math.max(0, Number(e.target.value) || 0)))} data-testid="export-val" /></label>
        {format === 'llama-factory' && (
          <label>Merge into an existing dataset_info.json (optional) <input type="file" accept=".json,application/json" onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((text) => setDatasetInfo({ name: f.name, text })); else setDatasetInfo(null); }} data-testid="export-dataset-info" />{datasetInfo && <span> {datasetInfo.name}</span>}</label>
        )}
        <label>Dataset name <input value={name} onChange={(e) => setName(e.target.value)} /></label>
        <p data-testid="export-count"><strong>{chosen.length}</strong> pairs (filters apply{acceptedOnly ? ', accepted only' : ''}); paths relative to the dataset root.</p>
        {progress && <div className="progress-row"><progress max={progress.total} value={progress.done} data-testid="export-progress" /><span>{progress.done}/{progress.total}</span></div>}
        {error && <p className="card-error" role="alert">{error}</p>}
        {outcome && (
          <div data-testid="export-outcome">
            <p>Wrote {outcome.written} pairs to <code>{outcome.fileName}</code>.</p>
            {outcome.problems.length > 0 && <ul className="import-errors">{outcome.problems.map((p) => <li key={p}>{p}</li>)}</ul>}
          </div>
        )}
        <div className="row">
          <button type="button" onClick={() => void run()} disabled={!!progress || chosen.length === 0} data-testid="export-run">Export</button>
          <button type="button" onClick={onClose}>Close</button>
        </div>
      </div>
    </div>
  );
}
