/** Import of pair files (any supported format) with progress and a report of what was read and what was not. */
import { useRef } from 'react';
import { useWorkbench } from '../store';

export function ImportPairs() {
  const input = useRef<HTMLInputElement>(null);
  const progress = useWorkbench((s) => s.importProgress);
  const importPairsFile = useWorkbench((s) => s.importPairsFile);
  return (
    <div className="import-pairs">
      <input ref={input} type="file" accept=".jsonl,.json,application/json" hidden data-testid="pairs-file-input" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importPairsFile(f); e.target.value = ''; }} />
      <button type="button" onClick={() => input.current?.click()}>Import pairs…</button>
      {progress && (
        <span className="progress-row">
          <progress data-testid="import-progress" max={progress.total} value={progress.done} />
          {progress.done}/{progress.total}
        </span>
      )}
    </div>
  );
}

/** What the last import read, and what it could not (each malformed record with its line and field). */
export function ImportReportView() {
  const report = useWorkbench((s) => s.importReport);
  return (
    <>
      {report && (
        <details className="import-report" data-testid="import-report" open={report.errors.length > 0 || report.unmatched.length > 0}>
          <summary>
            {report.file}: <strong data-testid="import-count">{report.imported}</strong> imported
            {report.duplicates > 0 && `, ${report.duplicates} already here (kept as they were)`}
            {report.errors.length > 0 && <>, <span className="danger">{report.errors.length} malformed</span></>}
            {` (${Object.entries(report.formats).map(([f, n]) => `${n} ${f}`).join(', ') || 'none'}; ${(report.ms / 1000).toFixed(1)} s)`}
          </summary>
          {report.errors.length > 0 && (
            <ol className="import-errors" data-testid="import-errors">
              {report.errors.slice(0, 200).map((e) => <li key={e.line}>line {e.line}: <code>{e.field}</code> {e.message}</li>)}
              {report.errors.length > 200 && <li>… {report.errors.length - 200} more</li>}
            </ol>
          )}
          {report.unmatched.length > 0 && <p className="note" data-testid="import-unmatched">Videos not in the library (pairs kept): {report.unmatched.join(', ')}</p>}
        </details>
      )}
    </>
  );
}
