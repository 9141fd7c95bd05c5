/**
 * The endpoint responder, the connection check and the pipeline against the vLLM contract server
 * (scripts/vllmContract.ts): what only vLLM and SGLang do (video_url data URLs, --limit-mm-per-prompt,
 * max_model_len, their error bodies) and faults a real server shows only sometimes (429 with Retry-After, 500,
 * slow answers, a connection cut mid-stream, a server that dies mid-run). Every server here is on loopback.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { RgbaFrame } from '../src/core/frame';
import { probeVideo } from '../src/media/probe';
import { timelineFromRate } from '../src/media/timeline';
import { checkCanonical } from '../src/pairs';
import { DEFAULT_PROMPTS, JobQueue, type JobResult, type PipelineJob, planJobs, runJob } from '../src/pipeline';
import { EndpointResponder } from '../src/respond/endpoint/endpointResponder';
import {
  ContextTooLongError, EndpointHttpError, EndpointTimeoutError, EndpointUnreachableError, ModelNotServedError, MultimodalLimitError,
} from '../src/respond/endpoint/errors';
import type { EndpointOptions } from '../src/respond/endpoint/options';
import { encodeMp4 } from './ffmpegFrames';
import { findFfmpeg } from './find-tools.mjs';
import { type ContractOptions, type ContractServer, startContractServer } from './vllmContract';

const ROOT = path.resolve(__dirname, '..');
const servers: ContractServer[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.kill())); });
const start = async (o: ContractOptions = {}) => { const s = await startContractServer(o); servers.push(s); return s; };

/** Frames with a horizontal gradient whose brightness names the frame. */
const frames = (n: number, width = 64, height = 36): RgbaFrame[] => Array.from({ length: n }, (_, k) => {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) { data.set([(k * 30) % 256, ((i % width) * 255) / width, 128, 255], i * 4); }
  return { width, height, data };
});

/** Waits recorded instead of slept, so backoff is checked exactly and fast. */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => { waits.push(ms); } };
}

const responder = (s: ContractServer, o: Partial<EndpointOptions> = {}) => new EndpointResponder({ baseUrl: s.url, model: s.model, retryBaseMs: 10, ...o });

