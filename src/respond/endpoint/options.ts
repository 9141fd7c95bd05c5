/**
 * The endpoint responder's options: one typed object, every default
 * documented, validated once at construction (a bad value is a TypeError
 * naming its field).
 */
import type { RgbaFrame } from '../../core/frame';

/** How the frames of a view travel: N JPEG images, or one MP4 clip. */
export type EndpointVideoAs = 'image_url' | 'video_url';

/** Which server software answers; it decides which setting a diagnosis names. */
export type ServerKind = 'vllm' | 'sglang' | 'ollama' | 'llama.cpp' | 'lmdeploy' | 'transformers' | 'unknown';

/** Encodes one frame as JPEG bytes; `quality` in (0, 1]. */
export type JpegEncoder = (frame: RgbaFrame, quality: number) => Promise<Uint8Array>;
/** Encodes the frames as an MP4 clip at `fps`. */
export type VideoEncoder = (frames: readonly RgbaFrame[], fps: number) => Promise<Uint8Array>;
/** Waits `ms` (rejects with the signal's reason when it aborts first). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface EndpointOptions {
  /** The server, e.g. `http://127.0.0.1:8000` or `http://127.0.0.1:8000/v1` (both accepted). */
  baseUrl: string;
  /** The model name the server knows. */
  model: string;
  /** Sent as `Authorization: Bearer ...`. Kept in memory only: never in provenance, labels, logs or error messages. */
  apiKey?: string;
  /** Default `image_url`, the one shape every server takes. `video_url` needs `encodeVideo`. */
  videoAs?: EndpointVideoAs;
  /** Most requests in flight at once for this responder. Default 2. */
  concurrency?: number;
  /** Per request (each attempt), ms. Default 120000. */
  timeoutMs?: number;
  /** Extra attempts after a 429, 5xx or network error. Default 3. */
  retries?: number;
  /** First backoff, ms; doubled each retry, with jitter. Default 500. */
  retryBaseMs?: number;
  /** Longest wait between attempts (Retry-After included), ms. Default 30000. */
  retryMaxMs?: number;
  /** Seed of the backoff jitter, so runs are repeatable. Default 0. */
  seed?: number;
  /** How to wait between attempts; tests inject one. Default a timer. */
  sleep?: Sleep;
  /** JPEG quality in (0, 1]. Default 0.85. */
  jpegQuality?: number;
  /** Frames per second of the clip for `video_url`. Default 2. */
  videoFps?: number;
  /** Ask for server-sent events and parse them. Default false. */
  stream?: boolean;
  /** Ask for token log-probabilities (`logprobs: true`); many servers reject it. Default false. */
  logprobs?: boolean;
  /** A system message before the user's. */
  systemPrompt?: string;
  /** Fields merged into every request body last (server-specific sampling: vLLM `top_k`, `mm_processor_kwargs`; a field set to undefined is dropped). */
  extraBody?: Record<string, unknown>;
  /** Which server this is, when known; otherwise guessed by `checkConnection`. */
  serverKind?: ServerKind;
  /** Visual tokens one frame costs, for the context check. Default 256 (a Qwen2-VL-style model at 448x448: 16x16 merged patches). */
  tokensPerFrame?: number;
  /** Default the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: OffscreenCanvas in browsers, sharp in Node. */
  encodeJpeg?: JpegEncoder;
  /** Required for `videoAs: 'video_url'`. */
  encodeVideo?: VideoEncoder;
}

/** The options with defaults filled in and the base URL normalised to end in `/v1`. */
export interface ResolvedEndpointOptions extends Required<Omit<EndpointOptions, 'apiKey' | 'systemPrompt' | 'extraBody' | 'serverKind' | 'encodeJpeg' | 'encodeVideo' | 'fetch' | 'sleep'>> {
  apiKey?: string;
  systemPrompt?: string;
  extraBody: Record<string, unknown>;
  serverKind?: ServerKind;
  encodeJpeg?: JpegEncoder;
  encodeVideo?: VideoEncoder;
  fetch: typeof fetch;
  sleep: Sleep;
  /** The base URL as given, without `/v1` and trailing slashes: what provenance records. */
  endpoint: string;
  /** `endpoint` + `/v1`. */
  apiBase: string;
}

const SERVER_KINDS: readonly ServerKind[] = ['vllm', 'sglang', 'ollama', 'llama.cpp', 'lmdeploy', 'transformers', 'unknown'];

