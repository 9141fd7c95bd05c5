/**
 * An OpenAI-compatible server (vLLM, SGLang, Ollama, LMDeploy, llama.cpp,
 * transformers serve) as a Responder: frames sent as JPEG `image_url` parts
 * or one MP4 `video_url`, answers parsed whole or streamed, usage counted.
 */
import type { RgbaFrame } from '../../core/frame';
import type { GenerationSettings, Responder, Response, ResponseRequest, TokenLogp } from '../responder';
import { chatRequest, type ChatRequestBody, type EncodedMedia } from './chatRequest';
import { checkConnection, type ConnectionPlan, type ConnectionReport } from './connection';
import { EndpointError } from './errors';
import { encodeJpegDefault } from './jpeg';
import { Limiter } from './limiter';
import { resolveEndpointOptions, type EndpointOptions, type ResolvedEndpointOptions } from './options';
import { sseData } from './sse';
import { Transport } from './transport';

/** Tokens this responder has used, as the server counted them. */
export interface TokenTotals {
  promptTokens: number;
  completionTokens: number;
  requests: number;
}

/** What a chat completion answered, whole or assembled from a stream. */
interface Completion {
  text: string;
  tokens: TokenLogp[] | null;
  usage?: { promptTokens: number; completionTokens: number };
}

type LogprobContent = { token?: unknown; logprob?: unknown }[] | undefined;
const logpsOf = (content: LogprobContent): TokenLogp[] =>
  (content ?? []).filter((t) => typeof t.token === 'string' && typeof t.logprob === 'number').map((t) => ({ token: t.token as string, logp: t.logprob as number }));
