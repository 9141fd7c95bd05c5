/**
 * The Align view's domain: its settings (persisted), pair generation into
 * the pair store, the training run (resumable from IndexedDB), the
 * before/after benchmark and the ablation, each driving the align Worker.
 * Training metrics do not pass through here: each step goes to the metrics
 * store (align/metricsStore), which the charts subscribe to, so a step never
 * re-renders the view.
 */
import type { StateCreator } from 'zustand';
import { CancelledError, serializeError } from '../../core/errors';
import type { BenchmarkResult } from '../../eval';
import { type AblationOutcome, type AblationRun, ablationPlan } from '../align/ablation';
import { alignDb } from '../align/alignDb';
import {
  type BenchmarkSettings,
  DEFAULT_BENCHMARK,
  DEFAULT_GENERATION,
  DEFAULT_TRAIN,
  type GenerationSettings,
  type TrainSettings,
  checkBenchmark,
  checkGeneration,
  checkTraining,
} from '../align/alignSettings';
import { trainingMetrics } from '../align/metricsStore';
import { checkTrainSet, trainSetOf } from '../align/trainPairs';
import { type TrainRun, interrupted } from '../align/trainRun';
import { alignWorker, ensureAlignModel } from '../alignWorker';
import type { AlignModelInfo, PairSummary } from '../workers/alignHost';
import { adapterFilesNow } from './adapterSlice';
import type { Workbench } from './index';
import type { Progress, ShownError } from './modelSlice';

/** Before and after training on the same held-out scenes. */
export interface BeforeAfter {
  settings: BenchmarkSettings;
  before: BenchmarkResult | null;
  after: BenchmarkResult | null;
  /** The adapter the after column used. */
  adapter: string | null;
}

export interface AblationState {
  withOracle: boolean;
  plan: AblationRun[];
  base: BenchmarkResult | null;
  outcomes: Record<string, AblationOutcome>;
}

/** A job of the align Worker in progress. */
export type AlignJob = 'pairs' | 'train' | 'benchmark' | 'ablation';

export interface AlignSlice {
  alignGeneration: GenerationSettings;
  alignTraining: TrainSettings;
  alignBenchmark: BenchmarkSettings;
  /** Seconds each ablation adapter may train; oracle pairs per category. */
  alignAblation: { seconds: number; oraclePerCategory: number; withOracle: boolean };
  setAlignGeneration(patch: Partial<GenerationSettings>): void;
  setAlignTraining(patch: Partial<TrainSettings>): void;
  setAlignBenchmark(patch: Partial<BenchmarkSettings>): void;
  setAlignAblation(patch: Partial<AlignSlice['alignAblation']>): void;

  alignModel: AlignModelInfo | null;
  /** The job the align Worker is on, with its progress (pair generation, benchmarks, ablation; training's own steps go to the metrics store). */
  alignJob: { job: AlignJob; progress: Progress; pairs?: number } | null;
  alignError: (ShownError & { job: AlignJob }) | null;

  pairSummary: PairSummary | null;
  /** Pairs the last generation wrote to the pair store (new ones; ids the project had are kept as curated). */
  pairsAdded: { added: number; kept: number; project: string } | null;
  generatePairs(): Promise<void>;
  stopPairs(): void;

  alignRunId: string | null;
  /** The current run without its step log (which lives in the metrics store). */
  alignRun: Omit<TrainRun, 'log'> | null;
  loadAlignRun(): Promise<void>;
  startTraining(): Promise<void>;
  resumeTraining(): Promise<void>;
  pauseTraining(): void;
  stopTraining(): void;

  beforeAfter: BeforeAfter | null;
  runBeforeAfter(): Promise<void>;
  cancelAlignBenchmark(): void;

  ablation: AblationState | null;
  runAblation(): Promise<void>;
  stopAblation(): void;
}

