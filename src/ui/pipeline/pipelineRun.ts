/**
 * A pipeline run in the page: the library's videos, the inspector's frames
 * (renderView: the media Worker decodes, exactly the frames Inspect shows),
 * EndpointResponders for the answering model and the judge, and the queue.
 * Results land in the pair store as they come (the caller's `onPairs`).
 */
import type { RgbaFrame } from '../../core/frame';
import { isDecodable, type VideoRecord } from '../../library/videoRecord';
import { type JobResult, JobQueue, type PipelineJob, type PipelinePrompts, type QueueProgress, planJobs, runJob } from '../../pipeline';
import type { PreferencePair } from '../../pairs/pair';
import { fitMaxSide } from '../../media/frameSize';
import type { ConnectionReport } from '../../respond/endpoint/connection';
import { EndpointResponder } from '../../respond/endpoint/endpointResponder';
import { renderView } from '../frames/renderView';
import { type ApiKeys, type EndpointSettings, type JudgeSettings, type RunSettings, judgeEndpoint, parseExtraBody } from './pipelineSettings';

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

// MP4 clips for video_url come from the browser's own encoder (mediabunny over WebCodecs), loaded only when used.
const encodeVideo = async (frames: readonly RgbaFrame[], fps: number) =>
  (await import('../../media/encodeClip')).encodeClip(frames, fps);

const responderOf = (s: EndpointSettings, apiKey: string) =>
  new EndpointResponder({
    baseUrl: s.baseUrl, model: s.model, apiKey: apiKey || undefined, videoAs: s.videoAs, concurrency: s.concurrency, timeoutMs: s.timeoutS * 1000, retries: s.retries,
    extraBody: parseExtraBody(s.extraBody) ?? {},
    ...(s.videoAs === 'video_url' ? { encodeVideo } : {}),
  });

type RespondersInput = Pick<BrowserRunInput, 'endpoint' | 'judge' | 'keys'>;
/** The answering endpoint's responder and the judge's (undefined when judging is off). */
function responders(input: RespondersInput) {
  const judgeSettings = judgeEndpoint(input.endpoint, input.judge);
  return {
    responder: responderOf(input.endpoint, input.keys.endpoint),
    judge: input.judge.enabled ? responderOf(judgeSettings, input.judge.sameAsEndpoint ? input.keys.endpoint : input.keys.judge) : undefined,
    judgeSettings,
  };
}

const chosenVideos = (input: Pick<BrowserRunInput, 'run' | 'videos'>) =>
  (input.run.videos.length ? input.videos.filter((v) => input.run.videos.includes(v.id)) : input.videos).filter(isDecodable);

export interface RunConnection {
  endpoint: ConnectionReport;
  judge: ConnectionReport | null;
}

/** The connection check of both servers, with a probe shaped like the run's requests (its frame count, the first video's frame size). */
export async function checkRunConnection(input: RespondersInput & Pick<BrowserRunInput, 'run' | 'videos' | 'maxSide'>, signal?: AbortSignal): Promise<RunConnection> {
  const { responder, judge, judgeSettings } = responders(input);
  const first = chosenVideos(input)[0]?.probe;
  const size = first ? fitMaxSide(first.width, first.height, input.maxSide) : { width: input.maxSide, height: input.maxSide };
  const [endpoint, judged] = await Promise.all([
    responder.checkConnection({ frames: input.run.frames, ...size, maxTokens: input.endpoint.maxTokens }, signal),
    judge ? judge.checkConnection({ frames: 0, width: 0, height: 0, maxTokens: judgeSettings.maxTokens }, signal) : null,
  ]);
  return { endpoint, judge: judged };
}

/** Plans the jobs not yet done and returns the queue, not started. */
export function browserRun(input: BrowserRunInput, events: BrowserRunEvents): JobQueue<PipelineJob, JobResult> {
  const videos = chosenVideos(input);
  const { responder, judge, judgeSettings } = responders(input);
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
      queries: input.run.queries,
      judgeSettings: { maxTokens: judgeSettings.maxTokens, temperature: judgeSettings.temperature },
      slots: input.slots,
    }, signal),
    onResult: (_, r) => events.onPairs(r.pairs, r),
    onFailure: events.onFailure,
    onProgress: (p) => events.onProgress(p, tokens()),
  });
}
