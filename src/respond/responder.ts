/**
 * The one interface every source of responses shares: the built-in model,
 * OpenAI-compatible servers, imported answers. A responder is given a view
 * (its frames, in order) and a query and returns the text it answered, the
 * log-probability of each token when the source reports them, and where the
 * answer came from, so a pair can record it.
 */
import type { RgbaFrame } from '../core/frame';

/** How to generate. Every field is optional; a responder documents its own defaults and ignores what its source cannot do. */
export interface GenerationSettings {
  /** Most tokens (words, for the built-in model) in the answer. */
  maxTokens?: number;
  /** 0 is greedy. */
  temperature?: number;
  topP?: number;
  /** For sources that sample with a seed. */
  seed?: number;
}

export interface ResponseRequest {
  /** The view: exactly the frames the inspector shows for it, in order. */
  frames: readonly RgbaFrame[];
  query: string;
  settings?: GenerationSettings;
  /** Aborts the request; the responder rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** One generated token and its log-probability under the source. */
export interface TokenLogp {
  token: string;
  logp: number;
}

/** How the frames of a view reached the source. */
export type VideoTransport = 'tensor' | 'image_url' | 'video_url';

export interface ResponseProvenance {
  /** `workbench`: our built-in model; `endpoint`: an OpenAI-compatible server; `import`: answers read from a file. */
  kind: 'workbench' | 'endpoint' | 'import';
  /** The model's name as its source knows it. */
  model: string;
  /** The LoRA adapter merged in, when there is one. */
  adapter?: string;
  /** The server's base URL (never its key). */
  endpoint?: string;
  videoAs?: VideoTransport;
  /** Frames sent. */
  frames: number;
  /** The settings the source was asked with, defaults filled in. */
  settings: GenerationSettings;
  /** Tokens the source counted, when it reports them. */
  usage?: { promptTokens: number; completionTokens: number };
  /** Wall time of the request, ms. */
  latencyMs?: number;
}

export interface Response {
  text: string;
  /** Per-token log-probabilities; null when the source gives none. */
  tokens: TokenLogp[] | null;
  provenance: ResponseProvenance;
}

export interface Responder {
  /** A short label for UIs and logs, e.g. `pasta-tiny` or `Qwen2.5-VL-7B @ http://127.0.0.1:8000`. */
  readonly label: string;
  respond(request: ResponseRequest): Promise<Response>;
}
