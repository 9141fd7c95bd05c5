/** Steps done of the run, and time left, read from the metrics store by subscription: a step re-renders this line alone. */
import { useStore } from 'zustand';
import { formatDuration } from '../format';
import { useWorkbench } from '../store';
import { secondsLeft, trainingMetrics } from './metricsStore';

export function TrainingProgress() {
  const points = useStore(trainingMetrics, (s) => s.points);
  const total = useStore(trainingMetrics, (s) => s.totalSteps);
  const stage = useWorkbench((s) => (s.alignJob?.job === 'train' ? s.alignJob.progress.stage : null));
  if (!total && !stage) return null;
  const last = points.at(-1);
  // From the last steps' pace (a resumed run's seconds carry on from where it paused).
  const left = stage ? secondsLeft(points.slice(-50), total) : null;
  return (
    <div className="progress-row" data-testid="align-train-progress" data-step={last?.step ?? 0} data-total={total}>
      <span>{stage ?? 'trained'}</span>
      <progress max={Math.max(1, total)} value={last?.step ?? 0} />
      <span data-testid="align-train-progress-text">
        step {last?.step ?? 0}/{total}
        {last ? `, epoch ${last.epoch + 1}, ${formatDuration(last.seconds)} of training` : ''}
        {left !== null ? `, about ${formatDuration(left).replace(/\.\d+ s$/, ' s')} left` : ''}
      </span>
    </div>
  );
}