describe('request shapes as vLLM takes them', () => {
  it('sends each frame as a base64 JPEG image_url of the frame size, and the text after them', async () => {
    const s = await start();
    const r = await responder(s).respond({ frames: frames(5), query: 'Where is the cup?', settings: { maxTokens: 8, temperature: 0, seed: 3 } });
    expect(r.text).toBe('I saw 5 image(s) and 0 video(s).');
    const got = s.requests[0];
    expect(got.outcome).toBe('200');
    expect(got.images).toHaveLength(5);
    const decoded = await Promise.all(got.images.map(async (b) => { const { data, info } = await sharp(b).raw().toBuffer({ resolveWithObject: true }); return { width: info.width, height: info.height, data }; }));
    expect(decoded.map((d) => [d.width, d.height])).toEqual(Array(5).fill([64, 36]));
    // Frame order survives: the red channel was 0, 30, 60, ... (JPEG-rounded).
    decoded.forEach((d, k) => expect(Math.abs(d.data[0] - k * 30)).toBeLessThan(12));
    const content = (got.body.messages as { content: { type: string }[] }[])[0].content;
    expect(content.map((p) => p.type)).toEqual([...Array(5).fill('image_url'), 'text']);
    expect(got.body).toMatchObject({ max_tokens: 8, temperature: 0, seed: 3, model: s.model });
    expect(r.provenance).toMatchObject({ videoAs: 'image_url', frames: 5, usage: { promptTokens: got.promptTokens } });
  });

  it('encodes a frame once however many requests carry it (a job sends its sparse view with each rewrite)', async () => {
    const s = await start();
    let encodes = 0;
    const rs = responder(s, { encodeJpeg: async (f) => { encodes++; return (await import('../src/respond/endpoint/jpeg')).encodeJpegDefault(f, 0.85); } });
    const view = frames(3);
    await Promise.all([0, 1, 2].map((i) => rs.respond({ frames: view, query: `rewrite ${i}` })));
    expect(encodes).toBe(3);
    expect(s.requests.map((r) => r.images.length)).toEqual([3, 3, 3]);
    await rs.respond({ frames: frames(3), query: 'new frames' });
    expect(encodes).toBe(6);
  });

  const ffmpeg = findFfmpeg();
  it.skipIf(!ffmpeg)('sends video_url as one MP4 data URL that holds every frame', async () => {
    const s = await start();
    const r = await responder(s, { videoAs: 'video_url', videoFps: 4, encodeVideo: (f, fps) => encodeMp4(ffmpeg!, f, fps) })
      .respond({ frames: frames(6), query: 'What happens after the car stops?', settings: { maxTokens: 8 } });
    expect(r.provenance.videoAs).toBe('video_url');
    const got = s.requests[0];
    expect(got.images).toHaveLength(0);
    expect(got.videos).toHaveLength(1);
    const { probe, timeline } = await probeVideo(new Blob([got.videos[0]]));
    expect(timeline.frameCount).toBe(6);
    expect(timeline.fps).toBeCloseTo(4, 5);
    expect([probe.width, probe.height]).toEqual([64, 36]);
  });

  it('streams: deltas assembled, usage from the include_usage chunk, [DONE] ends it', async () => {
    const s = await start({ answer: () => 'the red cup is left of the phone' });
    const rs = responder(s, { stream: true });
    const r = await rs.respond({ frames: frames(2), query: 'q', settings: { maxTokens: 32 } });
    expect(r.text).toBe('the red cup is left of the phone');
    expect(s.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(r.provenance.usage).toEqual({ promptTokens: s.requests[0].promptTokens, completionTokens: 8 });
    expect(rs.tokensUsed).toMatchObject({ completionTokens: 8, requests: 1 });
  });

  it('reads the older flat error body as well as the nested one', async () => {
    for (const errorShape of ['nested', 'flat'] as const) {
      const s = await start({ errorShape, limitMmPerPrompt: { image: 2 } });
      const e = await responder(s).respond({ frames: frames(3), query: 'q' }).catch((x) => x);
      expect(e).toBeInstanceOf(MultimodalLimitError);
      expect(e).toMatchObject({ status: 400, modality: 'image', limit: 2 });
    }
  });
});

describe("vLLM's refusals as named errors, not retried", () => {
  it('more frames than --limit-mm-per-prompt: MultimodalLimitError naming the flag', async () => {
    const s = await start({ limitMmPerPrompt: { image: 4 } });
    const e = await responder(s).respond({ frames: frames(8), query: 'q' }).catch((x) => x);
    expect(e).toBeInstanceOf(MultimodalLimitError);
    expect(e.limit).toBe(4);
    expect(e.message).toContain('--limit-mm-per-prompt');
    expect(s.requests).toHaveLength(1);
  });

  it('a prompt over max_model_len: ContextTooLongError', async () => {
    const s = await start({ maxModelLen: 300, tokensPerImage: 64 });
    const e = await responder(s).respond({ frames: frames(5), query: 'q', settings: { maxTokens: 16 } }).catch((x) => x);
    expect(e).toBeInstanceOf(ContextTooLongError);
    expect(e.message).toMatch(/maximum context length is 300 tokens/);
    expect(s.requests).toHaveLength(1);
  });

  it('a model it does not serve: ModelNotServedError (404)', async () => {
    const s = await start();
    const e = await new EndpointResponder({ baseUrl: s.url, model: 'Qwen2.5-VL-7B' }).respond({ frames: [], query: 'q' }).catch((x) => x);
    expect(e).toBeInstanceOf(ModelNotServedError);
    expect(e).toMatchObject({ status: 404, model: 'Qwen2.5-VL-7B' });
  });

  it('a wrong API key: HTTP 401, the key never in the message', async () => {
    const s = await start({ apiKey: 'sk-right' });
    const e = await responder(s, { apiKey: 'sk-wrong-secret' }).respond({ frames: [], query: 'q' }).catch((x) => x);
    expect(e).toBeInstanceOf(EndpointHttpError);
    expect(e.status).toBe(401);
    expect(e.message).not.toContain('sk-wrong-secret');
    expect(s.requests[0].authorization).toBe('Bearer sk-wrong-secret');
    const ok = await responder(s, { apiKey: 'sk-right' }).respond({ frames: [], query: 'q' });
    expect(ok.text).toContain('0 image(s)');
  });
});

describe('faults: retries, backoff, timeouts, cut connections', () => {
  it('429 with Retry-After is retried after exactly that long; then it answers', async () => {
    const s = await start();
    s.fault({ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'status', status: 429, retryAfter: '1' });
    const { waits, sleep } = recordingSleep();
    const r = await responder(s, { sleep }).respond({ frames: frames(1), query: 'q' });
    expect(r.text).toContain('1 image(s)');
    expect(waits).toEqual([2000, 1000]);
    expect(s.requests.map((q) => q.outcome)).toEqual(['fault:429', 'fault:429', '200']);
  });

  it('500s back off exponentially with seeded jitter and give up after `retries` with the last status', async () => {
    const s = await start();
    s.fault(...Array(4).fill({ kind: 'status', status: 500, message: 'CUDA out of memory' }));
    const { waits, sleep } = recordingSleep();
    const e = await responder(s, { sleep, retries: 3, retryBaseMs: 100 }).respond({ frames: [], query: 'q' }).catch((x) => x);
    expect(e).toBeInstanceOf(EndpointHttpError);
    expect(e).toMatchObject({ status: 500, serverMessage: 'CUDA out of memory' });
    expect(s.requests).toHaveLength(4);
    expect(waits).toHaveLength(3);
    waits.forEach((w, i) => { expect(w).toBeGreaterThanOrEqual(50 * 2 ** i); expect(w).toBeLessThanOrEqual(100 * 2 ** i); });
    // Seeded: the same seed waits the same.
    const again = recordingSleep();
    s.fault(...Array(4).fill({ kind: 'status', status: 503 }));
    await responder(s, { sleep: again.sleep, retries: 3, retryBaseMs: 100 }).respond({ frames: [], query: 'q' }).catch(() => undefined);
    expect(again.waits).toEqual(waits);
  });

  it('a dropped connection and a stream cut mid-answer are retried; the answer is whole', async () => {
    const s = await start({ answer: () => 'one two three four five six' });
    s.fault({ kind: 'drop' }, { kind: 'cut', chunks: 2 });
    const { waits, sleep } = recordingSleep();
    const r = await responder(s, { sleep, stream: true }).respond({ frames: frames(1), query: 'q', settings: { maxTokens: 32 } });
    expect(r.text).toBe('one two three four five six');
    expect(s.requests.map((q) => q.outcome)).toEqual(['fault:drop', 'fault:cut', '200']);
    expect(waits).toHaveLength(2);
  });

  it('a non-streamed body cut in half is retried, not parsed', async () => {
    const s = await start();
    s.fault({ kind: 'cut', chunks: 0 });
    const { sleep } = recordingSleep();
    const r = await responder(s, { sleep }).respond({ frames: [], query: 'q' });
    expect(r.text).toContain('0 image(s)');
    expect(s.requests.map((q) => q.outcome)).toEqual(['fault:cut', '200']);
  });

  it('an answer slower than timeoutMs is an EndpointTimeoutError naming the limit', async () => {
    const s = await start();
    s.fault({ kind: 'delay', ms: 1500 });
    const e = await responder(s, { timeoutMs: 200 }).respond({ frames: [], query: 'q' }).catch((x) => x);
    expect(e).toBeInstanceOf(EndpointTimeoutError);
    expect(e.message).toContain('200 ms');
  });

  it('a server that dies mid-run fails the jobs left by name, keeps the finished ones, and a retry after it is back asks nothing twice', async () => {
    const answer = (r: { text: string }) => `it is about ${r.text.slice(0, 40)}`;
    const s = await start({ answer });
    const jobs = planJobs([{ id: 'a', path: 'a.mp4' }, { id: 'b', path: 'b.mp4' }, { id: 'c', path: 'c.mp4' }], ['spatial', 'temporal'], 0);
    const rs = responder(s, { retries: 1, sleep: async () => undefined, concurrency: 1 });
    const results = new Map<string, JobResult>();
    const failures = new Map<string, unknown>();
    let restarted: ContractServer | undefined;
    const queue = new JobQueue<PipelineJob, JobResult>(jobs, {
      concurrency: 1,
      run: (job, signal) => runJob(job, {
        source: async (v) => ({ id: v.id, path: v.path, timeline: timelineFromRate(0, 6, 10) }),
        frames: async (view) => ({ preferred: frames(view.preferred.frames.length, 16, 16), adversarial: frames(view.adversarial.frames.length, 16, 16) }),
        responder: rs, prompts: DEFAULT_PROMPTS, frameBudget: 4, settings: { maxTokens: 8 },
      }, signal),
      onResult: async (job, r) => {
        results.set(job.key, r);
        if (results.size === 2) await s.kill(); // dies after two jobs (8 requests)
      },
      onFailure: (job, e) => failures.set(job.key, e),
    });
    const end = await queue.run();
    expect(end).toMatchObject({ done: 2, failed: 4 });
    for (const e of failures.values()) expect(e).toBeInstanceOf(EndpointUnreachableError);
    const asked = s.requests.length;
    expect(asked).toBe(8);
    // Back on the same port: only the failed jobs run again.
    restarted = await start({ port: s.port, answer });
    queue.retryFailed();
    const again = await queue.run();
    expect(again).toMatchObject({ done: 6, failed: 0 });
    expect(restarted.requests).toHaveLength(4 * 4);
    expect(new Set(results.keys())).toEqual(new Set(jobs.map((j) => j.key)));
    const pairs = [...results.values()].flatMap((r) => r.pairs);
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) expect(checkCanonical(p)).toEqual(p);
  });
});

