/** The run: the judge prompt (editable, saved with the pairs), start / pause / resume / cancel / retry, progress with time left, tokens, pairs and failures. */
import { useWorkbench } from '../store';
import { useTicker } from '../align/JobProgress';

const formatMs = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.round(ms / 1000)} s`);

function Progress() {
  const p = useWorkbench((s) => s.pipelineProgress);
  const state = useWorkbench((s) => s.pipelineState);
  const tokens = useWorkbench((s) => s.pipelineTokens);
  const pairs = useWorkbench((s) => s.pipelinePairs);
  useTicker(state === 'running');
  if (!p) return null;
  return (
    <div className="progress-row" data-testid="pipeline-progress" data-state={state} data-done={p.done} data-total={p.total} data-failed={p.failed}>
      <span>{state}</span>
      <progress max={Math.max(1, p.total)} value={p.done + p.failed} />
      <span>
        {p.done}/{p.total} jobs{p.failed ? `, ${p.failed} failed` : ''}, {pairs} pairs, {tokens.prompt + tokens.completion} tokens ({tokens.prompt} prompt, {tokens.completion} completion)
        {state === 'running' && p.leftMs !== null ? `, about ${formatMs(p.leftMs)} left` : ''}
      </span>
    </div>
  );
}

function Failures() {
  const failures = useWorkbench((s) => s.pipelineFailures);
  if (!failures.length) return null;
  return (
    <ul className="pipeline-failures" data-testid="pipeline-failures">
      {failures.map((f) => <li key={f.key} className="card-error" data-error={f.name}><strong>{f.key}</strong>: {f.name}: {f.message}</li>)}
    </ul>
  );
}

export function PipelineRunPanel() {
  const prompts = useWorkbench((s) => s.pipelinePrompts);
  const state = useWorkbench((s) => s.pipelineState);
  const error = useWorkbench((s) => s.pipelineError);
  const done = useWorkbench((s) => s.pipelineDone.length);
  const failures = useWorkbench((s) => s.pipelineFailures.length);
  const queries = useWorkbench((s) => s.pipelineRunSettings.queries);
  const { startPipeline, pausePipeline, resumePipeline, cancelPipeline, retryPipelineFailures, setPipelineJudgePrompt, setPipelineQueryPrompt, resetPipelinePrompts, forgetPipelineDone, setView } = useWorkbench.getState();
  const active = state === 'running' || state === 'paused';
  const busy = active || state === 'checking';
  return (
    <section className="align-panel" aria-label="Run" data-testid="pipeline-run">
      <h3>4. Run</h3>
      {queries === 'endpoint' && (
        <label className="align-field pipeline-prompt">
          Query prompt ({'{category}'}, {'{focus}'}, {'{kinds}'}, {'{count}'} are filled in; sent with the preferred view's frames; saved with every pair it wrote)
          <textarea rows={6} value={prompts.query} data-testid="pipeline-query-prompt" onChange={(e) => setPipelineQueryPrompt(e.target.value)} />
        </label>
      )}
      <label className="align-field pipeline-prompt">
        Judge prompt ({'{query}'}, {'{chosen}'}, {'{candidates}'}, {'{count}'} are filled in; saved with every pair it judges)
        <textarea rows={7} value={prompts.judge} data-testid="pipeline-judge-prompt" onChange={(e) => setPipelineJudgePrompt(e.target.value)} />
      </label>
      <div className="align-actions">
        <button type="button" className="link" data-testid="pipeline-reset-prompt" onClick={resetPipelinePrompts}>default prompts</button>
        <button type="button" className="primary" disabled={busy} data-testid="pipeline-start" onClick={() => void startPipeline()}>Start</button>
        {state === 'running' && <button type="button" data-testid="pipeline-pause" onClick={pausePipeline}>Pause</button>}
        {state === 'paused' && <button type="button" data-testid="pipeline-resume" onClick={resumePipeline}>Resume</button>}
        {active && <button type="button" data-testid="pipeline-cancel" onClick={cancelPipeline}>Cancel</button>}
        {!busy && failures > 0 && <button type="button" data-testid="pipeline-retry" onClick={() => void retryPipelineFailures()}>Retry {failures} failed</button>}
        {!busy && done > 0 && <button type="button" className="link" data-testid="pipeline-forget" title="The next run asks every job again" onClick={forgetPipelineDone}>forget {done} done jobs</button>}
        <button type="button" className="link" data-testid="pipeline-open-curate" onClick={() => setView('curate')}>open Curate</button>
      </div>
      {error && <p className="card-error" role="alert" data-testid="pipeline-error">{error}</p>}
      <Progress />
      <Failures />
    </section>
  );
}
