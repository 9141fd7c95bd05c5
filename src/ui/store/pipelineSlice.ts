/**
 * The Pipeline view's state: endpoint, judge and run settings (saved), API
 * keys (memory only unless an endpoint's `rememberKey` is on), the judge
 * prompt (editable, saved), the keys of finished jobs (saved, so a reload
 * never asks twice) and the current run. The queue itself lives here, out of
 * the state: only its progress is state.
 */
import type { StateCreator } from 'zustand';
// Leaf modules and types only: the store loads with the first view; the run's code loads when a run starts.
import type { JobQueue, JobResult, PipelineJob, QueueProgress } from '../../pipeline';
import { DEFAULT_PROMPTS, type PipelinePrompts, withPromptsVersion } from '../../pipeline/prompts';
import { type ApiKeys, DEFAULT_ENDPOINT, DEFAULT_JUDGE, DEFAULT_RUN, type EndpointSettings, type JudgeSettings, type RunSettings, checkEndpoint, checkRun, judgeEndpoint } from '../pipeline/pipelineSettings';
import type { RunConnection } from '../pipeline/pipelineRun';
import type { Workbench } from './index';

export interface PipelineFailure {
  key: string;
  name: string;
  message: string;
}

export interface PipelineSlice {
  pipelineEndpoint: EndpointSettings;
  pipelineJudge: JudgeSettings;
  pipelineRunSettings: RunSettings;
  pipelineKeys: ApiKeys;
  pipelinePrompts: PipelinePrompts;
  /** Keys of finished jobs. */
  pipelineDone: string[];
  pipelineState: 'idle' | 'checking' | 'running' | 'paused' | 'done' | 'cancelled';
  /** The last connection check of the servers (a run checks first and does not start when a check fails). */
  pipelineConnection: RunConnection | null;
  pipelineProgress: QueueProgress | null;
  pipelineTokens: { prompt: number; completion: number };
  pipelinePairs: number;
  pipelineFailures: PipelineFailure[];
  /** Why a run could not start (a settings problem), shown by the Start button. */
  pipelineError: string | null;
  setPipelineEndpoint(patch: Partial<EndpointSettings>): void;
  setPipelineJudge(patch: Partial<JudgeSettings>): void;
  setPipelineRunSettings(patch: Partial<RunSettings>): void;
  setPipelineKey(which: keyof ApiKeys, key: string): void;
  setPipelineJudgePrompt(text: string): void;
  setPipelineQueryPrompt(text: string): void;
  resetPipelinePrompts(): void;
  /** Checks both servers with a probe shaped like the run's requests; null when the settings have a problem (then `pipelineError` says it). */
  checkPipelineConnection(): Promise<RunConnection | null>;
  startPipeline(): Promise<void>;
  pausePipeline(): void;
  resumePipeline(): void;
  cancelPipeline(): void;
  retryPipelineFailures(): Promise<void>;
  /** Forgets which jobs are done, so the next run asks them all again. */
  forgetPipelineDone(): void;
}

let queue: JobQueue<PipelineJob, JobResult> | null = null;