const shown = (e: unknown): ShownError => {
  const s = serializeError(e);
  return { name: s.name, message: s.message };
};
const withoutLog = ({ log: _log, ...run }: TrainRun) => run;
/** Resolves in a later task (not a microtask), so the renders queued so far run first, on their own. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
let benchmarkCall: AbortController | null = null;

export const createAlignSlice: StateCreator<Workbench, [], [], AlignSlice> = (set, get) => {
  const fail = (job: AlignJob, e: unknown) => {
    const error = shown(e);
    set({ alignJob: null, alignError: { ...error, job } });
    get().addLog(error.name === 'CancelledError' ? 'info' : 'error', `align ${job}`, `${error.name}: ${error.message}`);
  };
  const begin = async (job: AlignJob, stage: string) => {
    if (get().alignJob) throw new TypeError(`the align worker is busy (${get().alignJob!.job})`);
    set({ alignJob: { job, progress: { done: 0, total: 1, stage, startedAt: performance.now() } }, alignError: null });
    const info = await ensureAlignModel();
    set({ alignModel: info });
    return info;
  };
  /** Progress of the current job; the stage only re-renders when it changes, as React compares the slice. */
  const progress = (job: AlignJob, done: number, total: number, stage: string, extra: { pairs?: number } = {}) => {
    const cur = get().alignJob;
    const startedAt = cur && cur.progress.stage === stage ? cur.progress.startedAt : performance.now();
    set({ alignJob: { job, progress: { done, total, stage, startedAt }, ...extra } });
  };

  /** Runs (or resumes) training on `run`, feeding the metrics store; a finished run's adapter becomes the active one. */
  const train = async (run: TrainRun, resume: boolean) => {
    try {
      // Each state change in a task of its own (the click that started this included), so starting never holds the thread.
      await nextTask();
      await begin('train', 'starting the align worker');
      await nextTask();
      trainingMetrics.getState().reset(resume ? run.log : [], run.totalSteps);
      set({ alignRun: withoutLog({ ...run, status: 'running' }), alignRunId: run.id });
      await nextTask();
      let lastStage = '';
      const outcome = await alignWorker().call('train', { run, resume }, {
        onProgress: (done, total, detail) => {
          if (detail?.point) trainingMetrics.getState().append(detail.point);
          else if (detail && detail.stage !== lastStage) {
            lastStage = detail.stage;
            progress('train', done, total, detail.stage);
          }
          if (detail?.point && lastStage !== 'training') {
            lastStage = 'training';
            progress('train', done, total, 'training');
          }
        },
      });
      const done = outcome.run;
      // Each change below re-renders part of the view: one task each, so the end of a run holds the thread no longer than its parts.
      await nextTask();
      trainingMetrics.getState().reset(done.log, done.totalSteps);
      await nextTask();
      // A failed run's error is shown with the run (align-run-error), not twice.
      set({ alignRun: withoutLog(done), alignJob: null, alignError: null });
      await nextTask();
      get().addLog(done.status === 'failed' ? 'error' : 'info', 'align train', `run ${done.id}: ${done.status} at step ${done.checkpointStep}/${done.totalSteps}${done.error ? ` (${done.error.name}: ${done.error.message})` : ''}`);
      if (outcome.adapter && (done.status === 'done' || done.status === 'stopped')) {
        await get().setActiveAdapter(outcome.adapter, { name: `${done.id} step ${done.checkpointStep}`, source: 'trained', runId: done.id });
        await nextTask();
        if (done.status === 'done') await get().runBeforeAfter();
      }
    } catch (e) {
      fail('train', e);
      const id = get().alignRunId;
      const stored = id ? await (await alignDb()).getRun(id).catch(() => undefined) : undefined;
      if (stored) set({ alignRun: withoutLog(interrupted(stored)) });
    }
  };

  return {
    alignGeneration: DEFAULT_GENERATION,
    alignTraining: DEFAULT_TRAIN,
    alignBenchmark: DEFAULT_BENCHMARK,
    alignAblation: { seconds: 30, oraclePerCategory: 48, withOracle: true },
    setAlignGeneration: (patch) => set((s) => ({ alignGeneration: { ...s.alignGeneration, ...patch } })),
    setAlignTraining: (patch) => set((s) => ({ alignTraining: { ...s.alignTraining, ...patch } })),
    setAlignBenchmark: (patch) => set((s) => ({ alignBenchmark: { ...s.alignBenchmark, ...patch } })),
    setAlignAblation: (patch) => set((s) => ({ alignAblation: { ...s.alignAblation, ...patch } })),

    alignModel: null,
    alignJob: null,
    alignError: null,

    pairSummary: null,
    pairsAdded: null,

    generatePairs: async () => {
      const settings = get().alignGeneration;
      const problem = checkGeneration(settings);
      if (problem) return fail('pairs', Object.assign(new TypeError(`${problem.field}: ${problem.message}`)));
      try {
        await begin('pairs', 'loading the model');
        const { records, summary } = await alignWorker().call('makePairs', { settings }, {
          onProgress: (done, total, d) => progress('pairs', done, total, d?.stage ?? 'asking the model', { pairs: d?.pairs }),
        });
        if (!get().pairsLoaded) await get().loadPairs();
        const { added, kept } = await get().addGeneratedPairs(records);
        set({ pairSummary: summary, pairsAdded: { added, kept, project: get().projectId ?? '' }, alignJob: null });
        get().addLog('info', 'align pairs', `${records.length} self-generated pairs from ${summary.questions} questions in ${summary.seconds.toFixed(1)} s (${summary.ended}); ${added} new in the pair store`);
      } catch (e) {
        fail('pairs', e);
      }
    },
    stopPairs: () => void alignWorker().call('stop', { job: 'pairs' }).catch(() => {}),

    alignRunId: null,
    alignRun: null,

    loadAlignRun: async () => {
      const id = get().alignRunId;
      if (!id || get().alignJob?.job === 'train') return;
      const stored = await (await alignDb()).getRun(id).catch(() => undefined);
      if (!stored) return set({ alignRun: null });
      const run = interrupted(stored);
      trainingMetrics.getState().reset(run.log, run.totalSteps);
      set({ alignRun: withoutLog(run) });
    },

    startTraining: async () => {
      await nextTask(); // out of the click's task
      const settings = get().alignTraining;
      const categories = get().alignGeneration.categories;
      const problem = checkTraining(settings);
      if (problem) return fail('train', new TypeError(`${problem.field}: ${problem.message}`));
      if (!get().pairsLoaded) await get().loadPairs();
      const { specs } = trainSetOf(get().pairs, categories);
      try {
        checkTrainSet(specs, categories);
      } catch (e) {
        return fail('train', e);
      }
      const old = get().alignRunId;
      if (old) await (await alignDb()).deleteRun(old).catch(() => {});
      const now = Date.now();
      const run: TrainRun = {
        id: `run-${now.toString(36)}`, createdAt: now, updatedAt: now, settings, categories: [...categories], pairs: specs,
        status: 'running', log: [], totalSteps: Math.ceil(specs.length / settings.batch) * settings.epochs, checkpointStep: 0, error: null, provider: null,
      };
      await train(run, false);
    },

    resumeTraining: async () => {
      const id = get().alignRunId;
      const stored = id ? await (await alignDb()).getRun(id) : undefined;
      if (!stored) return fail('train', new TypeError('there is no run to resume: start one'));
      // A failed run resumes at the learning rate set now (lower it after a divergence).
      await train({ ...stored, settings: { ...stored.settings, lr: get().alignTraining.lr } }, true);
    },
    pauseTraining: () => void alignWorker().call('stop', { job: 'train', how: 'pause' }).catch(() => {}),
    stopTraining: () => void alignWorker().call('stop', { job: 'train', how: 'stop' }).catch(() => {}),

    beforeAfter: null,

    runBeforeAfter: async () => {
      const settings = get().alignBenchmark;
      const problem = checkBenchmark(settings, get().alignGeneration.seed);
      if (problem) return fail('benchmark', new TypeError(`${problem.field}: ${problem.message}`));
      const files = adapterFilesNow();
      const adapter = get().adapterMeta?.name ?? null;
      benchmarkCall?.abort();
      const controller = new AbortController();
      benchmarkCall = controller;
      try {
        await begin('benchmark', 'loading the model');
        const same = get().beforeAfter;
        // The base model's result is reused when the held-out scenes are the same.
        const before = same?.before && same.settings.seed === settings.seed && same.settings.perCategory === settings.perCategory ? same.before
          : await alignWorker().call('benchmark', { settings }, { signal: controller.signal, onProgress: (d, t, x) => progress('benchmark', d, t, `before: ${x?.stage ?? 'scoring'}`) });
        set({ beforeAfter: { settings, before, after: null, adapter } });
        const after = files
          ? await alignWorker().call('benchmark', { settings, adapter: files }, { signal: controller.signal, onProgress: (d, t, x) => progress('benchmark', d, t, `after: ${x?.stage ?? 'scoring'}`) })
          : null;
        set({ beforeAfter: { settings, before, after, adapter }, alignJob: null });
      } catch (e) {
        fail('benchmark', e);
      } finally {
        if (benchmarkCall === controller) benchmarkCall = null;
      }
    },
    cancelAlignBenchmark: () => benchmarkCall?.abort(new CancelledError('benchmark cancelled')),

    ablation: null,

    runAblation: async () => {
      const { seconds, oraclePerCategory, withOracle } = get().alignAblation;
      const settings = { ...get().alignTraining, maxSeconds: seconds };
      const bench = get().alignBenchmark;
      const problem = checkTraining(settings) ?? checkBenchmark(bench, get().alignGeneration.seed);
      if (problem) return fail('ablation', new TypeError(`${problem.field}: ${problem.message}`));
      if (!get().pairsLoaded) await get().loadPairs();
      const { specs } = trainSetOf(get().pairs, ['spatial', 'temporal', 'cross_frame']);
      try {
        await begin('ablation', 'loading the model');
        set({ ablation: { withOracle, plan: ablationPlan(withOracle), base: null, outcomes: {} } });
        const r = await alignWorker().call('ablation', { pairs: specs, settings, benchmark: bench, withOracle, oraclePerCategory }, {
          onProgress: (d, t, x) => {
            progress('ablation', d, t, x?.stage ?? 'working');
            if (x?.base) set((s) => ({ ablation: s.ablation && { ...s.ablation, base: x.base! } }));
            if (x?.outcome && x.key) set((s) => ({ ablation: s.ablation && { ...s.ablation, outcomes: { ...s.ablation.outcomes, [x.key!]: x.outcome! } } }));
          },
        });
        set({ ablation: { withOracle, plan: r.plan, base: r.base, outcomes: r.outcomes }, alignJob: null });
      } catch (e) {
        fail('ablation', e);
      }
    },
    stopAblation: () => void alignWorker().call('stop', { job: 'ablation' }).catch(() => {}),
  };
};
