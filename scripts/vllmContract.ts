/**
 * A small loopback server that speaks vLLM's OpenAI-compatible API as vLLM documents it, for what only vLLM and
 * SGLang do and a real server here cannot show: `video_url` data URLs, `--limit-mm-per-prompt`, `max_model_len`,
 * their error bodies, and faults (429 with Retry-After, 5xx, slow answers, a connection dropped mid-stream, a
 * server that dies). It validates every request's shape and refuses what vLLM refuses, with vLLM's messages:
 * - `GET /v1/models`: `{object:"list", data:[{id, object:"model", owned_by:"vllm", root, max_model_len}]}`.
 * - A `model` it does not serve: 404 "The model `X` does not exist." (type NotFoundError, param "model").
 * - More items of a modality than the limit: 400 "At most N image(s) may be provided in one prompt. Set
 *   `--limit-mm-per-prompt` to increase this limit." (a text-only model is the limit 0 case).
 * - Prompt plus `max_tokens` over `max_model_len`: 400 "This model's maximum context length is L tokens. However,
 *   you requested T tokens (P in the messages, M in the completion). ..."
 * - Error bodies as current vLLM sends them, `{"error":{"message","type","param","code"}}`, or the older flat
 *   `{"object":"error","message",...}` (option `errorShape`).
 * - Content parts `text`, `image_url` and `video_url`, each `{url}` a data URL whose bytes must be what its media
 *   type says (JPEG/PNG signatures, an MP4 `ftyp` box); unknown request fields are accepted and ignored, as vLLM
 *   does (it logs them). Streaming as vLLM streams: a role delta, content deltas, a finish chunk, a usage chunk when
 *   `stream_options.include_usage`, then `data: [DONE]`.
 * CORS as vLLM's `--allowed-origins` (default every origin): preflights answered, the origin allowed on every answer.
 * Prompt tokens are counted as this server's own rule (text: one per 4 characters; each image `tokensPerImage`;
 * each video `tokensPerVideo`), so tests can aim at the context limit exactly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** One scripted misbehaviour, used by the next chat request that arrives (in order) and that `match` accepts, when given. */
export type Fault = { match?: (body: Record<string, unknown>) => boolean } & (
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  | { kind: 'delay'; ms: number }
  /** Destroys the connection before any answer. */
  | { kind: 'drop' }
  /** Streams `chunks` content deltas, then destroys the connection (a stream request) or half a JSON body (otherwise). */
  | { kind: 'cut'; chunks: number });

export interface ContractOptions {
  /** The served model name (`--served-model-name`). Default "contract-vl". */
  model?: string;
  /** `--max-model-len`. Default 8192. */
  maxModelLen?: number;
  /** `--limit-mm-per-prompt`, per modality; absent modalities take 999 (vLLM's default now). */
  limitMmPerPrompt?: { image?: number; video?: number };
  tokensPerImage?: number;
  tokensPerVideo?: number;
  /** Requires `Authorization: Bearer KEY` (`--api-key`); 401 otherwise. */
  apiKey?: string;
  errorShape?: 'nested' | 'flat';
  /** The answer's text for a request; default a fixed sentence naming how many images and videos it saw. */
  answer?: (request: ReceivedRequest) => string;
  /** A port to listen on (for a restart on the same address); default a free one. */
  port?: number;
  /** `--allowed-origins`; vLLM's default allows every origin (`["*"]`). An empty list sends no CORS headers. */
  allowedOrigins?: string[];
}

/** A chat request as the server parsed it, for tests to inspect. */
export interface ReceivedRequest {
  body: Record<string, unknown>;
  authorization: string | null;
  /** Decoded bytes of each `image_url` part, in order. */
  images: Uint8Array<ArrayBuffer>[];
  /** Decoded bytes of each `video_url` part, in order. */
  videos: Uint8Array<ArrayBuffer>[];
  text: string;
  promptTokens: number;
  /** How the request ended: the status sent, or `fault:<kind>`. */
  outcome: string;
}

