/** One OpenAI-compatible endpoint's settings: server, model, key (memory only unless remembered), how frames go, limits. */
import { NumberField } from '../align/NumberField';
import type { FieldProblem } from '../align/alignSettings';
import type { EndpointSettings } from './pipelineSettings';

export function EndpointForm({ prefix, settings, onChange, apiKey, onKey, problem, video = true }: {
  /** `endpoint` or `judge`: names the fields and their test ids. */
  prefix: string;
  settings: EndpointSettings;
  onChange(patch: Partial<EndpointSettings>): void;
  apiKey: string;
  onKey(key: string): void;
  problem: FieldProblem | null;
  /** Whether frames are sent (the judge is a text model). */
  video?: boolean;
}) {
  const at = (field: keyof EndpointSettings) => (problem?.field === `${prefix}.${field}` ? problem.message : null);
  const id = (field: string) => `${prefix}-${field}`;
  return (
    <div className="align-form">
      <label className="align-field pipeline-url">
        Server
        <input type="text" value={settings.baseUrl} data-testid={id('url')} aria-invalid={at('baseUrl') ? 'true' : undefined} placeholder="http://127.0.0.1:8000" onChange={(e) => onChange({ baseUrl: e.target.value.trim() })} />
        {at('baseUrl') ? <span className="field-error" data-testid={`${id('url')}-error`}>{at('baseUrl')}</span> : <span className="muted">OpenAI-compatible, with or without /v1</span>}
      </label>
      <label className="align-field">
        Model
        <input type="text" value={settings.model} data-testid={id('model')} aria-invalid={at('model') ? 'true' : undefined} onChange={(e) => onChange({ model: e.target.value })} />
        {at('model') && <span className="field-error" data-testid={`${id('model')}-error`}>{at('model')}</span>}
      </label>
      <label className="align-field">
        API key
        <input type="password" value={apiKey} autoComplete="off" data-testid={id('key')} onChange={(e) => onKey(e.target.value)} />
        <label className="align-check">
          <input type="checkbox" checked={settings.rememberKey} data-testid={id('remember-key')} onChange={(e) => onChange({ rememberKey: e.target.checked })} />
          remember in this browser
        </label>
      </label>
      {video && (
        <label className="align-field">
          Frames sent as
          <select value={settings.videoAs} data-testid={id('video-as')} onChange={(e) => onChange({ videoAs: e.target.value as EndpointSettings['videoAs'] })}>
            <option value="image_url">JPEG images (image_url; every server)</option>
            <option value="video_url">one MP4 clip (video_url; vLLM, SGLang)</option>
          </select>
        </label>
      )}
      <NumberField label="Concurrency" value={settings.concurrency} testId={id('concurrency')} problem={at('concurrency')} hint="requests in flight" onChange={(concurrency) => onChange({ concurrency })} />
      <NumberField label="Timeout (s)" value={settings.timeoutS} testId={id('timeout')} problem={at('timeoutS')} onChange={(timeoutS) => onChange({ timeoutS })} />
      <NumberField label="Retries" value={settings.retries} testId={id('retries')} problem={at('retries')} hint="on 429, 5xx, dropped connections" onChange={(retries) => onChange({ retries })} />
      <NumberField label="Max tokens" value={settings.maxTokens} testId={id('max-tokens')} problem={at('maxTokens')} onChange={(maxTokens) => onChange({ maxTokens })} />
      <NumberField label="Temperature" value={settings.temperature} testId={id('temperature')} problem={at('temperature')} hint="0 is greedy" onChange={(temperature) => onChange({ temperature })} />
      <label className="align-field">
        Extra request fields
        <input type="text" value={settings.extraBody} data-testid={id('extra-body')} aria-invalid={at('extraBody') ? 'true' : undefined} placeholder='{"top_k": 20}' spellCheck={false} onChange={(e) => onChange({ extraBody: e.target.value })} />
        {at('extraBody') ? <span className="field-error" data-testid={`${id('extra-body')}-error`}>{at('extraBody')}</span> : <span className="muted">JSON merged into each request (server-specific sampling)</span>}
      </label>
    </div>
  );
}