const usageOf = (u: unknown) => {
  const x = u as { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
  return x && typeof x.prompt_tokens === 'number' && typeof x.completion_tokens === 'number' ? { promptTokens: x.prompt_tokens, completionTokens: x.completion_tokens } : undefined;
};

export class EndpointResponder implements Responder {
  readonly label: string;
  /** The options with defaults filled in (the key among them: keep this object out of logs). */
  private readonly options: ResolvedEndpointOptions;
  private readonly transport: Transport;
  private readonly limiter: Limiter;
  private readonly total: TokenTotals = { promptTokens: 0, completionTokens: 0, requests: 0 };
  /** Encoded JPEGs by frame object (frames are not changed once decoded; a frame no longer held is dropped). */
  private readonly jpegs = new WeakMap<RgbaFrame, Promise<Uint8Array>>();

  /** Throws a TypeError naming the field when an option is bad. */
  constructor(options: EndpointOptions) {
    this.options = resolveEndpointOptions(options);
    this.transport = new Transport(this.options);
    this.limiter = new Limiter(this.options.concurrency);
    this.label = `${this.options.model} @ ${this.options.endpoint}`;
  }

  /** Running totals over every answered request, for the UI. */
  get tokensUsed(): Readonly<TokenTotals> { return { ...this.total }; }

  /** The base URL as provenance records it (no key). */
  get endpoint(): string { return this.options.endpoint; }

  /** Encodes the view as this responder sends it: JPEGs, one MP4, or nothing for text-only requests. */
  async encode(frames: readonly RgbaFrame[]): Promise<EncodedMedia> {
    if (!frames.length) return { kind: 'none' };
    const o = this.options;
    if (o.videoAs === 'video_url') return { kind: 'video_url', mp4: await o.encodeVideo!(frames, o.videoFps) };
    return { kind: 'image_url', jpegs: await Promise.all(frames.map((f) => this.jpegOf(f))) };
  }

  /** One frame's JPEG, encoded once per frame object: a job's three rewrites go with the same sparse view. */
  private jpegOf(frame: RgbaFrame): Promise<Uint8Array> {
    let jpeg = this.jpegs.get(frame);
    if (!jpeg) {
      jpeg = (this.options.encodeJpeg ?? encodeJpegDefault)(frame, this.options.jpegQuality);
      this.jpegs.set(frame, jpeg);
      jpeg.catch(() => this.jpegs.delete(frame));
    }
    return jpeg;
  }

  /** The body this responder would send for `request` (what a pair may record). */
  async buildRequest(request: Pick<ResponseRequest, 'frames' | 'query' | 'settings'>): Promise<ChatRequestBody> {
    const o = this.options;
    return chatRequest({
      model: o.model, query: request.query, media: await this.encode(request.frames), settings: request.settings,
      ...(o.systemPrompt !== undefined ? { systemPrompt: o.systemPrompt } : {}), stream: o.stream, logprobs: o.logprobs, extraBody: o.extraBody,
    });
  }

  /** Checks the server before a run: reachable, CORS, model, vision, per-request item limit, context (connection.ts). */
  checkConnection(plan: ConnectionPlan, signal?: AbortSignal): Promise<ConnectionReport> {
    return checkConnection({ options: this.options, transport: this.transport, buildRequest: (r) => this.buildRequest(r) }, plan, signal);
  }

  async respond(request: ResponseRequest): Promise<Response> {
    const { frames, settings = {}, signal } = request;
    signal?.throwIfAborted();
    const body = await this.buildRequest(request);
    return this.limiter.run(async () => {
      const started = Date.now();
      const completion = await this.transport.run((s) => this.complete(body, s), signal);
      if (completion.usage) {
        this.total.promptTokens += completion.usage.promptTokens;
        this.total.completionTokens += completion.usage.completionTokens;
      }
      this.total.requests++;
      const sent: GenerationSettings = { ...settings };
      return {
        text: completion.text,
        tokens: completion.tokens,
        provenance: {
          kind: 'endpoint',
          model: this.options.model,
          endpoint: this.options.endpoint,
          ...(frames.length ? { videoAs: this.options.videoAs } : {}),
          frames: frames.length,
          settings: sent,
          ...(completion.usage ? { usage: completion.usage } : {}),
          latencyMs: Date.now() - started,
        },
      };
    });
  }

  /** One attempt: POST and read the whole answer (a stream to its end). */
  private async complete(body: ChatRequestBody, signal: AbortSignal): Promise<Completion> {
    const res = await this.transport.check(await this.options.fetch(`${this.options.apiBase}/chat/completions`, {
      method: 'POST', headers: this.transport.headers(true), body: JSON.stringify(body), signal,
    }));
    if (body.stream) return this.readStream(res);
    const json = (await res.json()) as { choices?: { message?: { content?: unknown }; logprobs?: { content?: LogprobContent } | null }[]; usage?: unknown };
    const choice = json.choices?.[0];
    if (!choice) throw new EndpointError(this.options.endpoint, `${this.options.endpoint} answered without choices`);
    const content = choice.message?.content;
    const usage = usageOf(json.usage);
    return {
      text: typeof content === 'string' ? content : '',
      tokens: this.options.logprobs && choice.logprobs?.content ? logpsOf(choice.logprobs.content) : null,
      ...(usage ? { usage } : {}),
    };
  }

  /** Chunks to the end of the body, `[DONE]` or not; usage from the last chunk that has it. */
  private async readStream(res: globalThis.Response): Promise<Completion> {
    if (!res.body) throw new EndpointError(this.options.endpoint, `${this.options.endpoint} sent an empty stream`);
    let text = '';
    let tokens: TokenLogp[] | null = this.options.logprobs ? [] : null;
    let usage: Completion['usage'];
    let sawLogprobs = false;
    for await (const data of sseData(res.body)) {
      let chunk: { choices?: { delta?: { content?: unknown }; logprobs?: { content?: LogprobContent } | null }[]; usage?: unknown; error?: { message?: string } };
      try { chunk = JSON.parse(data); } catch { continue; } // a line that is not JSON carries nothing we read
      if (chunk.error) throw new EndpointError(this.options.endpoint, `${this.options.endpoint} failed mid-stream: ${chunk.error.message ?? 'unknown error'}`);
      const choice = chunk.choices?.[0];
      if (typeof choice?.delta?.content === 'string') text += choice.delta.content;
      if (tokens && choice?.logprobs?.content) { sawLogprobs = true; tokens.push(...logpsOf(choice.logprobs.content)); }
      usage = usageOf(chunk.usage) ?? usage;
    }
    if (tokens && !sawLogprobs) tokens = null;
    return { text, tokens, ...(usage ? { usage } : {}) };
  }
}
