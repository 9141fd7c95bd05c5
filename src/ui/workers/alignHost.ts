/**
 * The align Worker's methods, on the one Worker protocol (core/worker): the
 * pipeline of `npm run align` (scripts/align.ts) as separate steps the Align
 * view drives: self-generated pairs (src/align), LoRA DPO on them
 * (src/train), the held-out benchmark with or without an adapter (src/eval),
 * and the ablation runner. Pure of the DOM, so a Node test serves the same
 * map over a MessageChannel on onnxruntime-node.
 *
 * Long jobs stop softly: `stop` sets a flag that pair generation reads
 * between rounds and training before each step, and the job then returns
 * what it has (the pairs made so far; a checkpoint where it paused). A
 * cancelled call (AbortSignal) stops the same way, but its caller gets
 * nothing back.
 */
import { CancelledError, serializeError } from '../../core/errors';
import { type CallContext, type MessageEndpoint, serve } from '../../core/worker';
import { PAIR_CATEGORIES, type PairCategory, makeSelfPairs, pairPrecision, pairRule, selfPairRecord } from '../../align';
import { type BenchmarkResult, benchmarkItems, runBenchmark } from '../../eval';
import { type AdapterFile, type LoadedModel, loadModelFolder, mergeAdapter } from '../../model';
import type { PreferencePair } from '../../pairs';
import { BuiltinModel } from '../../respond';
import type { Provider } from '../../runtime';
import { BuiltinDpoTrainer, DEFAULT_ADAMW, TrainingDivergedError, adapterFiles, trainPairEpochs } from '../../train';
import type { BuiltinDpoCheckpoint } from '../../train';
import { type AblationOutcome, type AblationRun, ablationPlan } from '../align/ablation';
import type { BenchmarkSettings, GenerationSettings, TrainSettings } from '../align/alignSettings';
import type { StepPoint } from '../align/metricsStore';
import { oraclePairs } from '../align/oraclePairs';
import { builtinPairsOf } from '../align/renderPairs';
import type { TrainPairSpec } from '../align/trainPairs';
import type { RunStore, StoredCheckpoint, TrainRun } from '../align/trainRun';
import type { FolderReader, OrtFor } from './modelHost';

export interface AlignHostOptions {
  read: FolderReader;
  autoProvider(): Promise<{ provider: Provider; reason: string }>;
  /** Where runs and checkpoints go (IndexedDB in the browser). */
  runs: RunStore;
  createTimeoutMs?: number;
  runTimeoutMs?: number;
}

/** Text slots of every graph here: the longest question plus the answer window, as pretraining packs them (npm run align's value). */
export const ALIGN_SLOTS = 24;
/** Rows per scoring run while making pairs and benchmarking. */
const SCORE_ROWS = 32;

export interface AlignModelInfo {
  provider: Provider;
  reason: string;
  /** The folder's last part, recorded in pair provenance and the adapter's base_model_name_or_path. */
  name: string;
}

/** Counts of pair generation per category, before training: yield (kept / candidates) and precision (ground truth, reported only). */
export interface PairSummary {
  rule: { id: string; text: string };
  questions: number;
  ended: 'done' | 'budget' | 'stopped';
  givenUp: string[];
  perCategory: Record<string, { questions: number; candidates: number; kept: number; yield: number; pairs: number; precision: number | null; chosenRight: number | null }>;
  seconds: number;
}

export type PairsDetail = { questions: number; maxQuestions: number; pairs: number; stage: string };
export type TrainDetail = { stage: string; point?: StepPoint; totalSteps?: number };
export type AblationDetail = { stage: string; key?: string; outcome?: AblationOutcome; base?: BenchmarkResult };

/** What a train call ends with. */
export interface TrainOutcome {
  run: TrainRun;
  /** The adapter as it stands (after the last step, or the last good state after a failure); null before any step. */
  adapter: Record<AdapterFile, Uint8Array> | null;
}

