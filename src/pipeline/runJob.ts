/**
 * One job of the pipeline, the paper's recipe: the adversary's view of the
 * video (`paper.<category>`: the preferred view and the sparse view with
 * three false-premise rewrites, from templates or written by the responder
 * itself from the preferred view), r+ = the responder on the preferred view
 * with the aligned query, r- candidates = its answers to each rewrite on the
 * sparse view, then the judge (a text LLM, zero frames) keeps the targeted,
 * distinct errors, or without a judge the plain rule (r- differs from r+).
 * Every kept candidate becomes a canonical pair record.
 */
import { applyAdversary, defaultSpec } from '../adversary';
import type { AdversarialQuery, AdversarialView, AdversarySpec, VideoSource } from '../adversary/types';
import type { RgbaFrame } from '../core/frame';
import { planFrames } from '../media/samplers';
import { DEFAULT_SAMPLING, type PreferencePair, makePair } from '../pairs/pair';
import type { GenerationSettings, Responder, Response } from '../respond';
import type { PipelineJob, PipelineVideo } from './jobs';
import { type JudgeCandidate, type PipelinePrompts, judgePrompt, parseJudgeReply, parseQueryReply, queryPrompt } from './prompts';

/** Where the aligned query and its rewrites come from: the adversary's templates, or the responder writing them from the preferred view. */
export type QuerySource = 'templates' | 'endpoint';

/** The pixels of a view, exactly as the inspector shows them. */
export interface ViewFrames {
  preferred: readonly RgbaFrame[];
  adversarial: readonly RgbaFrame[];
}

export interface JobContext {
  /** The video as the adversary reads it (its timeline). */
  source(video: PipelineVideo): Promise<VideoSource>;
  /** Decodes a view's frames: the media Worker in the browser, ffmpeg in Node. */
  frames(view: AdversarialView, video: PipelineVideo, signal?: AbortSignal): Promise<ViewFrames>;
  responder: Responder;
  /** A text responder; absent: the plain rule decides. */
  judge?: Responder;
  prompts: PipelinePrompts;
  /** Most frames of the preferred view; the sparse view is thinned to at most as many. */
  frameBudget: number;
  settings?: GenerationSettings;
  judgeSettings?: GenerationSettings;
  /** Default `templates`. */
  queries?: QuerySource;
  /** For the query writer's reply (JSON with four questions). Default 384 tokens, greedy. */
  querySettings?: GenerationSettings;
  /** Entity words for the query templates' slots. */
  slots?: Readonly<Record<string, string>>;
  now?: () => number;
}

export interface JobResult {
  key: string;
  pairs: PreferencePair[];
  /** Candidates answered (one per rewrite). */
  candidates: number;
  /** Whether a judge decided, or the plain rule. */
  decidedBy: 'judge' | 'rule';
  /** The judge's view of r+, null without a judge. */
  referenceOk: boolean | null;
  /** Frames sent per view. */
  frames: { preferred: number; adversarial: number };
  /** Tokens the servers counted for this job. */
  usage: { promptTokens: number; completionTokens: number };
}

/** The spec of a job: the paper's recipe with the frame budget, the sparse view thinned so it never sends more frames than the preferred one. */
export function jobSpec(job: PipelineJob, duration: number, frameBudget: number): AdversarySpec {
  const budget: Record<string, number> = job.category === 'cross-frame' ? { frames: Math.max(2, frameBudget) } : { budget: Math.max(4, frameBudget) };
  const sparseFps = duration > 0 ? Math.min(1, Math.max(0.1, Math.floor((1000 * frameBudget) / duration) / 1000)) : 1;
  return { ...defaultSpec(job.category, job.seed), params: { ...budget, sparseFps } };
}

const normalised = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
/** FNV-1a of a string, as 8 hex digits: a stable id part. */
const hash = (s: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
};

