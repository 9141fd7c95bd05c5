/**
 * Pipeline: preference pairs from real Video-LLMs behind OpenAI-compatible
 * servers (vLLM, SGLang, Ollama, LMDeploy, transformers serve) over the
 * library's videos: r+ on the preferred view, false-premise rewrites answered
 * on the adversarial view, a judge that keeps targeted, distinct errors.
 */
import { CATEGORIES, type Category } from '../../adversary/types';
import { isDecodable } from '../../library/videoRecord';
import { NumberField } from '../align/NumberField';
import { useWorkbench } from '../store';
import { ConnectionChecklist } from './ConnectionChecklist';
import { EndpointForm } from './EndpointForm';
import { PipelineRunPanel } from './PipelineRunPanel';
import { checkEndpoint, checkRun } from './pipelineSettings';
import '../align/align.css';

const CATEGORY_LABELS: Record<Category, string> = { spatial: 'Spatial', temporal: 'Temporal', 'cross-frame': 'Cross-frame' };

function EndpointPanel() {
  const endpoint = useWorkbench((s) => s.pipelineEndpoint);
  const judge = useWorkbench((s) => s.pipelineJudge);
  const keys = useWorkbench((s) => s.pipelineKeys);
  const { setPipelineEndpoint, setPipelineJudge, setPipelineKey } = useWorkbench.getState();
  return (
    <section className="align-panel" aria-label="Endpoints" data-testid="pipeline-endpoints">
      <h3>1. The Video-LLM that answers</h3>
      <EndpointForm prefix="endpoint" settings={endpoint} onChange={setPipelineEndpoint} apiKey={keys.endpoint} onKey={(k) => setPipelineKey('endpoint', k)} problem={checkEndpoint(endpoint, 'endpoint')} />
      <h3>2. The judge (a text LLM)</h3>
      <div className="align-form">
        <label className="align-check"><input type="checkbox" checked={judge.enabled} data-testid="judge-enabled" onChange={(e) => setPipelineJudge({ enabled: e.target.checked })} />judge the candidates (off: keep every r- that differs from r+)</label>
        {judge.enabled && <label className="align-check"><input type="checkbox" checked={judge.sameAsEndpoint} data-testid="judge-same" onChange={(e) => setPipelineJudge({ sameAsEndpoint: e.target.checked })} />the same server and model</label>}
      </div>
      {judge.enabled && !judge.sameAsEndpoint && (
        <EndpointForm prefix="judge" settings={judge} onChange={setPipelineJudge} apiKey={keys.judge} onKey={(k) => setPipelineKey('judge', k)} problem={checkEndpoint(judge, 'judge')} video={false} />
      )}
      <ConnectionChecklist />
    </section>
  );
}

function RunSettingsPanel() {
  const run = useWorkbench((s) => s.pipelineRunSettings);
  const videos = useWorkbench((s) => s.videos);
  const set = useWorkbench.getState().setPipelineRunSettings;
  const decodable = videos.filter(isDecodable);
  const problem = checkRun(run, decodable.length);
  const at = (field: string) => (problem?.field === `run.${field}` ? problem.message : null);
  const toggle = (c: Category) => set({ categories: run.categories.includes(c) ? run.categories.filter((x) => x !== c) : CATEGORIES.filter((x) => x === c || run.categories.includes(x)) });
  const toggleVideo = (id: string) => set({ videos: run.videos.includes(id) ? run.videos.filter((x) => x !== id) : [...run.videos, id] });
  return (
    <section className="align-panel" aria-label="Run settings" data-testid="pipeline-run-settings">
      <h3>3. Videos and categories</h3>
      <div className="align-form">
        <fieldset className="align-field">
          <legend>Categories</legend>
          {CATEGORIES.map((c) => (
            <label key={c} className="align-check"><input type="checkbox" checked={run.categories.includes(c)} data-testid={`pipeline-category-${c}`} onChange={() => toggle(c)} />{CATEGORY_LABELS[c]}</label>
          ))}
          {at('categories') && <span className="field-error">{at('categories')}</span>}
        </fieldset>
        <NumberField label="Frames per request" value={run.frames} testId="pipeline-frames" problem={at('frames')} hint="the preferred view at 2 fps, at most this many" onChange={(frames) => set({ frames })} />
        <NumberField label="Seed" value={run.seed} testId="pipeline-seed" problem={at('seed')} hint="adversary specs and rewrites" onChange={(seed) => set({ seed })} />
        <label className="align-field">
          Questions
          <select value={run.queries} data-testid="pipeline-queries" onChange={(e) => set({ queries: e.target.value as typeof run.queries })}>
            <option value="templates">from templates (entities from the inspector's slots)</option>
            <option value="endpoint">written by the Video-LLM from the preferred view</option>
          </select>
        </label>
        <fieldset className="align-field pipeline-videos">
          <legend>Videos ({run.videos.length ? `${run.videos.length} chosen` : `all ${decodable.length}`})</legend>
          {decodable.map((v) => (
            <label key={v.id} className="align-check"><input type="checkbox" checked={run.videos.includes(v.id)} data-testid={`pipeline-video-${v.relativePath}`} onChange={() => toggleVideo(v.id)} />{v.relativePath}</label>
          ))}
          {at('videos') && <span className="field-error">{at('videos')}</span>}
        </fieldset>
      </div>
    </section>
  );
}

export function PipelineView() {
  return (
    <section className="align" aria-label="Pipeline" data-testid="pipeline-view">
      <header className="detail-header"><h2>Pipeline</h2><span className="muted">pairs from Video-LLM servers over the library: r+ on the preferred view, rewrites on the adversarial view, a judge</span></header>
      <EndpointPanel />
      <RunSettingsPanel />
      <PipelineRunPanel />
    </section>
  );
}
