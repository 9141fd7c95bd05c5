/**
 * The pipeline headless: pairs from an OpenAI-compatible Video-LLM server over a folder of videos.
 *
 *   npm run pipeline -- --videos DIR --endpoint URL --model NAME [--judge-endpoint URL --judge-model NAME]
 *                       [--categories spatial,temporal,cross-frame] [--concurrency 2] [--video-as image_url|video_url]
 *                       [--frames 16] [--max-side 224] [--seed 0] [--max-tokens 128] [--api-key-env VAR] [--no-check]
 *                       [--queries templates|endpoint] [--prompts prompts.json] [--extra-body JSON] --out pairs.jsonl
 *
 * The same jobs, views, prompts and records as the Pipeline view (src/pipeline). Frames are decoded with ffmpeg
 * (Node has no WebCodecs; scripts/ffmpegFrames.ts), from the timeline our own probe reads, once per frame for all
 * of a video's jobs (DecodedFrames), so each JPEG is encoded once too. Records are canonical
 * pairs, one JSON per line, `video.path` relative to --videos, appended as jobs finish; `OUT.jobs` lists every
 * finished job, so a second run with the same --out goes on where the first stopped and asks nothing twice.
 * API keys come from an environment variable (--api-key-env), never from the command line. Before the first job
 * each server is checked (reachable, model, vision, per-request item limit, context: src/respond/endpoint/connection.ts)
 * with one request shaped like the run's; a failed check stops the run with exit code 2 (--no-check skips it).
 * `--queries endpoint` has the Video-LLM write each question and its rewrites from the preferred view; `--prompts`
 * names a JSON file with `judge` and/or `query` texts replacing the defaults (src/pipeline/prompts.ts); the prompts
 * used are saved with every pair. `--extra-body` is a JSON object merged into every answering request (the server's
 * own sampling fields, e.g. vLLM's `{"top_k": 20, "mm_processor_kwargs": {"fps": 2}}`).
 */
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CATEGORIES, type Category } from '../src/adversary/types';
import { fitMaxSide } from '../src/media/frameSize';
import { probeVideo } from '../src/media/probe';
import { DEFAULT_PROMPTS, JobQueue, type JobResult, type PipelineJob, type PipelinePrompts, planJobs, runJob, withPromptsVersion } from '../src/pipeline';
import { EndpointResponder } from '../src/respond/endpoint/endpointResponder';
import type { FrameTimeline } from '../src/media/timeline';
import { DecodedFrames, encodeMp4 } from './ffmpegFrames';
import { findFfmpeg } from './find-tools.mjs';
import { parseExtraBody } from '../src/ui/pipeline/pipelineSettings';
import { progressLine } from './progress';

const { values: args } = parseArgs({
  options: {
    videos: { type: 'string' },
    endpoint: { type: 'string' },
    model: { type: 'string' },
    'judge-endpoint': { type: 'string' },
    'judge-model': { type: 'string' },
    categories: { type: 'string', default: CATEGORIES.join(',') },
    concurrency: { type: 'string', default: '2' },
    'video-as': { type: 'string', default: 'image_url' },
    frames: { type: 'string', default: '16' },
    'max-side': { type: 'string', default: '224' },
    seed: { type: 'string', default: '0' },
    'max-tokens': { type: 'string', default: '128' },
    'api-key-env': { type: 'string' },
    'no-check': { type: 'boolean', default: false },
    queries: { type: 'string', default: 'templates' },
    'extra-body': { type: 'string' },
    prompts: { type: 'string' },
    out: { type: 'string' },
  },
});
const need = (name: keyof typeof args) => {
  const v = args[name];
  if (typeof v !== 'string' || !v) throw new TypeError(`--${name} is required`);
  return v;
};
const int = (name: keyof typeof args, least: number) => {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < least) throw new TypeError(`--${name} must be a whole number of at least ${least}, got ${args[name]}`);
  return v;
};
const root = path.resolve(need('videos'));
const out = path.resolve(need('out'));
const categories = need('categories').split(',').map((c) => c.trim()).filter(Boolean) as Category[];
for (const c of categories) if (!CATEGORIES.includes(c)) throw new TypeError(`--categories: "${c}" is not one of ${CATEGORIES.join(', ')}`);
const videoAs = need('video-as');
if (videoAs !== 'image_url' && videoAs !== 'video_url') throw new TypeError(`--video-as must be image_url or video_url, got ${videoAs}`);
if (!!args['judge-endpoint'] !== !!args['judge-model']) throw new TypeError('--judge-endpoint and --judge-model go together');
const ffmpeg = findFfmpeg();
if (!ffmpeg) throw new Error('No ffmpeg: run `node scripts/ensure-tools.mjs`');
const queries = need('queries');
if (queries !== 'templates' && queries !== 'endpoint') throw new TypeError(`--queries must be templates or endpoint, got ${queries}`);
const prompts = ((): PipelinePrompts => {
  if (!args.prompts) return DEFAULT_PROMPTS;
  const given = JSON.parse(readFileSync(args.prompts, 'utf8')) as Partial<PipelinePrompts>;
  for (const k of ['judge', 'query'] as const) if (given[k] !== undefined && typeof given[k] !== 'string') throw new TypeError(`--prompts: "${k}" must be a string`);
  return withPromptsVersion({ ...DEFAULT_PROMPTS, ...(given.judge ? { judge: given.judge } : {}), ...(given.query ? { query: given.query } : {}) });
})();
const extraBody = parseExtraBody(args['extra-body'] ?? '');
if (!extraBody) throw new TypeError('--extra-body must be a JSON object, e.g. {"top_k": 20}');
const apiKey = args['api-key-env'] ? process.env[args['api-key-env']] : undefined;
const concurrency = int('concurrency', 1);
const frameBudget = int('frames', 1);
const maxSide = int('max-side', 16);