export interface ContractServer {
  /** `http://127.0.0.1:PORT` (the responder adds `/v1`). */
  url: string;
  port: number;
  model: string;
  /** Every chat request received, in arrival order (faulted ones included). */
  requests: ReceivedRequest[];
  /** Queues faults for the next chat requests. */
  fault(...faults: Fault[]): void;
  /** Closes the listener and destroys every open connection at once: a server that dies. */
  kill(): Promise<void>;
}

class BadRequest extends Error {
  constructor(message: string, readonly status = 400, readonly type = 'BadRequestError', readonly param: string | null = null) { super(message); }
}

const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'video/mp4': (b) => b.length > 12 && String.fromCharCode(b[4], b[5], b[6], b[7]) === 'ftyp',
};

/** The bytes of a base64 data URL of one of `types`; a BadRequest naming what is wrong otherwise. */
function dataUrlBytes(url: unknown, types: readonly string[], part: string): Uint8Array<ArrayBuffer> {
  if (typeof url !== 'string') throw new BadRequest(`${part}.url must be a string`);
  const m = /^data:([\w.+/-]+);base64,(.*)$/s.exec(url);
  if (!m) throw new BadRequest(`${part}.url: only base64 data URLs are accepted here (loopback contract server), got ${url.slice(0, 40)}`);
  if (!types.includes(m[1])) throw new BadRequest(`${part}.url: media type ${m[1]} is not one of ${types.join(', ')}`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(m[2])) throw new BadRequest(`${part}.url: the data is not base64`);
  const bytes = new Uint8Array(Buffer.from(m[2], 'base64'));
  if (!SIGNATURES[m[1]](bytes)) throw new BadRequest(`${part}.url: the bytes are not ${m[1]}`);
  return bytes;
}

