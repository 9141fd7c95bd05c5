/**
 * The built-in model in the workbench: loading it in the model Worker, the
 * Ask panel's question and answer, and the Evaluate view's benchmark run
 * (its last result and inputs persist).
 */
import type { StateCreator } from 'zustand';
import { CancelledError, serializeError } from '../../core/errors';
import type { RgbaFrame } from '../../core/frame';
import type { BenchmarkResult } from '../../eval';
import { generateScene, questionsFor, type SynthQuestion } from '../../synth';
import { modelFramesOf } from '../ask/modelFrames';
import { ensureModel, modelWorker } from '../modelWorker';
import type { ModelInfo } from '../workers/modelHost';
import { DEFAULT_EVAL_SEED, DEFAULT_PER_CATEGORY } from '../evaluate/evalInputs';
import type { Workbench } from './index';

/** A failure as the panels show it: the error's name and message. */
export interface ShownError {
  name: string;
  message: string;
}

/** Work in progress: how far, in what stage, since when (performance.now ms). */
export interface Progress {
  done: number;
  total: number;
  stage: string;
  startedAt: number;
}

/** What the model answered a question about a video. */
export interface AskAnswer {
  videoId: string;
  question: string;
  /** The greedy answer. */
  generated: string;
  /** log p of each generated word. */
  generatedLogps: number[];
  options: string[];
  /** Each option's total log-probability (empty without options). */
  logps: number[];
  /** The option with the highest log-probability. */
  choice: string | null;
  /** The scene's own answer, for a demo video's question. */
  truth: string | null;
  /** The frames the model saw, at its input size. */
  frames: RgbaFrame[];
  ms: number;
}

export interface ModelSlice {
  modelInfo: ModelInfo | null;
  modelProgress: Progress | null;
  modelError: ShownError | null;
  /** Loads the model in its Worker once; failures are named here and in the log. */
  loadModel(): Promise<ModelInfo | null>;

  askRunning: { videoId: string; stage: string } | null;
  askAnswer: AskAnswer | null;
  askError: (ShownError & { videoId: string; question: string }) | null;
  /** Asks the model about `videoId`: generates an answer, and scores `options` when there are any. */
  ask(videoId: string, question: string, options: string[]): Promise<void>;

  evalSeed: number;
  evalPerCategory: number;
  evalProgress: Progress | null;
  evalResult: BenchmarkResult | null;
  /** When the last result was made, ms since the epoch, and on which provider. */
  evalMeta: { at: number; provider: string; ms: number } | null;
  evalError: ShownError | null;
  runBenchmark(seed: number, perCategory: number): Promise<void>;
  cancelBenchmark(): void;
}

const shown = (e: unknown): ShownError => {
  const s = serializeError(e);
  return { name: s.name, message: s.message };
};

/** The ground-truth questions of a demo video's scene, or none for a user's video. */
export function sceneQuestions(ref: { split: 'train' | 'eval'; seed: number } | undefined): SynthQuestion[] {
  return ref ? questionsFor(generateScene(ref.split, ref.seed)) : [];
}

let benchmarkRun: AbortController | null = null;
let askGeneration = 0;

