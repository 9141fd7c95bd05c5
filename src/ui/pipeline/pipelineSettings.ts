/**
 * The Pipeline view's settings as plain data: the answering endpoint (a
 * Video-LLM behind an OpenAI-compatible server), the judge (a text LLM, the
 * same server or another), and the run (videos, categories, frames, seed).
 * API keys are not settings: they live in memory unless the user asks to
 * remember one (`keysToKeep`). DOM-free.
 */
import { CATEGORIES, type Category } from '../../adversary/types';
import type { QuerySource } from '../../pipeline';
import type { FieldProblem } from '../align/alignSettings';

export interface EndpointSettings {
  /** e.g. http://127.0.0.1:8000 (with or without /v1). */
  baseUrl: string;
  model: string;
  /** `image_url`: the view's frames as JPEG images, which every server takes; `video_url`: one MP4 data URL (vLLM, SGLang). */
  videoAs: 'image_url' | 'video_url';
  /** Requests in flight at once. */
  concurrency: number;
  timeoutS: number;
  /** Retries of a 429, a 5xx or a dropped connection, with backoff. */
  retries: number;
  maxTokens: number;
  temperature: number;
  /** Keep this endpoint's API key in the browser's storage (off: memory only, gone on reload). */
  rememberKey: boolean;
  /** A JSON object merged into every request body: the server's own sampling fields (vLLM `top_k`, `mm_processor_kwargs`); empty for none. */
  extraBody: string;
}

export interface JudgeSettings extends EndpointSettings {
  /** Off: candidates are kept by the plain rule (differs from r+), recorded as such. */
  enabled: boolean;
  /** Ask the answering endpoint's server and model to judge too. */
  sameAsEndpoint: boolean;
}

export interface RunSettings {
  categories: Category[];
  /** Library video ids; empty means every decodable video. */
  videos: string[];
  /** Most frames of the preferred view sent per request. */
  frames: number;
  seed: number;
  /** `templates`: the adversary's question templates; `endpoint`: the Video-LLM writes the question and its rewrites from the preferred view (the query prompt). */
  queries: QuerySource;
}

export const DEFAULT_ENDPOINT: EndpointSettings = {
  baseUrl: 'http://127.0.0.1:8000',
  model: '',
  videoAs: 'image_url',
  concurrency: 2,
  timeoutS: 120,
  retries: 3,
  maxTokens: 128,
  temperature: 0,
  rememberKey: false,
  extraBody: '',
};

export const DEFAULT_JUDGE: JudgeSettings = { ...DEFAULT_ENDPOINT, enabled: true, sameAsEndpoint: true, maxTokens: 256 };

export const DEFAULT_RUN: RunSettings = { categories: [...CATEGORIES], videos: [], frames: 16, seed: 0, queries: 'templates' };

const whole = (v: number, least: number, most: number) => Number.isInteger(v) && v >= least && v <= most;

/** The first problem of an endpoint's settings, or null; `prefix` names the form (`endpoint`, `judge`). */
export function checkEndpoint(s: EndpointSettings, prefix: string): FieldProblem | null {
  let url: URL | null = null;
  try {
    url = new URL(s.baseUrl);
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol)) return { field: `${prefix}.baseUrl`, message: `the server address must be an http:// or https:// URL, got "${s.baseUrl}"` };
  if (!s.model.trim()) return { field: `${prefix}.model`, message: 'name the model the server serves (as it is named in /v1/models)' };
  if (!whole(s.concurrency, 1, 64)) return { field: `${prefix}.concurrency`, message: `concurrency must be a whole number from 1 to 64, got ${s.concurrency}` };
  if (!(s.timeoutS > 0) || !Number.isFinite(s.timeoutS)) return { field: `${prefix}.timeoutS`, message: `the timeout must be a positive number of seconds, got ${s.timeoutS}` };
  if (!whole(s.retries, 0, 10)) return { field: `${prefix}.retries`, message: `retries must be a whole number from 0 to 10, got ${s.retries}` };
  if (!whole(s.maxTokens, 1, 32768)) return { field: `${prefix}.maxTokens`, message: `max tokens must be a whole number from 1 to 32768, got ${s.maxTokens}` };
  if (!(s.temperature >= 0 && s.temperature <= 2)) return { field: `${prefix}.temperature`, message: `temperature must be from 0 to 2, got ${s.temperature}` };
  if (parseExtraBody(s.extraBody) === null) return { field: `${prefix}.extraBody`, message: 'extra request fields must be a JSON object, e.g. {"top_k": 20}' };
  return null;
}

/** The extra request fields as an object ({} when empty); null when the text is not a JSON object. */
export function parseExtraBody(text: string): Record<string, unknown> | null {
  if (!text.trim()) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The first problem of a run's settings, or null. */
export function checkRun(s: RunSettings, decodableVideos: number): FieldProblem | null {
  if (!s.categories.length) return { field: 'run.categories', message: 'pick at least one of spatial, temporal, cross-frame' };
  if (decodableVideos === 0 && !s.videos.length) return { field: 'run.videos', message: 'the library has no video that can be decoded: add one in Library' };
  if (!whole(s.frames, 1, 256)) return { field: 'run.frames', message: `frames must be a whole number from 1 to 256, got ${s.frames}` };
  if (!whole(s.seed, 0, 2 ** 31 - 1)) return { field: 'run.seed', message: `seed must be a whole number, got ${s.seed}` };
  if (s.queries !== 'templates' && s.queries !== 'endpoint') return { field: 'run.queries', message: `queries come from templates or the endpoint, got "${String(s.queries)}"` };
  return null;
}

/** The judge's effective endpoint: the answering one's server and model when `sameAsEndpoint`. */
export function judgeEndpoint(endpoint: EndpointSettings, judge: JudgeSettings): EndpointSettings {
  return judge.sameAsEndpoint ? { ...judge, baseUrl: endpoint.baseUrl, model: endpoint.model, rememberKey: endpoint.rememberKey } : judge;
}

export interface ApiKeys {
  endpoint: string;
  judge: string;
}

/** The keys that may be written to storage: only those whose endpoint has `rememberKey` on. */
export function keysToKeep(keys: ApiKeys, endpoint: EndpointSettings, judge: JudgeSettings): Partial<ApiKeys> {
  const kept: Partial<ApiKeys> = {};
  if (endpoint.rememberKey && keys.endpoint) kept.endpoint = keys.endpoint;
  if (!judge.sameAsEndpoint && judge.rememberKey && keys.judge) kept.judge = keys.judge;
  return kept;
}
