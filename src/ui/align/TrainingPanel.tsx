/** Training: the LoRA and DPO settings, the pairs it will use from the pair store, start / pause / resume / stop, then progress and live charts. */
import { Suspense, lazy, useEffect, useMemo } from 'react';
import { PAIR_CATEGORIES } from '../../align';
import { DPO_LOSS_TYPES, type DpoLossType } from '../../train';
import { CATEGORY_NAMES } from '../evaluate/categoryNames';
import { keyHint, viewActions } from '../keyboard';
import { useWorkbench } from '../store';
import { LORA_TARGETS, checkTraining } from './alignSettings';
import { JobError } from './JobProgress';
import { NumberField } from './NumberField';
import { TrainingProgress } from './TrainingProgress';
import { countByCategory, trainSetOf } from './trainPairs';
import { canResume } from './trainRun';

const TrainingCharts = lazy(() => import('./TrainingCharts'));

const STATUS_TEXT = { running: 'training', paused: 'paused: resume continues from its checkpoint', done: 'done', stopped: 'stopped (its adapter is kept)', failed: 'failed: the last good checkpoint is kept' } as const;

/** The settings form: it re-renders as settings are typed, never as training runs. */
function TrainingSettings() {
  const settings = useWorkbench((s) => s.alignTraining);
  const set = useWorkbench((s) => s.setAlignTraining);
  const problem = checkTraining(settings);
  const at = (field: string) => (problem?.field === field ? problem.message : null);
  const toggleTarget = (t: string) => set({ targets: settings.targets.includes(t) ? settings.targets.filter((x) => x !== t) : LORA_TARGETS.filter((x) => x === t || settings.targets.includes(x)) });
  return (
    <div className="align-form">
      <NumberField label="LoRA rank" value={settings.rank} testId="align-rank" problem={at('rank')} onChange={(rank) => set({ rank })} />
      <NumberField label="LoRA alpha" value={settings.alpha} testId="align-alpha" problem={at('alpha')} onChange={(alpha) => set({ alpha })} />
      <fieldset className="align-field">
        <legend>Target projections</legend>
        {LORA_TARGETS.map((t) => (
          <label key={t} className="align-check"><input type="checkbox" checked={settings.targets.includes(t)} onChange={() => toggleTarget(t)} />{t}</label>
        ))}
        {at('targets') && <span className="field-error">{at('targets')}</span>}
      </fieldset>
      <NumberField label="beta" value={settings.beta} testId="align-beta" problem={at('beta')} onChange={(beta) => set({ beta })} />
      <label className="align-field">
        Loss
        <select value={settings.loss} data-testid="align-loss" onChange={(e) => set({ loss: e.target.value as DpoLossType })}>
          {DPO_LOSS_TYPES.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </label>
      <NumberField label="Learning rate" value={settings.lr} testId="align-lr" problem={at('lr')} hint="warm-up 10%, then linear decay" onChange={(lr) => set({ lr })} />
      <NumberField label="Epochs" value={settings.epochs} testId="align-epochs" problem={at('epochs')} onChange={(epochs) => set({ epochs })} />
      <NumberField label="Batch size" value={settings.batch} testId="align-batch" problem={at('batch')} onChange={(batch) => set({ batch })} />
      {PAIR_CATEGORIES.map((c) => (
        <NumberField key={c} label={`${CATEGORY_NAMES[c]} weight`} value={settings.weights[c]} testId={`align-weight-${c}`} problem={at(`weights.${c}`)} onChange={(w) => set({ weights: { ...settings.weights, [c]: w } })} />
      ))}
      <NumberField label="Time limit (s)" value={settings.maxSeconds} testId="align-max-seconds" problem={at('maxSeconds')} onChange={(maxSeconds) => set({ maxSeconds })} />
    </div>
  );
}

/** The pairs training will read from the pair store, per category. */
function TrainSetLine() {
  const categories = useWorkbench((s) => s.alignGeneration.categories);
  const pairs = useWorkbench((s) => s.pairs);
  const set_ = useMemo(() => trainSetOf(pairs, categories), [pairs, categories]);
  const counts = countByCategory(set_.specs);
  return (
    <p className="muted" data-testid="align-train-set" data-pairs={set_.specs.length}>
      Trains on {set_.specs.length} pairs of the current project as curated ({categories.map((c) => `${CATEGORY_NAMES[c]} ${counts[c]}`).join(', ')}){set_.rejected ? `; ${set_.rejected} rejected in Curate are left out` : ''}.
    </p>
  );
}

/** Start / pause / resume / stop and the run's status: what re-renders when a run starts or ends. */
function TrainingControls() {
  const invalid = useWorkbench((s) => !!checkTraining(s.alignTraining));
  const run = useWorkbench((s) => s.alignRun);
  const job = useWorkbench((s) => s.alignJob?.job ?? null);
  const { startTraining, resumeTraining, pauseTraining, stopTraining } = useWorkbench.getState();
  const training = job === 'train';
  const resumable = !training && canResume(run as never);

  const start = () => {
    if (useWorkbench.getState().alignJob || invalid) return;
    void (resumable ? resumeTraining() : startTraining());
  };
  useEffect(() => {
    viewActions.startTraining = start;
    viewActions.pauseTraining = () => (training ? pauseTraining() : resumable ? void resumeTraining() : undefined);
    return () => {
      viewActions.startTraining = () => {};
      viewActions.pauseTraining = () => {};
    };
  });

  return (
    <>
      <div className="align-actions">
        <button type="button" className="primary" data-testid="align-train-start" title={keyHint('start-training')} disabled={!!job || invalid} onClick={start}>{resumable ? 'Resume' : 'Start training'}</button>
        {resumable && <button type="button" data-testid="align-train-restart" disabled={!!job || invalid} onClick={() => void startTraining()}>Start over</button>}
        <button type="button" data-testid="align-train-pause" title={keyHint('pause-training')} disabled={!training} onClick={pauseTraining}>Pause</button>
        <button type="button" data-testid="align-train-stop" disabled={!training} onClick={stopTraining}>Stop</button>
        {run && (
          <span className="muted" data-testid="align-run-status" data-status={run.status}>
            Run {run.id}: {STATUS_TEXT[run.status]}{run.checkpointStep ? `, checkpoint at step ${run.checkpointStep}/${run.totalSteps}` : ''}{run.provider ? ` on ${run.provider}` : ''}
          </span>
        )}
      </div>
      {run?.error && run.status !== 'running' && (
        <p className={run.status === 'failed' ? 'card-error' : 'note'} role={run.status === 'failed' ? 'alert' : undefined} data-testid="align-run-error" data-error={run.error.name}>
          <strong>{run.error.name}</strong>: {run.error.message}
        </p>
      )}
    </>
  );
}

export function TrainingPanel() {
  return (
    <section className="align-panel" aria-label="Training" data-testid="align-training">
      <h3>2. LoRA DPO on the curated pairs</h3>
      <TrainingSettings />
      <TrainSetLine />
      <TrainingControls />
      <JobError job="train" />
      <TrainingProgress />
      <Suspense fallback={<p className="muted">drawing the charts…</p>}><TrainingCharts /></Suspense>
    </section>
  );
}
