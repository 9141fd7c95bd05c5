/**
 * The connection check before a run: is the server reachable, does it let
 * this page in (CORS), does it serve the model, does the model take frames,
 * does it take as many per request as the run sends (vLLM
 * `--limit-mm-per-prompt`), and do one request's visual tokens and answer fit
 * its context. One probe request carries exactly what a run request carries
 * (the same number of frames at the same size, sent the same way) with
 * `max_tokens` 1, so the server itself says what it would refuse.
 */
import type { RgbaFrame } from '../../core/frame';
import type { ChatRequestBody } from './chatRequest';
import {
  ContextTooLongError, CorsBlockedError, EndpointError, EndpointHttpError, EndpointTimeoutError, EndpointUnreachableError, ModelNotServedError, MultimodalLimitError,
} from './errors';
import type { ResolvedEndpointOptions, ServerKind } from './options';
import { corsSetting, guessServerKind } from './serverKind';
import { pageOrigin, type Transport } from './transport';

export type CheckName = 'reachable' | 'key' | 'cors' | 'model' | 'vision' | 'multimodal-limit' | 'context';

export interface ConnectionCheckItem {
  name: CheckName;
  /** true passed, false failed, null could not be told (with the reason in `detail`). */
  ok: boolean | null;
  detail: string;
  /** The server's own setting that fixes a failure, where there is one. */
  setting?: string;
}

export interface ConnectionReport {
  /** No check failed (an unknown is not a failure). */
  ok: boolean;
  serverKind: ServerKind;
  /** The model ids `/v1/models` listed; null when it did not answer a list. */
  models: string[] | null;
  /** The context the server reports (vLLM/SGLang `max_model_len`); null when it does not say. */
  maxModelLen: number | null;
  /** Prompt tokens of the probe request as the server counted them (frames included); null without usage. */
  promptTokens: number | null;
  checks: ConnectionCheckItem[];
}

/** What one run request carries: the check sends the same. */
export interface ConnectionPlan {
  /** Frames per request (0 for a text model such as the judge). */
  frames: number;
  width: number;
  height: number;
  /** The answer's `max_tokens` in the run. */
  maxTokens: number;
  /** Room for the run's query text beyond the probe's, in tokens. Default 256. */
  queryTokens?: number;
  /** In Node, the browser origin to ask a CORS preflight for; in a browser the page's own origin is used. */
  origin?: string;
}

/** What the check needs of the responder it checks. */
export interface CheckTarget {
  options: ResolvedEndpointOptions;
  transport: Transport;
  buildRequest(request: { frames: readonly RgbaFrame[]; query: string; settings: { maxTokens: number; temperature: number } }): Promise<ChatRequestBody>;
}

const PROBE_QUERY = 'Reply with the single word OK.';
const PROBE_TIMEOUT_MS = 10_000;

/** A frame of the run's size with a little structure (a flat image compresses to nothing and some servers reject tiny files). */
function probeFrame(width: number, height: number, shade: number): RgbaFrame {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 255) / Math.max(1, width - 1);
      data[i + 1] = (y * 255) / Math.max(1, height - 1);
      data[i + 2] = shade;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

interface ModelEntry { id?: unknown; owned_by?: unknown; max_model_len?: unknown; context_length?: unknown }