describe('the connection check', () => {
  const plan = { frames: 8, width: 64, height: 36, maxTokens: 64 };

  it('passes on a server that takes the run, with vLLM named and the context counted by the server', async () => {
    const s = await start({ maxModelLen: 4096 });
    const report = await responder(s).checkConnection(plan);
    expect(report.ok).toBe(true);
    expect(report.serverKind).toBe('vllm');
    expect(report.models).toEqual([s.model]);
    expect(report.maxModelLen).toBe(4096);
    expect(report.promptTokens).toBe(s.requests[0].promptTokens);
    expect(s.requests[0].images).toHaveLength(8); // the probe carries what a run request carries
    expect(s.requests[0].body.max_tokens).toBe(1);
    expect(Object.fromEntries(report.checks.map((c) => [c.name, c.ok]))).toEqual({ reachable: true, cors: null, model: true, vision: true, 'multimodal-limit': true, context: true });
  });

  it('names each failure with the setting that fixes it', async () => {
    const unreachable = await new EndpointResponder({ baseUrl: 'http://127.0.0.1:9', model: 'm' }).checkConnection(plan);
    expect(unreachable.checks).toEqual([expect.objectContaining({ name: 'reachable', ok: false })]);

    const wrongModel = await new EndpointResponder({ baseUrl: (await start()).url, model: 'other' }).checkConnection(plan);
    expect(wrongModel.checks.find((c) => c.name === 'model')).toMatchObject({ ok: false, detail: expect.stringContaining('"contract-vl"') });

    const textOnly = await responder(await start({ limitMmPerPrompt: { image: 0 } })).checkConnection(plan);
    expect(textOnly.checks.find((c) => c.name === 'vision')).toMatchObject({ ok: false, detail: expect.stringContaining('takes no image input') });

    const limited = await responder(await start({ limitMmPerPrompt: { image: 4 } })).checkConnection(plan);
    expect(limited.ok).toBe(false);
    expect(limited.checks.find((c) => c.name === 'multimodal-limit')).toMatchObject({ ok: false, setting: `vLLM: --limit-mm-per-prompt '{"image": 8}'` });

    // The probe fits but the run's answer and query would not: 8 x 64 + 8 = 520 prompt tokens + 256 + 64 > 700.
    const tight = await responder(await start({ maxModelLen: 700 })).checkConnection(plan);
    expect(tight.checks.find((c) => c.name === 'context')).toMatchObject({ ok: false, detail: expect.stringContaining('> the context of 700') });

    const tooLong = await responder(await start({ maxModelLen: 400 })).checkConnection(plan);
    expect(tooLong.checks.find((c) => c.name === 'context')).toMatchObject({ ok: false, detail: expect.stringContaining('maximum context length is 400') });

    const keyed = await responder(await start({ apiKey: 'sk-1' })).checkConnection(plan);
    expect(keyed.checks.find((c) => c.name === 'key')).toMatchObject({ ok: false });
  });

  it('checks a text judge without frames', async () => {
    const s = await start({ limitMmPerPrompt: { image: 0, video: 0 } });
    const report = await responder(s).checkConnection({ frames: 0, width: 0, height: 0, maxTokens: 256 });
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['reachable', 'cors', 'model', 'context']);
    expect(typeof s.requests[0].body.messages).toBe('object');
    expect(s.requests[0].images).toHaveLength(0);
  });
});

