/**
 * What can go wrong talking to an OpenAI-compatible server, as named errors a
 * UI can tell apart (and that survive a trip across a Worker). Messages never
 * hold the API key: `redact` is applied to anything a server sent back.
 */
import { NamedError, registerErrors } from '../../core/errors';

/** Base of the endpoint errors: `endpoint` is the base URL (never its key). */
export class EndpointError extends NamedError {
  static override readonly errorName: string = 'EndpointError';
  readonly endpoint: string;
  constructor(endpoint: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.endpoint = endpoint;
  }
}

/** No HTTP answer at all: connection refused, reset, DNS, a socket destroyed mid-answer. */
export class EndpointUnreachableError extends EndpointError {
  static override readonly errorName = 'EndpointUnreachableError';
}

/** The server answered with an error status; `serverMessage` is what it said, parsed from its body. */
export class EndpointHttpError extends EndpointError {
  static override readonly errorName: string = 'EndpointHttpError';
  readonly status: number;
  readonly serverMessage: string;
  constructor(endpoint: string, status: number, serverMessage: string, message?: string) {
    super(endpoint, message ?? `${endpoint} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`);
    this.status = status;
    this.serverMessage = serverMessage;
  }
}

/** One request took longer than `timeoutMs`. */
export class EndpointTimeoutError extends EndpointError {
  static override readonly errorName = 'EndpointTimeoutError';
  readonly timeoutMs: number;
  constructor(endpoint: string, timeoutMs: number) {
    super(endpoint, `${endpoint} did not answer within ${timeoutMs} ms (timeoutMs)`);
    this.timeoutMs = timeoutMs;
  }
}

/** The server does not serve the model asked for (vLLM: 404 "does not exist"; transformers serve: 400 "pinned to"). */
export class ModelNotServedError extends EndpointHttpError {
  static override readonly errorName = 'ModelNotServedError';
  readonly model: string;
  constructor(endpoint: string, model: string, status: number, serverMessage: string) {
    super(endpoint, status, serverMessage, `${endpoint} does not serve the model "${model}"${serverMessage ? `: ${serverMessage}` : ''}`);
    this.model = model;
  }
}

/** The browser blocked the answer: the server sent no CORS headers for this page's origin. `setting` names the server's own switch. */
export class CorsBlockedError extends EndpointError {
  static override readonly errorName = 'CorsBlockedError';
  readonly origin: string;
  readonly setting: string;
  constructor(endpoint: string, origin: string, setting: string) {
    super(endpoint, `${endpoint} does not allow requests from ${origin} (CORS); allow it on the server: ${setting}`);
    this.origin = origin;
    this.setting = setting;
  }
}

/** More images or videos in one request than the server allows (vLLM `--limit-mm-per-prompt`). */
export class MultimodalLimitError extends EndpointHttpError {
  static override readonly errorName = 'MultimodalLimitError';
  /** `image` or `video`; empty when the server did not say. */
  readonly modality: string;
  /** The server's limit; -1 when it did not say. */
  readonly limit: number;
  constructor(endpoint: string, status: number, serverMessage: string, modality: string, limit: number) {
    super(endpoint, status, serverMessage,
      `${endpoint} takes at most ${limit < 0 ? '?' : limit} ${modality || 'multimodal item'}(s) per request; raise it with vLLM's --limit-mm-per-prompt (e.g. '{"${modality || 'image'}": N}') or send fewer frames: ${serverMessage}`);
    this.modality = modality;
    this.limit = limit;
  }
}

/** The prompt (visual tokens included) plus `max_tokens` exceeds the server's context (`max_model_len`). */
export class ContextTooLongError extends EndpointHttpError {
  static override readonly errorName = 'ContextTooLongError';
}

// registerErrors types its classes by NamedError's constructor; deserializing never calls a constructor, so other signatures are safe.
registerErrors(...([EndpointError, EndpointUnreachableError, EndpointHttpError, EndpointTimeoutError, ModelNotServedError, CorsBlockedError, MultimodalLimitError, ContextTooLongError] as unknown as Parameters<typeof registerErrors>));

/** Replaces every occurrence of `secret` in `text` (a server may echo headers back). */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** The server's own message from an error body: `{error:{message}}`, `{error:"..."}`, `{message}`, `{detail}` (FastAPI), or the plain text. */
export function serverMessageOf(body: string): string {
  const text = body.trim();
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const err = json.error;
    if (err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string') return (err as { message: string }).message;
    if (typeof err === 'string') return err;
    if (typeof json.message === 'string') return json.message;
    if (typeof json.detail === 'string') return json.detail;
    if (json.detail !== undefined) return JSON.stringify(json.detail);
  } catch {
    // not JSON: the plain text is the message
  }
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

/** The named error for an error status and its body: model absent, multimodal limit, context, or a plain HTTP error. */
export function httpErrorOf(endpoint: string, model: string, status: number, body: string): EndpointHttpError {
  const message = serverMessageOf(body);
  const mm = /at most (\d+) (image|video|audio)\(s\) may be provided/i.exec(message);
  if (mm) return new MultimodalLimitError(endpoint, status, message, mm[2].toLowerCase(), Number(mm[1]));
  if (/limit[-_]mm[-_]per[-_]prompt/i.test(message)) {
    const m = /(image|video)/i.exec(message);
    return new MultimodalLimitError(endpoint, status, message, m ? m[1].toLowerCase() : '', -1);
  }
  if (/maximum context length|context[_ ]length[_ ]exceeded|max_model_len|too long for the context/i.test(message)) return new ContextTooLongError(endpoint, status, message);
  if (/pinned to|model .{0,200}(does not exist|not found)|no such model|unknown model/i.test(message) || (status === 404 && /model/i.test(message))) {
    return new ModelNotServedError(endpoint, model, status, message);
  }
  return new EndpointHttpError(endpoint, status, message);
}
