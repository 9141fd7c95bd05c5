/** The connection check's findings, one row per check: passed, failed (with the server setting that fixes it) or not told. */
import type { ConnectionReport } from '../../respond/endpoint/connection';
import { useWorkbench } from '../store';

const MARK = { true: '✓', false: '✗', null: '?' } as const;

function Report({ who, report }: { who: string; report: ConnectionReport }) {
  return (
    <div className="pipeline-check" data-testid={`pipeline-check-${who}`} data-ok={report.ok ? 'true' : 'false'}>
      <strong>{who}</strong> <span className="muted">({report.serverKind}{report.maxModelLen ? `, context ${report.maxModelLen}` : ''}{report.promptTokens !== null ? `, ${report.promptTokens} prompt tokens a request` : ''})</span>
      <ul>
        {report.checks.map((c) => (
          <li key={c.name} data-check={c.name} data-ok={String(c.ok)} className={c.ok === false ? 'card-error' : undefined}>
            <span aria-hidden>{MARK[String(c.ok) as keyof typeof MARK]}</span> {c.name}: {c.detail}
            {c.setting && c.ok !== true && <> <em>Fix: {c.setting}</em></>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ConnectionChecklist() {
  const connection = useWorkbench((s) => s.pipelineConnection);
  const state = useWorkbench((s) => s.pipelineState);
  const { checkPipelineConnection } = useWorkbench.getState();
  return (
    <div className="pipeline-checks">
      <button type="button" data-testid="pipeline-check" disabled={state === 'checking' || state === 'running' || state === 'paused'} onClick={() => void checkPipelineConnection()}>
        {state === 'checking' ? 'Checking…' : 'Check connection'}
      </button>
      <span className="muted"> one request shaped like the run's: reachable, CORS, model, vision, items per request, context (a run checks first)</span>
      {connection && <Report who="endpoint" report={connection.endpoint} />}
      {connection?.judge && <Report who="judge" report={connection.judge} />}
    </div>
  );
}