/** The adapters of a checkpoint (its lora_A/lora_B tensors) as PEFT files. */
export function checkpointAdapter(c: BuiltinDpoCheckpoint, baseModel: string, header: Record<string, string> = {}): Record<AdapterFile, Uint8Array> {
  const adapters = Object.fromEntries(Object.entries(c.state).filter(([n]) => /\.lora_[AB]\.weight$/.test(n)));
  return adapterFiles(adapters, c.lora, { baseModel, header: { step: String(c.step), ...header } });
}

/** The align Worker's method map. */
export function alignMethods(ortFor: OrtFor, options: AlignHostOptions) {
  const { read, autoProvider, runs, createTimeoutMs = 120_000, runTimeoutMs = 120_000 } = options;
  let base: Promise<{ model: LoadedModel; info: AlignModelInfo }> | null = null;
  let responder: Promise<BuiltinModel> | null = null;
  /** One job at a time: a resume sent while a paused step is finishing waits for it. */
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(job: () => Promise<T>): Promise<T> => {
    const next = queue.then(job, job);
    queue = next.catch(() => {});
    return next;
  };
  const stops = { pairs: false, train: null as null | 'pause' | 'stop', ablation: false };

  const loaded = async () => {
    if (!base) throw new TypeError('no model is loaded in the align worker: call load first');
    return base;
  };
  const scorerOf = async (model: LoadedModel, provider: Provider) => BuiltinModel.create(await ortFor(provider), model, { provider, scoreRows: SCORE_ROWS, scoreSlots: ALIGN_SLOTS, createTimeoutMs, runTimeoutMs });
  const merged = (model: LoadedModel, files: Record<AdapterFile, Uint8Array>) => mergeAdapter(model, async (f) => files[f]);

  async function benchmark(model: LoadedModel, provider: Provider, s: BenchmarkSettings, stopped: () => boolean, onProgress: (d: number, t: number) => void): Promise<BenchmarkResult> {
    const scorer = await scorerOf(model, provider);
    try {
      const items = benchmarkItems(s.seed, s.perCategory, model.config.imageSize);
      const guard = { score: async (batch: Parameters<BuiltinModel['score']>[0]) => {
        if (stopped()) throw new CancelledError('benchmark cancelled');
        return scorer.score(batch);
      } };
      return await runBenchmark(guard, items, s.seed, onProgress);
    } finally {
      await scorer.release();
    }
  }

  /** Trains one adapter on `pairs` from scratch (the ablation's runs) and returns its files. */
  async function trainAdapter(model: LoadedModel, info: AlignModelInfo, pairs: readonly TrainPairSpec[], categories: PairCategory[], s: TrainSettings, stopped: () => boolean, onStep: (step: number, total: number) => void) {
    const trainer = await BuiltinDpoTrainer.create(await ortFor(info.provider), model, trainerOptions(info.provider, s, categories));
    try {
      const r = await trainPairEpochs(trainer, builtinPairsOf(model, pairs, categories), {
        epochs: s.epochs, lr: s.lr, seed: s.seed, categories, maxSeconds: s.maxSeconds, shouldStop: stopped,
        onStep: (m) => onStep(m.step, Math.ceil(pairs.length / s.batch) * s.epochs),
      });
      if (r.ended === 'stopped') throw new CancelledError('ablation stopped');
      return { files: adapterFiles(await trainer.adapters(), trainer.options.lora, { baseModel: info.name }), steps: r.steps, seconds: r.seconds };
    } finally {
      await trainer.release();
    }
  }

  return {
    /** Reads the model folder at `url` once and picks the provider ("auto": WebGPU on a real adapter, else WASM). */
    load: async ({ url, provider }: { url: string; provider?: Provider | 'auto' }, ctx: CallContext<{ stage: string }>): Promise<AlignModelInfo> => {
      if (!base) {
        base = (async () => {
          const choice = provider && provider !== 'auto' ? { provider, reason: 'forced' } : await autoProvider();
          ctx.progress(0, 1, { stage: 'reading the model' });
          const model = await loadModelFolder((file) => read(url, file, () => {}));
          const name = url.replace(/\/+$/, '').split('/').pop() || 'model';
          return { model, info: { provider: choice.provider, reason: choice.reason, name } };
        })();
        base.catch(() => { base = null; });
      }
      return (await base).info;
    },

    /**
     * Self-generated pairs: r+ from the preferred view, r- from the
     * adversarial views and rewrites, kept by the rule, balanced per template.
     * Returns the pair store records (with provenance) and the tallies; a
     * stop returns the pairs made so far.
     */
    makePairs: ({ settings }: { settings: GenerationSettings }, ctx: CallContext<PairsDetail>) => exclusive(async () => {
      const { model, info } = await loaded();
      stops.pairs = false;
      const t0 = performance.now();
      ctx.progress(0, 1, { questions: 0, maxQuestions: 1, pairs: 0, stage: `compiling the model for ${info.provider}` });
      responder ??= scorerOf(model, info.provider);
      responder.catch(() => { responder = null; });
      const scorer = await responder;
      const rule = pairRule(settings.minGap);
      const made = await makeSelfPairs(scorer, {
        pairs: settings.pairs, seed: settings.seed, categories: settings.categories, rule, balance: settings.balance,
        sources: settings.sources, imageSize: model.config.imageSize,
        shouldStop: () => stops.pairs || ctx.signal.aborted,
        // How far: pairs made of those wanted, or the question budget spent, whichever is further (generation ends at either).
        onProgress: (p) => ctx.progress(Math.round(1000 * Math.min(1, Math.max(p.pairs / settings.pairs, p.questions / p.maxQuestions))), 1000, { ...p, stage: 'asking the model' }),
      });
      const precision = pairPrecision(made.pairs);
      const now = Date.now();
      const records: PreferencePair[] = made.pairs.map((p) => selfPairRecord(p, { model: info.name, adapter: 'none' }, made.rule, now));
      const summary: PairSummary = {
        rule: { id: made.rule.id, text: made.rule.text },
        questions: made.questions,
        ended: made.ended,
        givenUp: made.givenUp,
        perCategory: Object.fromEntries(Object.entries(made.perCategory).map(([c, t]) => [c, { ...t, precision: precision[c]?.precision ?? null, chosenRight: precision[c]?.chosen_right ?? null }])),
        seconds: (performance.now() - t0) / 1000,
      };
      return { records, summary };
    }),

    /**
     * Trains (or continues) `run`: from its stored checkpoint when `resume`,
     * else from the start. A checkpoint goes to the run store after each
     * epoch and where it pauses, stops or fails; progress carries each step's
     * metrics. Never throws for a diverged step: the run comes back failed,
     * with the adapter of its last good state.
     */
    train: ({ run: start, resume }: { run: TrainRun; resume: boolean }, ctx: CallContext<TrainDetail>) => exclusive(async () => {
      const { model, info } = await loaded();
      stops.train = null;
      const s = start.settings;
      let stored: StoredCheckpoint | undefined;
      if (resume) {
        stored = await runs.getCheckpoint(start.id);
        if (!stored && start.checkpointStep > 0) throw new TypeError(`run ${start.id} has no stored checkpoint to resume from`);
      }
      const fromStep = stored?.checkpoint.step ?? 0;
      let run: TrainRun = { ...start, status: 'running', error: null, provider: info.provider, updatedAt: Date.now(), log: start.log.filter((p) => p.step <= fromStep), checkpointStep: fromStep };
      const secondsBefore = run.log.at(-1)?.seconds ?? 0;
      await runs.putRun(run);
      ctx.progress(fromStep, run.totalSteps, { stage: `compiling the training graphs for ${info.provider}` });
      const trainer = await BuiltinDpoTrainer.create(await ortFor(info.provider), model, { ...trainerOptions(info.provider, s, run.categories), ...(stored && { resume: stored.checkpoint }) });
      const save = async (kind: StoredCheckpoint['kind'], status = run.status) => {
        const checkpoint = await trainer.checkpoint();
        run = { ...run, status, checkpointStep: checkpoint.step, updatedAt: Date.now() };
        await runs.putCheckpoint({ runId: run.id, kind, checkpoint }, run);
        return checkpoint;
      };
      const files = async () => (trainer.steps > 0 ? adapterFiles(await trainer.adapters(), trainer.options.lora, { baseModel: info.name, header: { run: run.id, steps: String(trainer.steps), pairs: String(run.pairs.length) } }) : null);
      // Copied, not transferred: an adapter of this model is a few hundred kilobytes.
      const finish = async (): Promise<TrainOutcome> => ({ run, adapter: await files() });
      try {
        ctx.progress(fromStep, run.totalSteps, { stage: 'reference log-probs of every pair' });
        const pairs = builtinPairsOf(model, run.pairs, run.categories);
        const result = await trainPairEpochs(trainer, pairs, {
          epochs: s.epochs, lr: s.lr, seed: s.seed, categories: run.categories,
          maxSeconds: Math.max(0.001, s.maxSeconds - secondsBefore),
          shouldStop: () => stops.train !== null || ctx.signal.aborted,
          onStep: (m) => {
            const point = { step: m.step, epoch: m.epoch, lr: m.lr, seconds: secondsBefore + m.seconds, loss: m.loss } as StepPoint;
            for (const k of ['rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins', 'logps/chosen', 'logps/rejected'] as const) point[k] = m[k];
            run.log.push(point);
            ctx.progress(m.step, run.totalSteps, { stage: 'training', point });
          },
          onEpoch: async () => { await save('epoch'); },
        });
        if (result.ended === 'stopped') await save('pause', stops.train === 'stop' ? 'stopped' : 'paused');
        else await save('end', 'done');
        return await finish();
      } catch (e) {
        if (!(e instanceof TrainingDivergedError)) {
          // Anything else (a bad pair, a lost session): the stored checkpoint stays as it was; the run is marked failed.
          run = { ...run, status: 'failed', error: { name: serializeError(e).name, message: serializeError(e).message }, updatedAt: Date.now() };
          await runs.putRun(run);
          throw e;
        }
        // The trainer is back at its last good state: that is the checkpoint a resume (at a lower rate) starts from.
        run = { ...run, log: run.log.filter((p) => p.step <= e.lastGoodStep), error: { name: e.name, message: e.message } };
        await save('last-good', 'failed');
        return await finish();
      } finally {
        await trainer.release();
      }
    }),

    /** Asks a running job to stop: generation returns its pairs so far; training pauses (resumable) or stops (final). */
    stop: async ({ job, how = 'pause' }: { job: 'pairs' | 'train' | 'ablation'; how?: 'pause' | 'stop' }) => {
      if (job === 'pairs') stops.pairs = true;
      else if (job === 'train') stops.train = how;
      else stops.ablation = true;
    },

    /** The adapter of a run's stored checkpoint (a paused or failed run's last good state). */
    checkpointAdapter: async ({ runId }: { runId: string }) => {
      const { info } = await loaded();
      const c = await runs.getCheckpoint(runId);
      return c ? checkpointAdapter(c.checkpoint, info.name, { run: runId }) : null;
    },

    /** The held-out benchmark of the base model, or of the model with `adapter` merged. */
    benchmark: ({ settings, adapter }: { settings: BenchmarkSettings; adapter?: Record<AdapterFile, Uint8Array> | null }, ctx: CallContext<{ stage: string }>) => exclusive(async () => {
      const { model, info } = await loaded();
      ctx.progress(0, 1, { stage: adapter ? 'merging the adapter' : 'rendering held-out scenes' });
      const m = adapter ? await merged(model, adapter) : model;
      return benchmark(m, info.provider, settings, () => ctx.signal.aborted, (d, t) => ctx.progress(d, t, { stage: adapter ? 'scoring with the adapter' : 'scoring the base model' }));
    }),

    /**
     * The ablation: the base model, then an adapter per planned run (each
     * trained from scratch on that run's pairs), each on the held-out
     * benchmark. Oracle runs train on ground-truth pairs (an upper bound).
     * Each outcome is reported as it comes, so the table fills in.
     */
    ablation: (
      { pairs, settings, benchmark: bench, withOracle, oraclePerCategory }: { pairs: TrainPairSpec[]; settings: TrainSettings; benchmark: BenchmarkSettings; withOracle: boolean; oraclePerCategory: number },
      ctx: CallContext<AblationDetail>,
    ) => exclusive(async () => {
      const { model, info } = await loaded();
      stops.ablation = false;
      const stopped = () => stops.ablation || ctx.signal.aborted;
      const plan = ablationPlan(withOracle);
      const total = plan.length + 1;
      ctx.progress(0, total, { stage: 'base model on the held-out benchmark' });
      const base = await benchmark(model, info.provider, bench, stopped, () => {});
      ctx.progress(1, total, { stage: 'base model done', base });
      const oracle = withOracle ? oraclePairs(PAIR_CATEGORIES, oraclePerCategory, settings.seed) : [];
      const outcomes: Record<string, AblationOutcome> = {};
      for (const [i, run] of plan.entries()) {
        if (stopped()) throw new CancelledError('ablation stopped');
        const own = (run.kind === 'oracle' ? oracle : pairs).filter((p) => run.categories.includes(p.category));
        let outcome: AblationOutcome;
        try {
          const t = await trainAdapter(model, info, own, run.categories, settings, stopped, (step, steps) => ctx.progress(1 + i, total, { stage: `${run.label}: step ${step}/${steps}`, key: run.key }));
          ctx.progress(1 + i, total, { stage: `${run.label}: held-out benchmark`, key: run.key });
          const result = await benchmark(await merged(model, t.files), info.provider, bench, stopped, () => {});
          outcome = { pairs: own.length, steps: t.steps, seconds: t.seconds, result, error: null };
        } catch (e) {
          if (e instanceof CancelledError) throw e;
          const s = serializeError(e);
          outcome = { pairs: own.length, steps: 0, seconds: 0, result: null, error: { name: s.name, message: s.message } };
        }
        outcomes[run.key] = outcome;
        ctx.progress(2 + i, total, { stage: `${run.label}: done`, key: run.key, outcome });
      }
      return { plan: plan as AblationRun[], base, outcomes };
    }),

    release: async () => {
      const r = responder;
      responder = null;
      await (await r?.catch(() => null))?.release();
    },
  };
}

/** The trainer's options for a run's settings: npm run align's, with the view's per-category weights. */
function trainerOptions(provider: Provider, s: TrainSettings, categories: readonly PairCategory[]) {
  return {
    provider,
    pairs: s.batch,
    slots: ALIGN_SLOTS,
    lora: { rank: s.rank, alpha: s.alpha, targets: [...s.targets] },
    dpo: { loss: s.loss, beta: s.beta },
    adamw: DEFAULT_ADAMW,
    seed: s.seed,
    categories: categories.length,
    categoryWeights: categories.map((c) => s.weights[c]),
  };
}

/** The align Worker's method map, as its callers type it. */
export type AlignMethods = ReturnType<typeof alignMethods>;

/** Serves the align methods on `endpoint`. */
export function serveAlign(endpoint: MessageEndpoint, ortFor: OrtFor, options: AlignHostOptions): () => void {
  return serve(endpoint, alignMethods(ortFor, options));
}