export async function checkConnection(target: CheckTarget, plan: ConnectionPlan, signal?: AbortSignal): Promise<ConnectionReport> {
  const o = target.options;
  const checks: ConnectionCheckItem[] = [];
  const add = (item: ConnectionCheckItem) => checks.push(item);
  const report = (serverKind: ServerKind, models: string[] | null, maxModelLen: number | null, promptTokens: number | null): ConnectionReport =>
    ({ ok: checks.every((c) => c.ok !== false), serverKind, models, maxModelLen, promptTokens, checks });
  const origin = pageOrigin() ?? plan.origin;
  const quick = { retries: 0 };
  const timeout = (s: AbortSignal) => AbortSignal.any([s, AbortSignal.timeout(Math.min(o.timeoutMs, PROBE_TIMEOUT_MS))]);

  // 1. Reachable (and, in a browser, let in): GET /v1/models.
  let models: string[] | null = null;
  let maxModelLen: number | null = null;
  let kind: ServerKind = o.serverKind ?? 'unknown';
  let listError: EndpointError | null = null;
  /** The report when nothing answers: a network error, a timeout, or a browser's CORS block. */
  const unreachable = (e: unknown): ConnectionReport => {
    if (e instanceof CorsBlockedError) {
      add({ name: 'reachable', ok: true, detail: `${o.endpoint} is up (an opaque answer came back)` });
      add({ name: 'cors', ok: false, detail: e.message, setting: e.setting });
      return report(kind, null, null, null);
    }
    if (e instanceof EndpointUnreachableError || e instanceof EndpointTimeoutError) {
      add({ name: 'reachable', ok: false, detail: e.message });
      if (origin && /CORS/.test(e.message)) add({ name: 'cors', ok: null, detail: 'cannot tell from this page whether the server is down or does not allow it', setting: corsSetting(kind, origin) });
      return report(kind, null, null, null);
    }
    throw e;
  };
  try {
    const listed = await target.transport.run(async (s) => {
      const res = await o.fetch(`${o.apiBase}/models`, { headers: target.transport.headers(false), signal: timeout(s) });
      const body = res.ok ? ((await res.json()) as { data?: ModelEntry[] }) : (await res.arrayBuffer().catch(() => undefined), null);
      return { status: res.status, headers: res.headers, body };
    }, signal, quick);
    add({ name: 'reachable', ok: true, detail: `${o.endpoint} answered GET /v1/models with HTTP ${listed.status}` });
    if (pageOrigin()) add({ name: 'cors', ok: true, detail: `${o.endpoint} allows ${origin}` });
    if (listed.status === 401 || listed.status === 403) {
      add({ name: 'key', ok: false, detail: `${o.endpoint} refused the API key (HTTP ${listed.status}): give the key the server was started with` });
      return report(kind, null, null, null);
    }
    const data = Array.isArray(listed.body?.data) ? listed.body!.data : null;
    if (data) {
      models = data.map((m) => String(m.id));
      const entry = data.find((m) => m.id === o.model);
      const len = entry?.max_model_len ?? entry?.context_length;
      maxModelLen = typeof len === 'number' && len > 0 ? len : null;
      if (!o.serverKind) kind = guessServerKind(data.map((m) => String(m.owned_by ?? '')), listed.headers);
    }
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    // In a page, a server may list its models without CORS headers (transformers serve's /v1/models fails offline
    // with a bare 500) while its chat endpoint has them: only the probe can tell.
    if (!(pageOrigin() && (e instanceof CorsBlockedError || e instanceof EndpointUnreachableError))) return unreachable(e);
    listError = e as EndpointError;
  }
  // 2. CORS: a browser has enforced it (above, or at the probe); Node asks the preflight a page would send.
  if (!pageOrigin()) {
    add(plan.origin ? await preflight(target, plan.origin, kind, signal) : { name: 'cors', ok: null, detail: 'not checked: CORS applies only to browser pages (give an origin to check it from here)' });
  }

  // 3. The model, from the list when there is one.
  if (models) {
    add(models.includes(o.model)
      ? { name: 'model', ok: true, detail: `serves "${o.model}"` }
      : { name: 'model', ok: false, detail: `${o.endpoint} does not serve "${o.model}"; it serves ${models.map((m) => `"${m}"`).join(', ') || 'nothing'}` });
    if (!models.includes(o.model)) return report(kind, models, maxModelLen, null);
  }

  // 4. The probe: what one run request carries, answered in one token.
  const frames = Array.from({ length: plan.frames }, (_, i) => probeFrame(plan.width, plan.height, (i * 37) % 256));
  const body: ChatRequestBody = { ...(await target.buildRequest({ frames, query: PROBE_QUERY, settings: { maxTokens: 1, temperature: 0 } })), stream: false };
  delete body.stream_options;
  const sent = plan.frames ? `${plan.frames} frame(s) of ${plan.width}x${plan.height} as ${o.videoAs}` : 'a text request';
  let promptTokens: number | null = null;
  try {
    const usage = await target.transport.run(async (s) => {
      const res = await target.transport.check(await o.fetch(`${o.apiBase}/chat/completions`, { method: 'POST', headers: target.transport.headers(true), body: JSON.stringify(body), signal: s }));
      return ((await res.json()) as { usage?: { prompt_tokens?: unknown } }).usage;
    }, signal, quick);
    promptTokens = typeof usage?.prompt_tokens === 'number' ? usage.prompt_tokens : null;
    if (listError) {
      add({ name: 'reachable', ok: true, detail: `${o.endpoint} answered the probe (its GET /v1/models could not be read from this page)` });
      add({ name: 'cors', ok: true, detail: `${o.endpoint} allows ${origin} for chat completions` });
    }
    if (!models) add({ name: 'model', ok: true, detail: `answered a request for "${o.model}"` });
    if (plan.frames) {
      add({ name: 'vision', ok: true, detail: `answered ${sent}` });
      add({ name: 'multimodal-limit', ok: true, detail: `took ${o.videoAs === 'video_url' ? 'one video' : `${plan.frames} images`} in one request` });
    }
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    if (listError) {
      if (!(e instanceof EndpointHttpError)) return unreachable(e);
      add({ name: 'reachable', ok: true, detail: `${o.endpoint} answered the probe with HTTP ${e.status}` });
      add({ name: 'cors', ok: true, detail: `${o.endpoint} allows ${origin} for chat completions` });
    }
    if (e instanceof ModelNotServedError) {
      add({ name: 'model', ok: false, detail: e.message });
      return report(kind, models, maxModelLen, null);
    }
    if (!models) add({ name: 'model', ok: null, detail: 'not told: the server lists no models and refused the probe' });
    if (e instanceof MultimodalLimitError) {
      if (e.limit === 0) {
        add({ name: 'vision', ok: false, detail: `the model takes no ${e.modality || 'image'} input: ${e.serverMessage}` });
      } else {
        add({ name: 'vision', ok: true, detail: 'the server takes images or video for this model' });
        add({ name: 'multimodal-limit', ok: false, detail: e.message, setting: `vLLM: --limit-mm-per-prompt '{"${e.modality || 'image'}": ${o.videoAs === 'video_url' ? 1 : plan.frames}}'` });
      }
      return report(kind, models, maxModelLen, null);
    }
    if (e instanceof ContextTooLongError) {
      if (plan.frames) add({ name: 'vision', ok: null, detail: 'not told: the request did not fit the context' });
      add({ name: 'context', ok: false, detail: `${sent} does not fit the context: ${e.serverMessage}`, setting: 'send fewer or smaller frames, or raise the server\'s context (vLLM --max-model-len)' });
      return report(kind, models, maxModelLen, null);
    }
    if (e instanceof EndpointHttpError && plan.frames && e.status >= 400 && e.status < 500 && /image|video|vision|multimodal|modalit/i.test(e.serverMessage)) {
      add({ name: 'vision', ok: false, detail: `the server refused ${sent}: ${e.serverMessage}` });
      return report(kind, models, maxModelLen, null);
    }
    if (e instanceof EndpointError) {
      add({ name: plan.frames ? 'vision' : 'model', ok: false, detail: `the probe request (${sent}) failed: ${e.message}` });
      return report(kind, models, maxModelLen, null);
    }
    throw e;
  }

  // 5. Context: the probe's prompt plus room for the run's query and answer.
  const visual = promptTokens ?? plan.frames * o.tokensPerFrame;
  const need = visual + (plan.queryTokens ?? 256) + plan.maxTokens;
  const counted = promptTokens !== null ? `${promptTokens} prompt tokens (server's count)` : `about ${visual} visual tokens (${o.tokensPerFrame} per frame, estimated: the server sent no usage)`;
  if (maxModelLen === null) add({ name: 'context', ok: null, detail: `the server does not report its context; ${sent} took ${counted} and fitted` });
  else if (need <= maxModelLen) add({ name: 'context', ok: true, detail: `${counted} + ${plan.queryTokens ?? 256} for the query + ${plan.maxTokens} to answer = ${need} <= ${maxModelLen}` });
  else add({ name: 'context', ok: false, detail: `${counted} + ${plan.queryTokens ?? 256} for the query + ${plan.maxTokens} to answer = ${need} > the context of ${maxModelLen}`, setting: 'send fewer or smaller frames, lower max tokens, or raise vLLM --max-model-len' });
  return report(kind, models, maxModelLen, promptTokens);
}

/** The preflight a page at `origin` would send before its POST (Node only: a browser forbids setting Origin). */
async function preflight(target: CheckTarget, origin: string, kind: ServerKind, signal?: AbortSignal): Promise<ConnectionCheckItem> {
  const o = target.options;
  const setting = corsSetting(kind, origin);
  try {
    const res = await o.fetch(`${o.apiBase}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': o.apiKey ? 'authorization,content-type' : 'content-type' },
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)]) : AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    const allowed = res.headers.get('access-control-allow-origin');
    if (res.ok && (allowed === '*' || allowed === origin)) return { name: 'cors', ok: true, detail: `${o.endpoint} allows ${origin} (preflight HTTP ${res.status})` };
    return { name: 'cors', ok: false, detail: `${o.endpoint} does not allow ${origin}: the preflight answered HTTP ${res.status}${allowed ? ` for origin ${allowed}` : ' without access-control-allow-origin'}`, setting };
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    return { name: 'cors', ok: null, detail: `the preflight got no answer: ${(e as Error).message}`, setting };
  }
}
