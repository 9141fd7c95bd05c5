/**
 * The pipeline's throughput against a real `transformers serve` on loopback (the tiny random-weight Idefics3 of
 * scripts/tiny_vlm.py, scripts/transformersServe.ts), and how much of the time is the workbench's own work.
 *
 *   npm run bench:pipeline -- [--videos DIR] [--jobs N] [--concurrency 1,2,4] [--frames 8] [--max-side 224]
 *                             [--max-tokens 16] [--judge] [--decode-inline]
 *
 * The same jobs, views, prompts and requests as `npm run pipeline` (planJobs + JobQueue + runJob in-process; the
 * queue runs ceil(level / 2) jobs at once and the responder allows `level` requests in flight, as scripts/pipeline.ts
 * does with --concurrency). The same N jobs (seeds 0, 1, ... over the videos and the three categories) run at
 * each level on one server, warmed first by three untimed jobs of another seed (the first requests after the
 * start cost about 200 ms, and the pipeline's own code is compiled on first use).
 * Measured per level, summed over every request:
 * - server: our `fetch` wrapper, from the call until the response body has been read entirely (arrayBuffer(),
 *   handed back as a new Response over the bytes): the server's time plus loopback and Node's HTTP client.
 * - encode: the JPEG encoder (src/respond/endpoint/jpeg.ts's default, sharp in Node; OffscreenCanvas in a
 *   browser) wrapped, one encode at a time (respond() starts a view's encodes together; timed side by side, each
 *   would count its wait behind the others). The responder encodes each frame object once, so a job's three
 *   rewrites share the sparse view's JPEGs. sharp runs on libuv's thread pool, off the JS thread.
 * - other JS: the time this Node thread was busy during the level (performance.eventLoopUtilization's active
 *   time): chatRequest, base64, JSON.stringify of bodies, JSON parse of replies, Node's own
 *   HTTP client, the pipeline's logic. Not respond()'s residual as first planned (end to end minus its fetch,
 *   encode and slot wait; the Limiter is wrapped to see the wait): with several calls in flight each call's span
 *   holds other calls' synchronous work (their encodes above all), so that residual counts the same milliseconds
 *   several times (one try, 3 jobs: 1594 ms at level 1 and 3259 ms at level 4, against 106 and -17 ms of other
 *   busy time on the thread). It is still in the JSON as respond_residual_ms, for what it is.
 * - workbench = encode + other JS; share = workbench / (workbench + server); target under
 *   10%. busy/wall = the thread's busy time over the level's wall time.
 * - decode: ffmpeg (scripts/ffmpegFrames.ts), the Node decode path (the browser decodes with WebCodecs), so it is
 *   reported apart. By default every job's frames are decoded once up front, before any level, so levels compare
 *   the same work and ffmpeg does not take CPU from the server while it is timed; --decode-inline decodes inside
 *   each level as `npm run pipeline` does (then wall time and pairs per minute include it).
 * - CPU: this Node process (process.cpuUsage, all its threads) and the server process (/proc/PID/stat), as a
 *   cross-check of the interval sums: server spans overlap at levels above 1, and a reply that arrives while this
 *   thread is busy encoding is only read when it is free, so server ms also holds waits on our thread.
 * The judge is off by default: the tiny random model never answers the JSON the judge prompt asks for, so every
 * judged job fails with a JudgeReplyError and makes no pairs (scripts/pipeline.test.ts checks exactly that).
 * --judge sends the judge request to the same server anyway (failed jobs are counted, its requests timed).
 * Prints a table and then one JSON line; timings are reported, never asserted.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance as nodePerformance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { applyAdversary } from '../src/adversary';
import { CATEGORIES, type AdversarialView } from '../src/adversary/types';
import { fitMaxSide } from '../src/media/frameSize';
import { probeVideo } from '../src/media/probe';
import { planFrames } from '../src/media/samplers';
import type { FrameTimeline } from '../src/media/timeline';
import { DEFAULT_PROMPTS, JobQueue, type JobResult, type PipelineJob, jobSpec, planJobs, runJob } from '../src/pipeline';
import type { Responder, ResponseRequest } from '../src/respond/responder';
import { EndpointResponder } from '../src/respond/endpoint/endpointResponder';
import { encodeJpegDefault } from '../src/respond/endpoint/jpeg';
import { DecodedFrames } from './ffmpegFrames';
import { findFfmpeg } from './find-tools.mjs';
import { progressLine } from './progress';
import { startTransformersServe, type TransformersServe } from './transformersServe';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    videos: { type: 'string', default: path.resolve(ROOT, '../shared/media') },
    jobs: { type: 'string', default: '18' },
    concurrency: { type: 'string', default: '1,2,4' },
    frames: { type: 'string', default: '8' },
    'max-side': { type: 'string', default: '224' },
    'max-tokens': { type: 'string', default: '16' },
    judge: { type: 'boolean', default: false },
    'decode-inline': { type: 'boolean', default: false },
  },
});
const int = (name: 'jobs' | 'frames' | 'max-side' | 'max-tokens', least: number) => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < least) throw new TypeError(`--${name} must be a whole number of at least ${least}, got ${args[name]}`);
  return v;
};
const jobCount = int('jobs', 1);
const frameBudget = int('frames', 1);
const maxSide = int('max-side', 16);
const maxTokens = int('max-tokens', 1);
const levels = args.concurrency!.split(',').map((s) => Number(s.trim()));
for (const l of levels) if (!Number.isInteger(l) || l < 1) throw new TypeError(`--concurrency must list whole numbers of at least 1, got ${args.concurrency}`);
const decodeInline = args['decode-inline']!;
const useJudge = args.judge!;
const ffmpeg = findFfmpeg();
if (!ffmpeg) throw new Error('No ffmpeg: run `node scripts/ensure-tools.mjs`');

const root = path.resolve(args.videos!);
const VIDEO = /\.(mp4|m4v|mov|mkv|webm)$/i;
const listVideos = (dir: string): string[] =>
  readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listVideos(full) : VIDEO.test(name) ? [full] : [];
  });
const files = listVideos(root);
if (!files.length) throw new Error(`--videos ${root}: no video files (${VIDEO.source})`);
const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
const fileOf = new Map(files.map((f) => [relative(f), f]));
const videos = files.map((f) => ({ id: relative(f), path: relative(f) }));
// N jobs: seed 0 over every video and category, then seed 1, and so on.
const jobs: PipelineJob[] = [];
for (let seed = 0; jobs.length < jobCount; seed++) jobs.push(...planJobs(videos, CATEGORIES, seed));
jobs.length = jobCount;

const probes = new Map<string, { timeline: FrameTimeline; width: number; height: number }>();
for (const f of files) {
  const { probe, timeline } = await probeVideo(new Blob([readFileSync(f)]));
  probes.set(f, { timeline, width: probe.width, height: probe.height });
}

// Decoded frames shared by the jobs of a video, as scripts/pipeline.ts shares them (DecodedFrames): filled up front
// (default) and kept for every level, or with --decode-inline a fresh store per level, decoded as jobs ask.
const indicesOf = (view: AdversarialView) => [...view.preferred.frames, ...view.adversarial.frames].map((f) => f.index);
let store = new DecodedFrames(ffmpeg!, files.length);
const decode = (file: string, indices: number[]) => {
  const { width, height } = probes.get(file)!;
  return store.get(file, indices, fitMaxSide(width, height, maxSide));
};

let server: TransformersServe | undefined;
let stopping = false;
process.once('SIGINT', () => {
  stopping = true;
  process.stderr.write('\nbench:pipeline: interrupted, stopping the server\n');
  void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
});

interface Stats {
  requests: number; fetches: number; serverMs: number; encodeMs: number; jpegs: number; respondMs: number; waitMs: number;
  waitSeen: boolean; bytesSent: number;
}
const freshStats = (): Stats => ({ requests: 0, fetches: 0, serverMs: 0, encodeMs: 0, jpegs: 0, respondMs: 0, waitMs: 0, waitSeen: false, bytesSent: 0 });

let encoding: Promise<void> = Promise.resolve();
/** An EndpointResponder whose fetch, JPEG encoder and concurrency slots are timed into `stats`, wrapped so respond() is timed end to end. */
function instrumented(srv: TransformersServe, concurrency: number, stats: Stats): Responder & { tokens(): { prompt: number; completion: number } } {
  const timedFetch: typeof fetch = async (input, init) => {
    const t = performance.now();
    const res = await fetch(input, init);
    const bytes = await res.arrayBuffer();
    stats.serverMs += performance.now() - t;
    stats.fetches++;
    if (typeof init?.body === 'string') stats.bytesSent += Buffer.byteLength(init.body);
    return new Response(bytes, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  const endpoint = new EndpointResponder({
    baseUrl: srv.baseUrl, model: srv.model, concurrency, fetch: timedFetch,
    encodeJpeg: async (frame, quality) => {
      // One at a time: respond() starts all of a view's encodes together (Promise.all); timed side by side, each
      // would count its wait behind the others.
      const prev = encoding;
      let release!: () => void;
      encoding = new Promise<void>((r) => (release = r));
      await prev;
      const t = performance.now();
      try {
        return await encodeJpegDefault(frame, quality);
      } finally {
        stats.encodeMs += performance.now() - t;
        stats.jpegs++;
        release();
      }
    },
  });
  // The wait for a slot: the responder's private Limiter, reached by name. If a refactor renames it, the wait
  // stays inside build/parse and the report says so (limiter_wait_ms null).
  const limiter = (endpoint as unknown as { limiter?: { run?: <T>(task: () => Promise<T>) => Promise<T> } }).limiter;
  if (limiter && typeof limiter.run === 'function') {
    const run = limiter.run.bind(limiter);
    stats.waitSeen = true;
    limiter.run = <T>(task: () => Promise<T>) => {
      const asked = performance.now();
      return run(() => {
        stats.waitMs += performance.now() - asked;
        return task();
      });
    };
  }
  return {
    label: endpoint.label,
    respond: async (request: ResponseRequest) => {
      const t = performance.now();
      try {
        return await endpoint.respond(request);
      } finally {
        stats.respondMs += performance.now() - t;
        stats.requests++;
      }
    },
    tokens: () => ({ prompt: endpoint.tokensUsed.promptTokens, completion: endpoint.tokensUsed.completionTokens }),
  };
}

/** CPU seconds (user + system) of a process from /proc, null where there is no /proc. */
function procCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 (utime, stime, cutime, cstime) in clock ticks; index 0 here is field 3. Ticks are 100 Hz on Linux.
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
interface Level {
  concurrency: number; jobs: number; failed: number; pairs: number; wall_s: number; pairs_per_min: number; requests: number; retries: number;
  server_ms: number; encode_ms: number; build_parse_ms: number; limiter_wait_ms: number | null; workbench_ms: number; workbench_share: number;
  node_busy_ms: number; node_busy_of_wall: number; respond_residual_ms: number;
  decode_ms: number; node_cpu_ms: number; server_cpu_ms: number | null; jpegs: number; mb_sent: number; prompt_tokens: number; completion_tokens: number;
  failures: string[];
}

async function runLevel(srv: TransformersServe, level: number, list: PipelineJob[] = jobs): Promise<Level> {
  const stats = freshStats();
  const responder = instrumented(srv, level, stats);
  const judge = useJudge ? instrumented(srv, level, stats) : undefined;
  if (decodeInline) store = new DecodedFrames(ffmpeg!, files.length);
  const decoded0 = store.stats.ms;
  let pairs = 0;
  const failures: string[] = [];
  const cpu0 = process.cpuUsage();
  const elu0 = nodePerformance.eventLoopUtilization();
  const srvCpu0 = procCpuMs(srv.pid);
  const started = performance.now();
  const queue = new JobQueue<PipelineJob, JobResult>(list, {
    concurrency: Math.max(1, Math.ceil(level / 2)),
    run: (job, signal) => runJob(job, {
      source: async (v) => ({ id: v.id, path: v.path, timeline: probes.get(fileOf.get(v.id)!)!.timeline }),
      frames: async (view, v) => {
        const decoded = await decode(fileOf.get(v.id)!, indicesOf(view));
        const pick = (fs: typeof view.preferred.frames) => fs.map((f) => decoded.get(f.index)!);
        return { preferred: pick(view.preferred.frames), adversarial: pick(view.adversarial.frames) };
      },
      responder,
      judge,
      prompts: DEFAULT_PROMPTS,
      frameBudget,
      settings: { maxTokens, temperature: 0 },
      judgeSettings: { maxTokens: 256, temperature: 0 },
    }, signal),
    onResult: (_job, r) => (pairs += r.pairs.length),
    onFailure: (job, e) => failures.push(`${job.key}: ${(e as Error).name}: ${(e as Error).message.slice(0, 160)}`),
    onProgress: (p) => {
      if (p.total) process.stderr.write(`\rconcurrency ${level}: ${progressLine(p.done + p.failed, p.total, (performance.now() - started) / 1000, `${pairs} pairs${p.failed ? `, ${p.failed} failed` : ''}`)}`);
    },
  });
  const end = await queue.run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const busyMs = nodePerformance.eventLoopUtilization(elu0).active;
  const srvCpu1 = procCpuMs(srv.pid);
  process.stderr.write('\n');
  // sharp encodes on libuv's pool, off this thread: the workbench is this thread's busy time plus the encode spans
  // (which also hold sharp's own small JS part, counted twice: the share errs high). See the header on why not
  // respond()'s residual.
  const buildParse = busyMs;
  const workbench = busyMs + stats.encodeMs;
  const tokens = [responder, judge].reduce((t, r) => (r ? { prompt: t.prompt + r.tokens().prompt, completion: t.completion + r.tokens().completion } : t), { prompt: 0, completion: 0 });
  return {
    concurrency: level, jobs: jobs.length, failed: end.failed, pairs, wall_s: round(wallMs / 1000, 2), pairs_per_min: round((pairs / wallMs) * 60_000, 1),
    requests: stats.requests, retries: stats.fetches - stats.requests,
    server_ms: round(stats.serverMs), encode_ms: round(stats.encodeMs), build_parse_ms: round(buildParse), limiter_wait_ms: stats.waitSeen ? round(stats.waitMs) : null,
    workbench_ms: round(workbench), workbench_share: round(workbench / (workbench + stats.serverMs), 4),
    node_busy_ms: round(busyMs), node_busy_of_wall: round(busyMs / wallMs, 4), respond_residual_ms: round(stats.respondMs - stats.encodeMs - stats.serverMs - stats.waitMs),
    decode_ms: round(store.stats.ms - decoded0), node_cpu_ms: round((cpu.user + cpu.system) / 1000), server_cpu_ms: srvCpu0 !== null && srvCpu1 !== null ? srvCpu1 - srvCpu0 : null,
    jpegs: stats.jpegs, mb_sent: round(stats.bytesSent / 1e6, 2), prompt_tokens: tokens.prompt, completion_tokens: tokens.completion,
    failures: failures.slice(0, 3),
  };
}

const results: Level[] = [];
let upfront: { ms: number; decodes: number } | null = null;
try {
  console.log(`[bench:pipeline] load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`[bench:pipeline] ${files.length} videos in ${path.relative(process.cwd(), root) || '.'}; ${jobs.length} jobs per level (${jobs.length * (useJudge ? 5 : 4)} requests); concurrency ${levels.join(', ')}; ${frameBudget} frames at ${maxSide} px max side; max_tokens ${maxTokens}; judge ${useJudge ? 'on (same server)' : 'off'}; decode ${decodeInline ? 'inline, per level' : 'once up front'}`);
  if (!decodeInline) {
    // The views runJob will make (jobSpec + applyAdversary over a uniform plan, as runJob does); a view this misses is decoded inline and shows in decode_ms.
    for (const job of jobs) {
      const file = fileOf.get(job.video.id)!;
      const { timeline } = probes.get(file)!;
      const view = applyAdversary(jobSpec(job, timeline.duration, frameBudget), { video: { id: job.video.id, path: job.video.path, timeline }, plan: planFrames(timeline, { mode: 'uniform', n: frameBudget }) });
      await decode(file, indicesOf(view));
    }
    upfront = { ms: round(store.stats.ms), decodes: store.stats.passes };
    console.log(`[bench:pipeline] decoded up front with ffmpeg: ${store.stats.passes} passes in ${round(store.stats.ms)} ms (${round(store.stats.ms / store.stats.passes)} ms each)`);
  }
  const t0 = performance.now();
  server = await startTransformersServe();
  console.log(`[bench:pipeline] transformers serve ${server.model} ready at ${server.baseUrl} in ${round((performance.now() - t0) / 1000, 1)} s`);
  {
    // Warm-up, untimed: a few whole jobs of another seed, so the first level does not pay for the first server
    // requests (about 200 ms) or for compiling the pipeline's own code; a long run is in that steady state.
    const t = performance.now();
    const warm = planJobs(videos.slice(0, 1), CATEGORIES, 1000);
    await runLevel(server, 1, warm);
    console.log(`[bench:pipeline] warm-up: ${warm.length} jobs in ${round(performance.now() - t)} ms`);
  }
  for (const level of levels) {
    if (stopping) break;
    results.push(await runLevel(server, level));
  }
} finally {
  await server?.stop();
}

const cols: [string, (l: Level) => string][] = [
  ['conc', (l) => String(l.concurrency)], ['jobs', (l) => `${l.jobs - l.failed}/${l.jobs}`], ['pairs', (l) => String(l.pairs)], ['wall s', (l) => l.wall_s.toFixed(2)],
  ['pairs/min', (l) => l.pairs_per_min.toFixed(1)], ['requests', (l) => String(l.requests)], ['server ms', (l) => String(l.server_ms)], ['encode ms', (l) => String(l.encode_ms)],
  ['other JS ms', (l) => String(l.build_parse_ms)], ['slot wait ms', (l) => (l.limiter_wait_ms === null ? '-' : String(l.limiter_wait_ms))], ['workbench ms', (l) => String(l.workbench_ms)],
  ['jpegs', (l) => String(l.jpegs)], ['share', (l) => `${(100 * l.workbench_share).toFixed(1)}%`], ['busy/wall', (l) => `${(100 * l.node_busy_of_wall).toFixed(1)}%`], ['decode ms', (l) => String(l.decode_ms)], ['node cpu ms', (l) => String(l.node_cpu_ms)], ['server cpu ms', (l) => (l.server_cpu_ms === null ? '-' : String(l.server_cpu_ms))],
];
const widths = cols.map(([h], i) => Math.max(h.length, ...results.map((l) => cols[i][1](l).length)));
console.log(cols.map(([h], i) => h.padStart(widths[i])).join('  '));
for (const l of results) console.log(cols.map(([, f], i) => f(l).padStart(widths[i])).join('  '));
for (const l of results) for (const f of l.failures) console.log(`  concurrency ${l.concurrency} failed: ${f}`);
const TARGET = 0.1;
const met = results.length > 0 && results.every((l) => l.workbench_share < TARGET);
const worst = results.reduce((w, l) => Math.max(w, l.workbench_share), 0);
console.log(`workbench share under ${100 * TARGET}% at every level: ${met ? 'met' : 'NOT met'} (highest ${(100 * worst).toFixed(1)}%)${decodeInline ? '' : `; decode (ffmpeg, Node only) ${upfront?.ms} ms up front in ${upfront?.decodes} passes, not in wall time`}`);
console.log(JSON.stringify({
  bench: 'pipeline', server: 'transformers serve', model: server?.model, videos: files.length, jobs: jobs.length, frames: frameBudget, max_side: maxSide, max_tokens: maxTokens,
  judge: useJudge, decode: decodeInline ? 'inline' : 'upfront', load_average_end: round(loadavg()[0], 2), decode_upfront_ms: upfront?.ms ?? null, levels: results, target_share: TARGET, target_met: met, highest_share: worst,
}));
process.exit(stopping ? 130 : 0);