export const createPipelineSlice: StateCreator<Workbench, [], [], PipelineSlice> = (set, get) => {
  const drive = async () => {
    const q = queue;
    if (!q) return;
    set({ pipelineState: 'running' });
    const end = await q.run();
    if (queue !== q) return;
    set({ pipelineState: get().pipelineState === 'cancelled' ? 'cancelled' : 'done', pipelineProgress: end });
  };
  return {
    pipelineEndpoint: DEFAULT_ENDPOINT,
    pipelineJudge: DEFAULT_JUDGE,
    pipelineRunSettings: DEFAULT_RUN,
    pipelineKeys: { endpoint: '', judge: '' },
    pipelinePrompts: DEFAULT_PROMPTS,
    pipelineDone: [],
    pipelineState: 'idle',
    pipelineConnection: null,
    pipelineProgress: null,
    pipelineTokens: { prompt: 0, completion: 0 },
    pipelinePairs: 0,
    pipelineFailures: [],
    pipelineError: null,
    setPipelineEndpoint: (patch) => set((s) => ({ pipelineEndpoint: { ...s.pipelineEndpoint, ...patch } })),
    setPipelineJudge: (patch) => set((s) => ({ pipelineJudge: { ...s.pipelineJudge, ...patch } })),
    setPipelineRunSettings: (patch) => set((s) => ({ pipelineRunSettings: { ...s.pipelineRunSettings, ...patch } })),
    setPipelineKey: (which, key) => set((s) => ({ pipelineKeys: { ...s.pipelineKeys, [which]: key } })),
    setPipelineJudgePrompt: (judge) => set((s) => ({ pipelinePrompts: withPromptsVersion({ ...s.pipelinePrompts, judge }) })),
    setPipelineQueryPrompt: (query) => set((s) => ({ pipelinePrompts: withPromptsVersion({ ...s.pipelinePrompts, query }) })),
    resetPipelinePrompts: () => set({ pipelinePrompts: DEFAULT_PROMPTS }),

    checkPipelineConnection: async () => {
      const s = get();
      if (s.pipelineState === 'running' || s.pipelineState === 'paused' || s.pipelineState === 'checking') return null;
      const decodable = s.videos.filter((v) => v.timeline).length;
      const problem = checkEndpoint(s.pipelineEndpoint, 'endpoint') ?? (s.pipelineJudge.enabled ? checkEndpoint(judgeEndpoint(s.pipelineEndpoint, s.pipelineJudge), 'judge') : null) ?? checkRun(s.pipelineRunSettings, decodable);
      if (problem) { set({ pipelineError: problem.message }); return null; }
      const before = s.pipelineState;
      set({ pipelineState: 'checking', pipelineError: null });
      try {
        const { checkRunConnection } = await import('../pipeline/pipelineRun');
        const connection = await checkRunConnection({ endpoint: s.pipelineEndpoint, judge: s.pipelineJudge, keys: s.pipelineKeys, run: s.pipelineRunSettings, videos: s.videos, maxSide: s.maxSide });
        set({ pipelineConnection: connection, pipelineState: before });
        return connection;
      } catch (e) {
        set({ pipelineError: `the connection check failed: ${(e as Error).name}: ${(e as Error).message}`, pipelineState: before });
        return null;
      }
    },
    startPipeline: async () => {
      if (get().pipelineState === 'running' || get().pipelineState === 'paused' || get().pipelineState === 'checking') return;
      const connection = await get().checkPipelineConnection();
      if (!connection) return;
      const failed = [connection.endpoint, connection.judge].flatMap((r, i) => (r ? r.checks.filter((c) => c.ok === false).map((c) => `${i ? 'judge' : 'endpoint'} ${c.name}: ${c.detail}`) : []));
      if (failed.length) return set({ pipelineError: `Not started: the connection check failed (${failed.join('; ')})` });
      const s = get();
      if (!s.pairsLoaded) await s.loadPairs();
      const { browserRun } = await import('../pipeline/pipelineRun');
      // Done: the saved keys and every job whose pairs the project already has.
      const done = new Set([...get().pipelineDone, ...get().pairs.flatMap((p) => (typeof p.generator?.details?.job === 'string' ? [p.generator.details.job] : []))]);
      queue = browserRun({
        endpoint: s.pipelineEndpoint, judge: s.pipelineJudge, run: s.pipelineRunSettings, keys: s.pipelineKeys, prompts: s.pipelinePrompts,
        videos: s.videos, done, maxSide: s.maxSide, slots: s.slots,
      }, {
        onPairs: (pairs, result) => {
          set((st) => ({ pipelineDone: [...st.pipelineDone, result.key], pipelinePairs: st.pipelinePairs + pairs.length }));
          if (pairs.length) void get().addGeneratedPairs(pairs);
        },
        onFailure: (job, e) => {
          const err = e as Error;
          set((st) => ({ pipelineFailures: [...st.pipelineFailures, { key: job.key, name: err.name ?? 'Error', message: err.message ?? String(e) }] }));
          get().addLog('error', job.video.path, `${job.category}: ${err.name}: ${err.message}`);
        },
        onProgress: (pipelineProgress, pipelineTokens) => set({ pipelineProgress, pipelineTokens }),
      });
      set({ pipelineError: null, pipelineFailures: [], pipelinePairs: 0, pipelineTokens: { prompt: 0, completion: 0 } });
      await drive();
    },
    pausePipeline: () => {
      if (get().pipelineState !== 'running') return;
      queue?.pause();
      set({ pipelineState: 'paused' });
    },
    resumePipeline: () => {
      if (get().pipelineState !== 'paused') return;
      queue?.resume();
      set({ pipelineState: 'running' });
    },
    cancelPipeline: () => {
      if (!queue || (get().pipelineState !== 'running' && get().pipelineState !== 'paused')) return;
      set({ pipelineState: 'cancelled' });
      queue.cancel();
    },
    retryPipelineFailures: async () => {
      if (!queue || get().pipelineState === 'running' || get().pipelineState === 'paused') return;
      queue.retryFailed();
      set({ pipelineFailures: [] });
      await drive();
    },
    forgetPipelineDone: () => set({ pipelineDone: [] }),
  };
};
