/**
 * Tests against a real `transformers serve` on loopback, serving the tiny model of scripts/tiny_vlm.py: frames as
 * image_url data URLs, streaming and not, the pinned model name, sampling settings, CORS with and without
 * --enable-cors, and that stop() ends the process. Two servers (one with --enable-cors) start together, once for
 * the file. Needs the .venv-ref that `node scripts/ensure-tools.mjs` makes (or PASTA_REF_PYTHON).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findServePython } from './find-tools.mjs';
import { EndpointResponder } from '../src/respond/endpoint/endpointResponder';
import { buildTinyVlm, startTransformersServe, type TransformersServe } from './transformersServe';

const ORIGIN = 'http://127.0.0.1:5173';
let plain: TransformersServe | undefined;
let cors: TransformersServe | undefined;
let frames: string[] = []; // base64 data URLs of 8 distinct JPEGs

/** Eight 224x126 JPEGs of different colours and stripes, written by Pillow (the server's own image library). */
function makeJpegs(python: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'pasta-serve-frames-'));
  try {
    const script = [
      'import sys',
      'from PIL import Image, ImageDraw',
      'for i in range(8):',
      '    im = Image.new("RGB", (224, 126), (30 * i, 255 - 30 * i, 128))',
      '    ImageDraw.Draw(im).rectangle([20 * i, 10, 20 * i + 40, 100], fill=(255, 255, 0))',
      '    im.save(f"{sys.argv[1]}/f{i}.jpg", quality=85)',
    ].join('\n');
    const run = spawnSync(python, ['-c', script, dir], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`writing test JPEGs failed: ${run.stderr}`);
    return readdirSync(dir).sort().map((f) => `data:image/jpeg;base64,${readFileSync(path.join(dir, f)).toString('base64')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function chatBody(model: string, nFrames: number, extra: Record<string, unknown> = {}) {
  const content = [
    { type: 'text', text: 'Which is further left, the cup or the phone?' },
    ...frames.slice(0, nFrames).map((url) => ({ type: 'image_url', image_url: { url } })),
  ];
  return { model, messages: [{ role: 'user', content }], max_tokens: 8, temperature: 0, ...extra };
}

async function post(server: TransformersServe, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
}

interface Completion {
  object: string;
  model: string;
  choices: { finish_reason: string; message: { role: string; content: string }; logprobs?: unknown }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

async function complete(server: TransformersServe, body: unknown): Promise<Completion> {
  const res = await post(server, body);
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}\n${server.log().slice(-2000)}`);
  return (await res.json()) as Completion;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

beforeAll(async () => {
  const python = findServePython();
  if (!python) throw new Error('No Python that can run `transformers serve`: run `node scripts/ensure-tools.mjs` (the .venv-ref) or set PASTA_REF_PYTHON');
  frames = makeJpegs(python);
  const t0 = performance.now();
  await buildTinyVlm(python); // once, before both start
  const [a, b] = await Promise.allSettled([startTransformersServe(), startTransformersServe({ enableCors: true })]);
  plain = a.status === 'fulfilled' ? a.value : undefined;
  cors = b.status === 'fulfilled' ? b.value : undefined;
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  console.log(`[transformersServe.test] model built or reused and two servers ready in ${Math.round(performance.now() - t0)} ms (pinned to ${plain!.model})`);
}, 240_000);

afterAll(async () => {
  await Promise.all([plain?.stop(), cors?.stop()]);
}, 30_000);

describe('transformers serve with the tiny model', () => {
  it('answers a chat completion with several image_url frames, all of them reaching the model', async () => {
    const four = await complete(plain!, chatBody(plain!.model, 4));
    expect(four.object).toBe('chat.completion');
    expect(four.model).toBe(`${plain!.model}@main`);
    expect(four.choices[0].message.role).toBe('assistant');
    expect(typeof four.choices[0].message.content).toBe('string');
    expect(four.choices[0].finish_reason).toBe('length'); // a random model rarely stops before max_tokens
    expect(four.usage.completion_tokens).toBe(8);
    // Each image is <fake_token_around_image><global-img>, image_seq_len <image> tokens, <fake_token_around_image>:
    // four more frames add exactly four of those to the prompt, so the server decoded and used every frame.
    const { image_seq_len: seq } = JSON.parse(readFileSync(path.join(plain!.modelDir, 'processor_config.json'), 'utf8')) as { image_seq_len: number };
    const eight = await complete(plain!, chatBody(plain!.model, 8));
    expect(eight.usage.prompt_tokens - four.usage.prompt_tokens).toBe(4 * (seq + 3));
  });

  it('streams server-sent events that end with finish_reason and usage, and no [DONE]', async () => {
    const res = await post(plain!, chatBody(plain!.model, 4, { stream: true, max_tokens: 6 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = text.split('\n\n').map((e) => e.trim()).filter(Boolean);
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.some((e) => e === 'data: [DONE]')).toBe(false);
    const chunks = events.map((e) => JSON.parse(e.slice(6)) as { object: string; choices: { delta: { content?: string }; finish_reason?: string }[]; usage?: Completion['usage'] });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    const last = chunks[chunks.length - 1];
    expect(last.choices[0].finish_reason).toBe('length');
    expect(last.usage?.completion_tokens).toBe(6);
    expect(chunks.slice(0, -1).every((c) => c.choices[0].finish_reason === undefined && c.usage === undefined)).toBe(true);
    // The streamed text is the greedy answer the same request gets without streaming.
    const streamed = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    const whole = await complete(plain!, chatBody(plain!.model, 4, { max_tokens: 6 }));
    expect(streamed).toBe(whole.choices[0].message.content);
  });

  it('pins its model: another name is a 400 that names the pinned one', async () => {
    const res = await post(plain!, chatBody('some-other-model', 1));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { detail: string };
    expect(body.detail).toContain(`Server is pinned to '${plain!.model}'`);
  });

  it('bad requests: an unknown field is a JSON 422, a malformed body a plain-text 500', async () => {
    const unknown = await post(plain!, chatBody(plain!.model, 1, { not_a_field: 1 }));
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { detail: string }).detail).toContain('not_a_field');
    const malformed = await post(plain!, { model: plain!.model, messages: 'not a list', max_tokens: 4 });
    expect(malformed.status).toBe(500);
    expect(malformed.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await malformed.text()).toBe('Internal Server Error');
  });

  it('sampling: temperature 0 repeats, a seed repeats, max_tokens is exact, logprobs are ignored', async () => {
    const greedy = await Promise.all([0, 1].map(() => complete(plain!, chatBody(plain!.model, 2, { max_tokens: 12 }))));
    expect(greedy[0].choices[0].message.content).toBe(greedy[1].choices[0].message.content);
    expect(greedy[0].usage.completion_tokens).toBe(12);
    // Sequential on purpose: the seed is torch's global one, so overlapping requests would share it.
    const seeded: string[] = [];
    for (const seed of [7, 7, 8]) seeded.push((await complete(plain!, chatBody(plain!.model, 2, { temperature: 1, seed, max_tokens: 12 }))).choices[0].message.content);
    expect(seeded[0]).toBe(seeded[1]);
    expect(seeded[2]).not.toBe(seeded[0]);
    const withLogprobs = await complete(plain!, chatBody(plain!.model, 2, { logprobs: true, top_logprobs: 2 }));
    expect(withLogprobs.choices[0].logprobs ?? null).toBeNull();
  });

  it('answers 4 and 8 frames in well under a second each', async () => {
    const times: Record<number, number[]> = { 4: [], 8: [] };
    for (let round = 0; round < 5; round++) {
      for (const n of [4, 8]) {
        const t0 = performance.now();
        await complete(plain!, chatBody(plain!.model, n));
        times[n].push(performance.now() - t0);
      }
    }
    console.log(`[transformersServe.test] one request, max_tokens 8, median wall ms: 4 frames ${median(times[4]).toFixed(0)}, 8 frames ${median(times[8]).toFixed(0)} (all: ${JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map(Math.round)])))})`);
    expect(median(times[4])).toBeLessThan(1000);
    expect(median(times[8])).toBeLessThan(1000);
  });
});

describe('CORS', () => {
  const preflight = (server: TransformersServe) =>
    fetch(`${server.baseUrl}/chat/completions`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,authorization' },
      signal: AbortSignal.timeout(10_000),
    });

  it('without --enable-cors a preflight is a 405 with no CORS headers', async () => {
    const res = await preflight(plain!);
    expect(res.status).toBe(405);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const post_ = await post(plain!, chatBody(plain!.model, 1), { Origin: ORIGIN });
    expect(post_.status).toBe(200);
    expect(post_.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('with --enable-cors the preflight passes and the origin is echoed back', async () => {
    const res = await preflight(cors!);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect((res.headers.get('access-control-allow-headers') ?? '').toLowerCase()).toContain('authorization');
    const answer = await post(cors!, chatBody(cors!.model, 2), { Origin: ORIGIN });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });
});

describe('the connection check against transformers serve', () => {
  const plan = { frames: 4, width: 224, height: 126, maxTokens: 16, origin: ORIGIN };
  it('passes with --enable-cors: no model list (its /v1/models is a 500 offline), so the probe tells model and vision', async () => {
    const report = await new EndpointResponder({ baseUrl: cors!.baseUrl, model: cors!.model }).checkConnection(plan);
    expect(report.ok).toBe(true);
    expect(report.models).toBeNull();
    expect(report.promptTokens).toBeGreaterThan(4 * 4); // each frame is 7 prompt tokens here, 4 of them image tokens
    expect(Object.fromEntries(report.checks.map((c) => [c.name, c.ok]))).toEqual({ reachable: true, cors: true, model: true, vision: true, 'multimodal-limit': true, context: null });
  });

  it('names --enable-cors without it, and a wrong model by the pinned one', async () => {
    const plainReport = await new EndpointResponder({ baseUrl: plain!.baseUrl, model: plain!.model }).checkConnection(plan);
    expect(plainReport.ok).toBe(false);
    expect(plainReport.checks.find((c) => c.name === 'cors')).toMatchObject({ ok: false, detail: expect.stringContaining('HTTP 405'), setting: expect.stringContaining('--enable-cors') });
    const wrong = await new EndpointResponder({ baseUrl: plain!.baseUrl, model: 'llava-7b', serverKind: 'transformers' }).checkConnection({ ...plan, origin: undefined });
    expect(wrong.checks.find((c) => c.name === 'model')).toMatchObject({ ok: false, detail: expect.stringContaining("pinned to 'pasta-tiny-vlm'") });
  });
});

describe('stop()', () => {
  it('ends the process it started and frees the port', async () => {
    const server = cors!;
    await server.stop();
    expect(() => process.kill(server.pid, 0)).toThrow(); // ESRCH: no such process
    await expect(fetch(`${server.baseUrl.replace(/\/v1$/, '')}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    await server.stop(); // a second call is harmless
  });
});