function parseChat(body: unknown, o: Required<Omit<ContractOptions, 'apiKey' | 'port' | 'answer' | 'allowedOrigins'>>): Omit<ReceivedRequest, 'authorization' | 'outcome'> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('the request body must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string') throw new BadRequest('model: field required', 400, 'BadRequestError', 'model');
  if (b.model !== o.model) throw new BadRequest(`The model \`${b.model}\` does not exist.`, 404, 'NotFoundError', 'model');
  if (!Array.isArray(b.messages) || !b.messages.length) throw new BadRequest('messages: a non-empty list is required', 400, 'BadRequestError', 'messages');
  const images: Uint8Array<ArrayBuffer>[] = [];
  const videos: Uint8Array<ArrayBuffer>[] = [];
  let text = '';
  b.messages.forEach((msg: unknown, i: number) => {
    const m = msg as { role?: unknown; content?: unknown };
    if (m?.role !== 'system' && m?.role !== 'user' && m?.role !== 'assistant') throw new BadRequest(`messages[${i}].role must be system, user or assistant`);
    if (typeof m.content === 'string') { text += m.content; return; }
    if (!Array.isArray(m.content)) throw new BadRequest(`messages[${i}].content must be a string or a list of parts`);
    m.content.forEach((p: unknown, j: number) => {
      const part = p as { type?: unknown; text?: unknown; image_url?: { url?: unknown }; video_url?: { url?: unknown } };
      const where = `messages[${i}].content[${j}]`;
      if (part?.type === 'text') {
        if (typeof part.text !== 'string') throw new BadRequest(`${where}.text must be a string`);
        text += part.text;
      } else if (part?.type === 'image_url') {
        if (m.role !== 'user') throw new BadRequest(`${where}: images only in user messages`);
        images.push(dataUrlBytes(part.image_url?.url, ['image/jpeg', 'image/png'], `${where}.image_url`));
      } else if (part?.type === 'video_url') {
        if (m.role !== 'user') throw new BadRequest(`${where}: videos only in user messages`);
        videos.push(dataUrlBytes(part.video_url?.url, ['video/mp4'], `${where}.video_url`));
      } else {
        throw new BadRequest(`${where}: unknown content part type ${JSON.stringify(part?.type)}`);
      }
    });
  });
  for (const [modality, items] of [['image', images.length], ['video', videos.length]] as const) {
    const limit = o.limitMmPerPrompt[modality] ?? 999;
    if (items > limit) throw new BadRequest(`At most ${limit} ${modality}(s) may be provided in one prompt. Set \`--limit-mm-per-prompt\` to increase this limit.`);
  }
  const isInt = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;
  if (b.max_tokens !== undefined && !isInt(b.max_tokens, 1)) throw new BadRequest('max_tokens must be at least 1', 400, 'BadRequestError', 'max_tokens');
  if (b.temperature !== undefined && !(typeof b.temperature === 'number' && b.temperature >= 0)) throw new BadRequest('temperature must be non-negative', 400, 'BadRequestError', 'temperature');
  if (b.top_p !== undefined && !(typeof b.top_p === 'number' && b.top_p > 0 && b.top_p <= 1)) throw new BadRequest('top_p must be in (0, 1]', 400, 'BadRequestError', 'top_p');
  if (b.seed !== undefined && !isInt(b.seed, Number.MIN_SAFE_INTEGER)) throw new BadRequest('seed must be an integer', 400, 'BadRequestError', 'seed');
  if (b.stream !== undefined && typeof b.stream !== 'boolean') throw new BadRequest('stream must be a boolean');
  const promptTokens = Math.ceil(text.length / 4) + images.length * o.tokensPerImage + videos.length * o.tokensPerVideo;
  const completion = (b.max_tokens as number | undefined) ?? 16;
  if (promptTokens + completion > o.maxModelLen) {
    throw new BadRequest(`This model's maximum context length is ${o.maxModelLen} tokens. However, you requested ${promptTokens + completion} tokens (${promptTokens} in the messages, ${completion} in the completion). Please reduce the length of the messages or completion.`);
  }
  return { body: b, images, videos, text, promptTokens };
}

const readBody = (req: IncomingMessage) => new Promise<string>((resolve, reject) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  req.on('error', reject);
});