/** A timer that an abort ends early. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => { clearTimeout(t); reject(signal!.reason); };
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

function int(field: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new TypeError(`EndpointOptions.${field} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}
function fn<T>(field: string, v: unknown): T | undefined {
  if (v !== undefined && typeof v !== 'function') throw new TypeError(`EndpointOptions.${field} must be a function`);
  return v as T | undefined;
}

/** Validates `options` and fills the defaults; throws a TypeError naming the first bad field. */
export function resolveEndpointOptions(options: EndpointOptions): ResolvedEndpointOptions {
  if (!options || typeof options !== 'object') throw new TypeError('EndpointOptions must be an object');
  const o = options;
  if (typeof o.baseUrl !== 'string' || !o.baseUrl.trim()) throw new TypeError('EndpointOptions.baseUrl must be a non-empty URL');
  let url: URL;
  try { url = new URL(o.baseUrl.trim()); } catch { throw new TypeError(`EndpointOptions.baseUrl is not a URL: ${o.baseUrl}`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('EndpointOptions.baseUrl must be http: or https:');
  if (url.username || url.password || url.search || url.hash) throw new TypeError('EndpointOptions.baseUrl must not hold credentials, a query or a fragment (give the key as apiKey)');
  const endpoint = `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
  if (typeof o.model !== 'string' || !o.model.trim()) throw new TypeError('EndpointOptions.model must be a non-empty string');
  if (o.apiKey !== undefined && typeof o.apiKey !== 'string') throw new TypeError('EndpointOptions.apiKey must be a string');
  const videoAs = o.videoAs ?? 'image_url';
  if (videoAs !== 'image_url' && videoAs !== 'video_url') throw new TypeError(`EndpointOptions.videoAs must be 'image_url' or 'video_url', got ${String(videoAs)}`);
  const encodeVideo = fn<VideoEncoder>('encodeVideo', o.encodeVideo);
  if (videoAs === 'video_url' && !encodeVideo) throw new TypeError("EndpointOptions.encodeVideo is required when videoAs is 'video_url' (an MP4 encoder for the frames)");
  const jpegQuality = o.jpegQuality ?? 0.85;
  if (typeof jpegQuality !== 'number' || !(jpegQuality > 0 && jpegQuality <= 1)) throw new TypeError(`EndpointOptions.jpegQuality must be in (0, 1], got ${String(jpegQuality)}`);
  const videoFps = o.videoFps ?? 2;
  if (typeof videoFps !== 'number' || !(videoFps > 0) || !Number.isFinite(videoFps)) throw new TypeError(`EndpointOptions.videoFps must be a positive number, got ${String(videoFps)}`);
  for (const f of ['stream', 'logprobs'] as const) if (o[f] !== undefined && typeof o[f] !== 'boolean') throw new TypeError(`EndpointOptions.${f} must be a boolean`);
  if (o.systemPrompt !== undefined && typeof o.systemPrompt !== 'string') throw new TypeError('EndpointOptions.systemPrompt must be a string');
  if (o.extraBody !== undefined && (typeof o.extraBody !== 'object' || o.extraBody === null || Array.isArray(o.extraBody))) throw new TypeError('EndpointOptions.extraBody must be a plain object');
  if (o.serverKind !== undefined && !SERVER_KINDS.includes(o.serverKind)) throw new TypeError(`EndpointOptions.serverKind must be one of ${SERVER_KINDS.join(', ')}`);
  const fetchFn = fn<typeof fetch>('fetch', o.fetch) ?? globalThis.fetch?.bind(globalThis);
  if (!fetchFn) throw new TypeError('EndpointOptions.fetch is required where there is no global fetch');
  const retryBaseMs = int('retryBaseMs', o.retryBaseMs ?? 500, 0);
  return {
    baseUrl: o.baseUrl,
    endpoint,
    apiBase: `${endpoint}/v1`,
    model: o.model,
    ...(o.apiKey ? { apiKey: o.apiKey } : {}),
    videoAs,
    concurrency: int('concurrency', o.concurrency ?? 2, 1),
    timeoutMs: int('timeoutMs', o.timeoutMs ?? 120_000, 1),
    retries: int('retries', o.retries ?? 3, 0),
    retryBaseMs,
    retryMaxMs: int('retryMaxMs', o.retryMaxMs ?? 30_000, retryBaseMs),
    seed: int('seed', o.seed ?? 0, 0),
    sleep: fn<Sleep>('sleep', o.sleep) ?? timerSleep,
    jpegQuality,
    videoFps,
    stream: o.stream ?? false,
    logprobs: o.logprobs ?? false,
    ...(o.systemPrompt !== undefined ? { systemPrompt: o.systemPrompt } : {}),
    extraBody: { ...(o.extraBody ?? {}) },
    ...(o.serverKind ? { serverKind: o.serverKind } : {}),
    tokensPerFrame: int('tokensPerFrame', o.tokensPerFrame ?? 256, 0),
    fetch: fetchFn,
    ...(o.encodeJpeg ? { encodeJpeg: fn<JpegEncoder>('encodeJpeg', o.encodeJpeg) } : {}),
    ...(encodeVideo ? { encodeVideo } : {}),
  };
}
