/**
 * A pipeline run in the page: the library's videos, the inspector's frames
 * (renderView: the media Worker decodes, exactly the frames Inspect shows),
 * EndpointResponders for the answering model and the judge, and the queue.
 * Results land in the pair store as they come (the caller's `onPairs`).
 */
import { isDecodable, type VideoRecord } from '../../library/videoRecord';
import { type JobResult, JobQueue, type PipelineJob, type PipelinePrompts, type QueueProgress, planJobs, runJob } from '../../pipeline';
import type { PreferencePair } from '../../pairs/pair';
import { EndpointResponder } from '../../respond/endpoint/endpointResponder';
import { renderView } from '../frames/renderView';
import { type ApiKeys, type EndpointSettings, type JudgeSettings, type RunSettings, judgeEndpoint } from './pipelineSettings';

export interface BrowserRunInput {
  endpoint: EndpointSettings;
  judge: JudgeSettings;
  run: RunSettings;
  keys: ApiKeys;
  prompts: PipelinePrompts;
  videos: readonly VideoRecord[];
  /** Jobs already done (their keys): skipped, so a reload never asks twice. */
  done: ReadonlySet<string>;
  maxSide: number;
  slots: Readonly<Record<string, string>>;
}

export interface BrowserRunEvents {
  onPairs(pairs: PreferencePair[], result: JobResult): void;
  onFailure(job: PipelineJob, error: unknown): void;
  onProgress(progress: QueueProgress, tokens: { prompt: number; completion: number }): void;
}

const responderOf = (s: EndpointSettings, apiKey: string) =>
  new EndpointResponder({ baseUrl: s.baseUrl, model: s.model, apiKey: apiKey || undefined, videoAs: s.videoAs, concurrency: s.concurrency, timeoutMs: s.timeoutS * 1000, retries: s.retries });

/** Plans the jobs not yet done and returns the queue, not started. */
export function browserRun(input: BrowserRunInput, events: BrowserRunEvents): JobQueue<PipelineJob, JobResult> {
  const chosen = input.run.videos.length ? input.videos.filter((v) => input.run.videos.includes(v.id)) : input.videos;
  const videos = chosen.filter(isDecodable);
  const responder = responderOf(input.endpoint, input.keys.endpoint);
  const judgeSettings = judgeEndpoint(input.endpoint, input.judge);
  const judge = input.judge.enabled ? responderOf(judgeSettings, input.judge.sameAsEndpoint ? input.keys.endpoint : input.keys.judge) : undefined;
  const settings = { maxTokens: input.endpoint.maxTokens, temperature: input.endpoint.temperature };
  const jobs = planJobs(videos.map((v) => ({ id: v.id, path: v.relativePath })), input.run.categories, input.run.seed).filter((j) => !input.done.has(j.key));
  const tokens = () => {
    const a = responder.tokensUsed;
    const b = judge && judge !== responder ? judge.tokensUsed : { promptTokens: 0, completionTokens: 0 };
    return { prompt: a.promptTokens + b.promptTokens, completion: a.completionTokens + b.completionTokens };
  };
  return new JobQueue(jobs, {
    // Each job already sends its rewrites at once: the endpoint's own limiter bounds requests; jobs overlap by one.
    concurrency: Math.max(1, Math.ceil(input.endpoint.concurrency / 2)),
    run: (job, signal) => runJob(job, {
      source: async (v) => {
        const record = input.videos.find((x) => x.id === v.id)!;
        return { id: record.id, path: record.relativePath, timeline: record.timeline! };
      },
      frames: async (view, v, s) => {
        const r = await renderView(view, v.id, input.videos, { maxSide: input.maxSide, signal: s });
        return { preferred: r.preferred, adversarial: r.adversarial };
      },
      responder,
      judge,
      prompts: input.prompts,
      frameBudget: input.run.frames,
      settings,
      judgeSettings: { maxTokens: judgeSettings.maxTokens, temperature: judgeSettings.temperature },
      slots: input.slots,
    }, signal),
    onResult: (_, r) => events.onPairs(r.pairs, r),
    onFailure: events.onFailure,
    onProgress: (p) => events.onProgress(p, tokens()),
  });
}
