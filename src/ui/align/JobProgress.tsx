/** The align Worker's current job (pair generation, a benchmark, the ablation): stage, bar, time left and its stop button. */
import { useEffect, useState } from 'react';
import { timeLeft } from '../format';
import { keyHint } from '../keyboard';
import { useWorkbench } from '../store';
import type { AlignJob } from '../store/alignSlice';

/** Re-renders this component alone twice a second while `active`, so "time left" counts down between reports. */
export function useTicker(active: boolean) {
  const [, setNow] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(performance.now()), 500);
    return () => clearInterval(t);
  }, [active]);
}

export function JobProgress({ job, onStop, stopLabel = 'Stop' }: { job: AlignJob; onStop?: () => void; stopLabel?: string }) {
  const current = useWorkbench((s) => (s.alignJob?.job === job ? s.alignJob : null));
  useTicker(!!current);
  if (!current) return null;
  const { progress } = current;
  return (
    <div className="progress-row" data-testid={`align-${job}-progress`}>
      <span>{progress.stage}</span>
      <progress max={progress.total} value={progress.done} />
      <span>
        {current.pairs !== undefined ? `${current.pairs} pairs, ` : ''}
        {progress.total > 1 ? `${Math.round((100 * progress.done) / progress.total)}%` : ''}
        {timeLeft(progress, performance.now())}
      </span>
      {onStop && <button type="button" data-testid={`align-${job}-stop`} title={job === 'pairs' || job === 'benchmark' ? keyHint('cancel') : undefined} onClick={onStop}>{stopLabel}</button>}
    </div>
  );
}

/** The last failure of `job`, named, where it happened. */
export function JobError({ job }: { job: AlignJob }) {
  const error = useWorkbench((s) => (s.alignError?.job === job ? s.alignError : null));
  if (!error) return null;
  if (error.name === 'CancelledError') return <p className="note" data-testid={`align-${job}-cancelled`}>Cancelled.</p>;
  return <p className="card-error" role="alert" data-testid={`align-${job}-error`} data-error={error.name}><strong>{error.name}</strong>: {error.message}</p>;
}

/**
 * A button that waits for the align Worker to be free: it alone re-renders
 * when a job starts or ends, not the form around it.
 */
export function IdleButton({ disabled, ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { 'data-testid': string }) {
  const busy = useWorkbench((s) => !!s.alignJob);
  return <button type="button" {...props} disabled={disabled || busy} />;
}