const VIDEO = /\.(mp4|m4v|mov|mkv|webm)$/i;
function listVideos(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listVideos(full) : VIDEO.test(name) ? [full] : [];
  });
}
const files = listVideos(root);
if (!files.length) throw new Error(`--videos ${root}: no video files (${VIDEO.source})`);
const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');

// Resume: every finished job is listed in OUT.jobs; pairs already written are not written again.
const jobsFile = `${out}.jobs`;
const done = new Set(existsSync(jobsFile) ? readFileSync(jobsFile, 'utf8').split('\n').filter(Boolean) : []);

const responder = new EndpointResponder({
  baseUrl: need('endpoint'), model: need('model'), apiKey, videoAs, concurrency, extraBody,
  encodeVideo: (frames, fps) => encodeMp4(ffmpeg, frames, fps),
});
const judge = args['judge-endpoint'] ? new EndpointResponder({ baseUrl: args['judge-endpoint'], model: args['judge-model']!, apiKey, concurrency }) : undefined;

// Jobs go video by video (planJobs), so a few videos' frames cover every job in flight.
const decodedFrames = new DecodedFrames(ffmpeg, concurrency + 2);
const timelines = new Map<string, Promise<{ timeline: FrameTimeline; width: number; height: number }>>();
const probed = (file: string) => {
  let p = timelines.get(file);
  if (!p) {
    p = probeVideo(new Blob([readFileSync(file)])).then(({ probe, timeline }) => ({ timeline, width: probe.width, height: probe.height }));
    timelines.set(file, p);
  }
  return p;
};
const fileOf = new Map(files.map((f) => [relative(f), f]));
const jobs = planJobs(files.map((f) => ({ id: relative(f), path: relative(f) })), categories, int('seed', 0)).filter((j) => !done.has(j.key));

const started = performance.now();
let pairs = 0;
const failures: { key: string; error: string }[] = [];
const queue = new JobQueue<PipelineJob, JobResult>(jobs, {
  concurrency: Math.max(1, Math.ceil(concurrency / 2)),
  run: (job, signal) => runJob(job, {
    source: async (v) => ({ id: v.id, path: v.path, timeline: (await probed(fileOf.get(v.id)!)).timeline }),
    frames: async (view, v) => {
      const file = fileOf.get(v.id)!;
      const { width, height } = await probed(file);
      const size = fitMaxSide(width, height, maxSide);
      const decoded = await decodedFrames.get(file, [...view.preferred.frames, ...view.adversarial.frames].map((f) => f.index), size);
      const pick = (fs: typeof view.preferred.frames) => fs.map((f) => decoded.get(f.index)!);
      return { preferred: pick(view.preferred.frames), adversarial: pick(view.adversarial.frames) };
    },
    responder,
    judge,
    prompts,
    queries,
    frameBudget,
    settings: { maxTokens: int('max-tokens', 1), temperature: 0 },
    judgeSettings: { maxTokens: 256, temperature: 0 },
  }, signal),
  onResult: (job, r) => {
    if (r.pairs.length) appendFileSync(out, r.pairs.map((p) => `${JSON.stringify(p)}\n`).join(''));
    appendFileSync(jobsFile, `${job.key}\n`);
    pairs += r.pairs.length;
  },
  onFailure: (job, e) => {
    failures.push({ key: job.key, error: `${(e as Error).name}: ${(e as Error).message}` });
    process.stderr.write(`\nfailed: ${job.key}: ${(e as Error).name}: ${(e as Error).message}\n`);
  },
  onProgress: (p) => {
    if (p.total) process.stderr.write(`\rpipeline: ${progressLine(p.done + p.failed, p.total, (performance.now() - started) / 1000, `${pairs} pairs${p.failed ? `, ${p.failed} failed` : ''}`)}`);
  },
});
if (!args['no-check'] && jobs.length) {
  const first = await probed(fileOf.get(jobs[0].video.id)!);
  const size = fitMaxSide(first.width, first.height, maxSide);
  const checks = [
    { who: 'endpoint', report: await responder.checkConnection({ frames: frameBudget, ...size, maxTokens: int('max-tokens', 1) }) },
    ...(judge ? [{ who: 'judge', report: await judge.checkConnection({ frames: 0, width: 0, height: 0, maxTokens: 256 }) }] : []),
  ];
  for (const { who, report } of checks) {
    console.log(`connection: ${report.ok ? 'ok' : 'FAILED'} (${who}, ${report.serverKind})`);
    for (const c of report.checks) console.log(`  ${c.ok === true ? 'ok  ' : c.ok === false ? 'FAIL' : '?   '} ${c.name}: ${c.detail}${c.setting && c.ok !== true ? ` [fix: ${c.setting}]` : ''}`);
  }
  if (checks.some((c) => !c.report.ok)) process.exit(2);
}
console.log(`pipeline: ${files.length} videos, ${categories.join(', ')}; ${jobs.length} jobs to run (${done.size} done before); ${responder.label}${judge ? `, judge ${judge.label}` : ', no judge (rule: r- differs from r+)'}; frames as ${videoAs}`);
const end = await queue.run();
process.stderr.write('\n');
const tokens = { prompt: responder.tokensUsed.promptTokens + (judge?.tokensUsed.promptTokens ?? 0), completion: responder.tokensUsed.completionTokens + (judge?.tokensUsed.completionTokens ?? 0) };
console.log(JSON.stringify({ videos: files.length, jobs: jobs.length, done: end.done, failed: end.failed, pairs, tokens, seconds: Math.round((performance.now() - started) / 100) / 10, out: path.relative(process.cwd(), out), failures }));
process.exit(end.failed ? 1 : 0);
