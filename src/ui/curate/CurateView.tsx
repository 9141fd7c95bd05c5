/** Curate: a queue of pairs to accept, reject, swap or edit, keyboard first, with counts and filters always in view. */
import { useEffect, useMemo, useState } from 'react';
import { filterPairs } from '../../pairs';
import { keyHint, viewActions } from '../keyboard';
import { useWorkbench } from '../store';
import { ExportDialog } from './ExportDialog';
import { ImportPairs, ImportReportView } from './ImportPairs';
import { PairCounts } from './PairCounts';
import { PairFiltersBar } from './PairFiltersBar';
import { PairPanel } from './PairPanel';
import { PairQueue } from './PairQueue';

export function CurateView() {
  const loaded = useWorkbench((s) => s.pairsLoaded);
  const projects = useWorkbench((s) => s.projects);
  const projectId = useWorkbench((s) => s.projectId);
  const bulk = useWorkbench((s) => s.bulk);
  const selected = useWorkbench((s) => s.selectedPairs);
  const error = useWorkbench((s) => s.pairsError);
  const pairs = useWorkbench((s) => s.pairs);
  const filters = useWorkbench((s) => s.filters);
  const currentPairId = useWorkbench((s) => s.currentPairId);
  const { loadPairs, switchProject, createProject, toggleBulk, selectAllVisible, bulkDecide } = useWorkbench.getState();
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    if (!loaded) loadPairs().catch((e: Error) => useWorkbench.setState({ pairsError: `could not open the pairs database: ${e.message}` }));
  }, [loaded, loadPairs]);
  useEffect(() => {
    viewActions.openExport = () => setExporting(true);
    return () => { viewActions.openExport = () => {}; };
  }, []);

  // Filtered once per change of pairs or filters, not on every key press.
  const visible = useMemo(() => filterPairs(pairs, filters), [pairs, filters]);
  const current = pairs.find((p) => p.id === currentPairId) ?? visible[0] ?? null;
  return (
    <section className="curate" aria-label="Curate" data-testid="curate">
      <header className="curate-header">
        <label>Project
          <select value={projectId ?? ''} onChange={(e) => void switchProject(e.target.value)} data-testid="project-select">
            {projects.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => { const n = prompt('Name of the new project'); if (n) void createProject(n); }}>New project</button>
        <ImportPairs />
        <button type="button" title={keyHint('export-pairs')} onClick={() => setExporting(true)} data-testid="open-export">Export…</button>
        <span className="spacer" />
        <PairCounts />
      </header>
      <ImportReportView />
      <PairFiltersBar />
      {error && <p className="card-error" role="alert">{error}</p>}
      <div className="curate-body">
        <aside className="curate-queue">
          <div className="row">
            <label title={keyHint('bulk-mode')}><input type="checkbox" checked={bulk} onChange={toggleBulk} data-testid="bulk-toggle" /> Bulk</label>
            <span className="muted" data-testid="queue-count">{visible.length} in queue</span>
          </div>
          {bulk && (
            <div className="row bulk-actions">
              <button type="button" onClick={selectAllVisible} data-testid="select-all">Select all {visible.length}</button>
              <button type="button" disabled={!selected.length} onClick={() => void bulkDecide('accepted')} data-testid="bulk-accept">Accept {selected.length}</button>
              <button type="button" disabled={!selected.length} onClick={() => void bulkDecide('rejected')}>Reject {selected.length}</button>
            </div>
          )}
          <PairQueue pairs={visible} current={current} />
        </aside>
        <div className="curate-main">
          {current ? <PairPanel pair={current} /> : <p className="empty" data-testid="curate-empty">{loaded ? 'No pairs here yet: import a file (JSONL or JSON in any supported format).' : 'Opening…'}</p>}
        </div>
      </div>
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
    </section>
  );
}
