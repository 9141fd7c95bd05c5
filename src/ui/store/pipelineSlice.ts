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
import { DEFAULT_PROMPTS, type PipelinePrompts } from '../../pipeline/prompts';
import { type ApiKeys, DEFAULT_ENDPOINT, DEFAULT_JUDGE, DEFAULT_RUN, type EndpointSettings, type JudgeSettings, type RunSettings, checkEndpoint, checkRun, judgeEndpoint } from '../pipeline/pipelineSettings';
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
  pipelineState: 'idle' | 'running' | 'paused' | 'done' | 'cancelled';
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
  resetPipelinePrompts(): void;
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
    pipelineProgress: null,
    pipelineTokens: { prompt: 0, completion: 0 },
    pipelinePairs: 0,
    pipelineFailures: [],
    pipelineError: null,
    setPipelineEndpoint: (patch) => set((s) => ({ pipelineEndpoint: { ...s.pipelineEndpoint, ...patch } })),
    setPipelineJudge: (patch) => set((s) => ({ pipelineJudge: { ...s.pipelineJudge, ...patch } })),
    setPipelineRunSettings: (patch) => set((s) => ({ pipelineRunSettings: { ...s.pipelineRunSettings, ...patch } })),
    setPipelineKey: (which, key) => set((s) => ({ pipelineKeys: { ...s.pipelineKeys, [which]: key } })),
    setPipelineJudgePrompt: (judge) => set((s) => ({ pipelinePrompts: { ...s.pipelinePrompts, judge, version: judge === DEFAULT_PROMPTS.judge ? DEFAULT_PROMPTS.version : 0 } })),
    resetPipelinePrompts: () => set({ pipelinePrompts: DEFAULT_PROMPTS }),

    startPipeline: async () => {
      const s = get();
      if (s.pipelineState === 'running' || s.pipelineState === 'paused') return;
      const decodable = s.videos.filter((v) => v.timeline).length;
      const problem = checkEndpoint(s.pipelineEndpoint, 'endpoint') ?? (s.pipelineJudge.enabled ? checkEndpoint(judgeEndpoint(s.pipelineEndpoint, s.pipelineJudge), 'judge') : null) ?? checkRun(s.pipelineRunSettings, decodable);
      if (problem) return set({ pipelineError: problem.message });
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