/** Starts the contract server on loopback; `kill()` stops it. */
export async function startContractServer(options: ContractOptions = {}): Promise<ContractServer> {
  const o = {
    model: options.model ?? 'contract-vl', maxModelLen: options.maxModelLen ?? 8192, limitMmPerPrompt: options.limitMmPerPrompt ?? {},
    tokensPerImage: options.tokensPerImage ?? 64, tokensPerVideo: options.tokensPerVideo ?? 512, errorShape: options.errorShape ?? 'nested',
  } as const;
  const answer = options.answer ?? ((r: ReceivedRequest) => `I saw ${r.images.length} image(s) and ${r.videos.length} video(s).`);
  const requests: ReceivedRequest[] = [];
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();

  const send = (res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(json));
  };
  const error = (res: ServerResponse, e: BadRequest, headers: Record<string, string> = {}) => {
    const fields = { message: e.message, type: e.type, param: e.param, code: e.status };
    send(res, e.status, o.errorShape === 'nested' ? { error: fields } : { object: 'error', ...fields }, headers);
  };

  async function chat(req: IncomingMessage, res: ServerResponse) {
    const record: ReceivedRequest = { body: {}, authorization: req.headers.authorization ?? null, images: [], videos: [], text: '', promptTokens: 0, outcome: '' };
    requests.push(record);
    const raw = await readBody(req);
    let sent: Record<string, unknown> = {};
    try { sent = JSON.parse(raw) as Record<string, unknown>; } catch { /* refused below */ }
    const at = faults.findIndex((f) => !f.match || f.match(sent));
    const fault = at < 0 ? undefined : faults.splice(at, 1)[0];
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'drop') { record.outcome = 'fault:drop'; req.socket.destroy(); return; }
    if (fault?.kind === 'status') {
      record.outcome = `fault:${fault.status}`;
      return error(res, new BadRequest(fault.message ?? (fault.status === 429 ? 'Too many requests' : 'Internal server error'), fault.status, fault.status === 429 ? 'RateLimitError' : 'InternalServerError'), fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
    }
    if (options.apiKey && record.authorization !== `Bearer ${options.apiKey}`) { record.outcome = '401'; return send(res, 401, { error: 'Unauthorized' }); }
    let parsed;
    try {
      let json: unknown;
      try { json = JSON.parse(raw); } catch { throw new BadRequest('the request body is not valid JSON'); }
      parsed = parseChat(json, o);
    } catch (e) {
      if (!(e instanceof BadRequest)) throw e;
      record.outcome = String(e.status);
      return error(res, e);
    }
    Object.assign(record, parsed);
    const text = answer(record);
    const words = text.split(/(?<= )/);
    const maxTokens = (parsed.body.max_tokens as number | undefined) ?? 16;
    const pieces = words.slice(0, maxTokens);
    const finish = pieces.length < words.length ? 'length' : 'stop';
    const usage = { prompt_tokens: parsed.promptTokens, completion_tokens: pieces.length, total_tokens: parsed.promptTokens + pieces.length };
    const id = `chatcmpl-contract-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    if (parsed.body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (choice: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: o.model, choices: [{ index: 0, logprobs: null, finish_reason: null, ...choice }], ...extra })}\n\n`);
      chunk({ delta: { role: 'assistant', content: '' } });
      for (let i = 0; i < pieces.length; i++) {
        if (fault?.kind === 'cut' && i === fault.chunks) { record.outcome = 'fault:cut'; res.socket?.destroy(); return; }
        chunk({ delta: { content: pieces[i] } });
      }
      chunk({ delta: {}, finish_reason: finish });
      const so = parsed.body.stream_options as { include_usage?: unknown } | undefined;
      if (so?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: o.model, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
      record.outcome = '200';
      return;
    }
    const json = JSON.stringify({ id, object: 'chat.completion', created, model: o.model, choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, logprobs: null, finish_reason: finish }], usage });
    if (fault?.kind === 'cut') {
      record.outcome = 'fault:cut';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(json.length) });
      res.write(json.slice(0, json.length >> 1));
      res.socket?.destroy();
      return;
    }
    record.outcome = '200';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(json);
  }

  const allowed = options.allowedOrigins ?? ['*'];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    const origin = req.headers.origin;
    if (origin && (allowed.includes('*') || allowed.includes(origin))) {
      res.setHeader('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
      if (req.method === 'OPTIONS') {
        res.writeHead(200, { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*', 'access-control-max-age': '600' });
        return void res.end();
      }
    } else if (req.method === 'OPTIONS') {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return void res.end('Disallowed CORS origin');
    }
    if (req.method === 'GET' && url.pathname === '/health') return void res.writeHead(200).end();
    if (req.method === 'GET' && url.pathname === '/v1/models') {
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return send(res, 401, { error: 'Unauthorized' });
      return send(res, 200, { object: 'list', data: [{ id: o.model, object: 'model', created: 0, owned_by: 'vllm', root: o.model, parent: null, max_model_len: o.maxModelLen, permission: [] }] });
    }
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
      return void chat(req, res).catch((e) => { if (!res.headersSent) error(res, new BadRequest(String(e), 500, 'InternalServerError')); });
    }
    error(res, new BadRequest('Not Found', 404, 'NotFoundError'));
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(options.port ?? 0, '127.0.0.1', () => resolve()); });
  const port = (server.address() as { port: number }).port;
  let killed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    model: o.model,
    requests,
    fault: (...f) => { faults.push(...f); },
    kill: () => (killed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    })),
  };
}
