/** Picks the sampler and its parameter, and the decode size. */
import { DEFAULT_FRAME_COUNT, type SamplingMode, type SamplingSpec } from '../../media/samplers';
import { useEffect, useState } from 'react';
import { useWorkbench } from '../store';
import { allowedRange, parseParam } from './samplerParam';

const MODES: { mode: SamplingMode; label: string; help: string }[] = [
  { mode: 'uniform', label: 'Uniform N (centred)', help: 'N evenly spaced timestamps, each at the centre of its time bin' },
  { mode: 'qwen-nframes', label: 'Qwen2.5-VL nframes', help: 'N rounded to a multiple of 2; indices round(linspace(0, total-1, N))' },
  { mode: 'qwen-fps', label: 'Qwen2.5-VL fps', help: 'N = duration × fps, clamped to [4, min(768, frames)], multiple of 2' },
  { mode: 'dense', label: 'Dense (preferred view)', help: 'every native frame, capped to a budget' },
  { mode: 'sparse', label: 'Sparse 1 fps (adversarial view)', help: 'one frame per second, centred' },
];

const defaults: Record<SamplingMode, SamplingSpec> = {
  uniform: { mode: 'uniform', n: DEFAULT_FRAME_COUNT },
  'qwen-nframes': { mode: 'qwen-nframes', n: DEFAULT_FRAME_COUNT },
  'qwen-fps': { mode: 'qwen-fps', fps: 2 },
  dense: { mode: 'dense', maxFrames: 128 },
  sparse: { mode: 'sparse', fps: 1 },
};

/** Bounds keep a typo from asking for thousands of decoded frames in the filmstrip. */
function parameterOf(spec: SamplingSpec): { field: string; label: string; value: number; step: number; min: number; max: number } {
  switch (spec.mode) {
    case 'uniform':
    case 'qwen-nframes': return { field: 'n', label: 'frames', value: spec.n, step: 1, min: 1, max: 1024 };
    case 'qwen-fps':
    case 'sparse': return { field: 'fps', label: 'fps', value: spec.fps, step: 0.5, min: 0.1, max: 60 };
    case 'dense': return { field: 'maxFrames', label: 'max frames', value: spec.maxFrames, step: 1, min: 1, max: 1024 };
  }
}

export function SamplerControls() {
  const spec = useWorkbench((s) => s.spec);
  const maxSide = useWorkbench((s) => s.maxSide);
  const setSpec = useWorkbench((s) => s.setSpec);
  const setMaxSide = useWorkbench((s) => s.setMaxSide);
  const param = parameterOf(spec);
  const help = MODES.find((m) => m.mode === spec.mode)?.help;
  // What the user typed stays in the field, with what is wrong with it, until it is a value the sampler takes.
  const [draft, setDraft] = useState<string | null>(null);
  useEffect(() => setDraft(null), [spec.mode]);
  const parsed = draft === null ? null : parseParam(draft, param);
  const problem = parsed && 'error' in parsed ? parsed.error : null;

  return (
    <div className="sampler-controls" role="group" aria-label="Sampling">
      <label>
        Sampler
        <select data-testid="sampler-mode" value={spec.mode} title={help} onChange={(e) => setSpec(defaults[e.target.value as SamplingMode])}>
          {MODES.map((m) => <option key={m.mode} value={m.mode}>{m.label}</option>)}
        </select>
      </label>
      <label>
        {param.label}
        <input
          data-testid="sampler-param"
          type="number"
          min={param.min}
          max={param.max}
          step={param.step}
          value={draft ?? param.value}
          aria-invalid={problem !== null}
          aria-describedby="sampler-param-hint"
          title={`allowed: ${allowedRange(param)}`}
          onChange={(e) => {
            setDraft(e.target.value);
            const r = parseParam(e.target.value, param);
            if ('value' in r) setSpec({ ...spec, [param.field]: r.value } as SamplingSpec);
          }}
          onBlur={() => { if (!problem) setDraft(null); }}
        />
      </label>
      <p id="sampler-param-hint" className={problem ? 'card-error' : 'muted'} data-testid={problem ? 'sampler-param-error' : 'sampler-param-hint'} role={problem ? 'alert' : undefined}>
        {problem ? `${problem}; still sampling ${param.value}` : `allowed: ${allowedRange(param)}`}
      </p>
      <label title="Longest side of decoded frames; frames are never upscaled">
        max side
        <select data-testid="max-side" value={maxSide} onChange={(e) => setMaxSide(Number(e.target.value))}>
          {[112, 224, 336, 448, 640].map((v) => <option key={v} value={v}>{v} px</option>)}
        </select>
      </label>
    </div>
  );
}