const MEDIA = path.resolve(ROOT, '../shared/media/walk.mkv');
describe.skipIf(!existsSync(MEDIA) || !findFfmpeg())('npm run pipeline with --video-as video_url --queries endpoint', () => {
  const written = { query: 'Does the person walk toward the camera or away from it?', rewrites: ['Why does the person walk backwards?', 'After the person stops, who comes in?', 'Does the person walk away first and then toward it?'] };
  it('checks first, has the model write the questions from the preferred view, sends each view as one MP4 of its frames; records say so', async () => {
    const s = await start({ tokensPerVideo: 256, answer: (r) => (r.text.startsWith('You write questions') ? JSON.stringify(written) : `it is about ${r.text.slice(0, 40)}`) });
    const dir = mkdtempSync(path.join(tmpdir(), 'pasta-contract-'));
    try {
      symlinkSync(MEDIA, path.join(dir, 'walk.mkv'));
      const out = path.join(dir, 'pairs.jsonl');
      // Async: the contract server answers from this process, so the event loop must stay free.
      const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('npx', ['tsx', 'scripts/pipeline.ts', '--videos', dir, '--endpoint', s.url, '--model', s.model, '--categories', 'temporal', '--frames', '4', '--max-side', '64', '--max-tokens', '8', '--video-as', 'video_url', '--queries', 'endpoint', '--out', out], { cwd: ROOT });
        let stdout = '', stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/connection: ok/);
      const [probe, writer, ...asked] = s.requests;
      expect(probe.body.max_tokens).toBe(1);
      expect(writer.text).toMatch(/^You write questions/);
      expect(writer.videos).toHaveLength(1);
      expect(asked).toHaveLength(4); // r+ and three rewrites
      expect(asked[0].text).toBe(written.query);
      expect(asked.slice(1).map((r) => r.text).sort()).toEqual([...written.rewrites].sort()); // asked at once: any arrival order
      const counts: number[] = [];
      for (const r of asked) {
        expect(r.images).toHaveLength(0);
        expect(r.videos).toHaveLength(1);
        counts.push((await probeVideo(new Blob([r.videos[0]]))).timeline.frameCount);
      }
      const records = readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect(records.length).toBeGreaterThan(0);
      for (const rec of records) {
        expect(checkCanonical(rec)).toEqual(rec);
        expect(rec.generator.details).toMatchObject({ video_as: 'video_url', chosen_frames: counts[0], query_source: 'endpoint', template: 'endpoint-written' });
        expect(rec.query).toBe(written.query);
        expect(rec.sampling.chosen).toEqual({ mode: 'nframes', value: counts[0] });
        expect(counts.slice(1)).toContain(rec.generator.details.frames); // each r- clip held the sparse view's frames
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