export async function runJob(job: PipelineJob, ctx: JobContext, signal?: AbortSignal): Promise<JobResult> {
  const source = await ctx.source(job.video);
  const spec = jobSpec(job, source.timeline.duration, ctx.frameBudget);
  // The paper's recipes make their own plans; the input plan is what visual recipes would transform.
  const view = applyAdversary(spec, { video: source, plan: planFrames(source.timeline, { mode: 'uniform', n: ctx.frameBudget }), slots: ctx.slots });
  const frames = await ctx.frames(view, job.video, signal);
  const usage = { promptTokens: 0, completionTokens: 0 };
  const count = (r: Response) => {
    usage.promptTokens += r.provenance.usage?.promptTokens ?? 0;
    usage.completionTokens += r.provenance.usage?.completionTokens ?? 0;
    return r;
  };
  let query: AdversarialQuery = view.query;
  let queryText = '';
  if (ctx.queries === 'endpoint') {
    // The same kinds of false premise the templates would target, written by the model that sees the video.
    const kinds = view.query.rewrites.map((r) => r.kind);
    queryText = queryPrompt(ctx.prompts, job.category, kinds);
    const reply = count(await ctx.responder.respond({ frames: frames.preferred, query: queryText, settings: ctx.querySettings ?? { maxTokens: 384, temperature: 0 }, signal }));
    const written = parseQueryReply(reply.text, kinds.length);
    query = { template: 'endpoint-written', aligned: written.query, rewrites: kinds.map((kind, i) => ({ kind, text: written.rewrites[i] })), slots: {} };
  }
  const chosen = count(await ctx.responder.respond({ frames: frames.preferred, query: query.aligned, settings: ctx.settings, signal }));
  const answers = await Promise.all(query.rewrites.map((rw) => ctx.responder.respond({ frames: frames.adversarial, query: rw.text, settings: ctx.settings, signal }).then(count)));
  const candidates: JudgeCandidate[] = query.rewrites.map((rw, i) => ({ kind: rw.kind, query: rw.text, answer: answers[i].text }));

  let keep: boolean[];
  let referenceOk: boolean | null = null;
  let judgeText = '';
  if (ctx.judge) {
    judgeText = judgePrompt(ctx.prompts, query.aligned, chosen.text, candidates);
    const reply = count(await ctx.judge.respond({ frames: [], query: judgeText, settings: ctx.judgeSettings, signal }));
    const verdict = parseJudgeReply(reply.text, candidates.length);
    referenceOk = verdict.referenceOk;
    keep = verdict.keep.map((k) => k && verdict.referenceOk);
  } else {
    keep = candidates.map((c) => normalised(c.answer) !== '' && normalised(c.answer) !== normalised(chosen.text));
  }

  const now = ctx.now?.() ?? Date.now();
  const generator = (r: Response, extra: Record<string, string | number | boolean>) => ({
    kind: r.provenance.kind === 'workbench' ? ('workbench' as const) : ('endpoint' as const),
    name: r.provenance.model,
    details: {
      ...(r.provenance.endpoint ? { endpoint: r.provenance.endpoint } : {}), video_as: r.provenance.videoAs ?? 'none', frames: r.provenance.frames, job: job.key,
      ...(r.provenance.usage ? { prompt_tokens: r.provenance.usage.promptTokens, completion_tokens: r.provenance.usage.completionTokens } : {}), ...extra,
    },
  });
  const pairs = candidates.flatMap((c, i): PreferencePair[] => {
    if (!keep[i]) return [];
    return [makePair({
      id: `pipeline-${hash(job.key)}-${i}`,
      category: job.category,
      video: { path: job.video.path, duration_s: source.timeline.duration || null, native_fps: source.timeline.fps || null },
      query: query.aligned,
      adversarial_query: c.query,
      chosen: chosen.text,
      rejected: c.answer,
      sampling: { chosen: { mode: 'nframes', value: frames.preferred.length }, rejected: { mode: 'fps', value: spec.params.sparseFps as number }, train: DEFAULT_SAMPLING.train },
      adversary: spec,
      generator: generator(answers[i], {
        rewrite_kind: c.kind, template: query.template, chosen_frames: frames.preferred.length,
        query_source: ctx.queries ?? 'templates', ...(queryText ? { query_prompt: ctx.prompts.query, prompt_version: ctx.prompts.version } : {}),
      }),
      judge: ctx.judge
        ? { kind: 'endpoint', name: ctx.judge.label, details: { prompt: ctx.prompts.judge, prompt_version: ctx.prompts.version, reference_ok: referenceOk ?? false } }
        : { kind: 'workbench', name: 'rule: r- differs from r+', details: { rule: 'normalised r- differs from normalised r+ and is not empty' } },
      tags: ['pipeline', c.kind],
    }, now)];
  });
  return { key: job.key, pairs, candidates: candidates.length, decidedBy: ctx.judge ? 'judge' : 'rule', referenceOk, frames: { preferred: frames.preferred.length, adversarial: frames.adversarial.length }, usage };
}