export const createModelSlice: StateCreator<Workbench, [], [], ModelSlice> = (set, get) => ({
  modelInfo: null,
  modelProgress: null,
  modelError: null,

  loadModel: async () => {
    const startedAt = performance.now();
    if (!get().modelInfo) set({ modelProgress: { done: 0, total: 1, stage: 'starting the model Worker', startedAt }, modelError: null });
    try {
      const info = await ensureModel('auto', (done, total, detail) => set({ modelProgress: { done, total, stage: detail?.stage ?? 'loading', startedAt } }));
      if (!get().modelInfo) get().addLog('info', 'model', `PASTA-tiny loaded on ${info.provider} (${info.reason}) in ${(info.loadMs / 1000).toFixed(1)} s`);
      set({ modelInfo: info, modelProgress: null, modelError: null });
      await get().syncAdapter(); // the adapter switch is honoured by every pass that loads the model through here
      return get().modelInfo ?? info;
    } catch (e) {
      const error = shown(e);
      set({ modelProgress: null, modelError: error });
      get().addLog('error', 'model', `${error.name}: ${error.message}`);
      return null;
    }
  },

  askRunning: null,
  askAnswer: null,
  askError: null,

  ask: async (videoId, question, options) => {
    const mine = ++askGeneration;
    const video = get().videos.find((v) => v.id === videoId);
    if (!video) return;
    const t0 = performance.now();
    set({ askRunning: { videoId, stage: 'loading the model' }, askError: null });
    try {
      const info = await get().loadModel();
      if (!info) throw Object.assign(new Error(get().modelError?.message ?? 'the model did not load'), { name: get().modelError?.name ?? 'Error' });
      set({ askRunning: { videoId, stage: `decoding ${info.frames} frames` } });
      const frames = await modelFramesOf(video, info.frames, info.imageSize);
      set({ askRunning: { videoId, stage: 'answering' } });
      const generated = await modelWorker().call('generate', { frames, question, maxWords: 6 });
      const choice = options.length ? await modelWorker().call('choose', { frames, question, options }) : null;
      const truth = sceneQuestions(video.scene).find((q) => q.text === question)?.answer ?? null;
      if (mine !== askGeneration) return;
      set({
        askRunning: null,
        askAnswer: {
          videoId, question, options, truth, frames,
          generated: generated.text, generatedLogps: generated.logps,
          logps: choice?.logps ?? [], choice: choice?.choice ?? null,
          ms: performance.now() - t0,
        },
      });
    } catch (e) {
      if (mine !== askGeneration) return;
      const error = shown(e);
      set({ askRunning: null, askError: { ...error, videoId, question } });
      get().addLog('error', video.name, `Ask "${question}": ${error.name}: ${error.message}`);
    }
  },

  evalSeed: DEFAULT_EVAL_SEED,
  evalPerCategory: DEFAULT_PER_CATEGORY,
  evalProgress: null,
  evalResult: null,
  evalMeta: null,
  evalError: null,

  runBenchmark: async (seed, perCategory) => {
    benchmarkRun?.abort();
    const controller = new AbortController();
    benchmarkRun = controller;
    const startedAt = performance.now();
    set({ evalSeed: seed, evalPerCategory: perCategory, evalError: null, evalProgress: { done: 0, total: 1, stage: 'loading the model', startedAt } });
    try {
      const info = await get().loadModel();
      if (!info) throw Object.assign(new Error(get().modelError?.message ?? 'the model did not load'), { name: get().modelError?.name ?? 'Error' });
      if (controller.signal.aborted) throw new CancelledError('benchmark cancelled');
      let scoringFrom = 0;
      const result = await modelWorker().call('benchmark', { seed, perCategory }, {
        signal: controller.signal,
        onProgress: (done, total, detail) => {
          const stage = detail?.stage ?? 'scoring';
          // Time left counts from when scoring began, so rendering the scenes does not skew it.
          if (stage === 'scoring' && !scoringFrom) scoringFrom = performance.now();
          set({ evalProgress: { done, total, stage, startedAt: scoringFrom || startedAt } });
        },
      });
      if (benchmarkRun !== controller) return;
      const ms = performance.now() - startedAt;
      // The adapter the scores were made with is named beside the provider, so a kept result says what it measured.
      const adapter = get().modelInfo?.adapter;
      set({ evalResult: result, evalMeta: { at: Date.now(), provider: adapter ? `${info.provider} with adapter ${adapter}` : info.provider, ms }, evalProgress: null });
      get().addLog('info', 'evaluate', `benchmark seed ${seed}, ${perCategory} per category on ${info.provider}: done in ${(ms / 1000).toFixed(1)} s`);
    } catch (e) {
      if (benchmarkRun !== controller) return;
      const error = shown(e);
      set({ evalProgress: null, evalError: error });
      get().addLog(error.name === 'CancelledError' ? 'info' : 'error', 'evaluate', `${error.name}: ${error.message}`);
    } finally {
      if (benchmarkRun === controller) benchmarkRun = null;
    }
  },

  cancelBenchmark: () => benchmarkRun?.abort(),
});
