/**
 * The alignment loop over a pair set, read top to bottom: reference log-probs
 * once per pair, then epochs of shuffled batches, each step at the
 * schedule's learning rate, a checkpoint after each epoch, stop on time.
 * Every step is a function of (seed, step index), so a run resumed from a
 * checkpoint takes exactly the steps an uninterrupted run would.
 */
import { seededRandom } from '../core/random';
import { type BuiltinPair, builtinPairBatch } from './builtinBatch';
import type { BuiltinDpoCheckpoint, BuiltinDpoTrainer } from './builtinTrainer';
import { PairSetError } from './errors';
import type { StepMetrics } from './trainer';

export interface PairEpochsOptions {
  epochs: number;
  /** Peak learning rate. */
  lr: number;
  /** Steps of linear warm-up before the linear decay to zero (TRL's default schedule). Default 10% of the steps. */
  warmupSteps?: number;
  /** Seed of the shuffling. */
  seed: number;
  /** Names of the categories the run trains, by index: each must have pairs. */
  categories: readonly string[];
  /** Stop (after the current step) once training has taken this long. */
  maxSeconds?: number;
  onStep?: (m: StepMetrics & { epoch: number; lr: number; seconds: number }) => void;
  /** After each epoch, with a checkpoint to keep (browser storage, a file). */
  onEpoch?: (epoch: number, checkpoint: BuiltinDpoCheckpoint) => void | Promise<void>;
  /** Asked before each step; true stops the run (pause or cancel), keeping what was trained. */
  shouldStop?: () => boolean;
}

export interface PairEpochsResult {
  steps: number;
  totalSteps: number;
  seconds: number;
  /** Why it ended: all epochs done, the time limit, or a stop request. */
  ended: 'done' | 'time' | 'stopped';
  log: (StepMetrics & { epoch: number; lr: number; seconds: number })[];
}

/** Refuses a pair set that cannot train the run: empty, or without pairs of a category it trains. */
export function checkPairSet(pairs: readonly Pick<BuiltinPair, 'category'>[], categories: readonly string[]): void {
  if (!pairs.length) throw new PairSetError('pairs', 'the pair set is empty: nothing to train on');
  const counts = categories.map((_, i) => pairs.filter((p) => p.category === i).length);
  const outside = pairs.findIndex((p) => !Number.isInteger(p.category) || p.category < 0 || p.category >= categories.length);
  if (outside >= 0) throw new PairSetError(`pairs[${outside}].category`, `${pairs[outside].category} is not one of the run's ${categories.length} categories (${categories.join(', ')})`);
  const missing = categories.filter((_, i) => counts[i] === 0);
  if (missing.length) {
    throw new PairSetError('pairs', `no ${missing.join(' or ')} pairs for a run that trains ${categories.join(', ')} (${categories.map((c, i) => `${c} ${counts[i]}`).join(', ')}): make more pairs or train fewer categories`);
  }
}

/** Linear warm-up to `lr`, then linear decay to zero at `total`. */
export const scheduleLr = (step: number, total: number, lr: number, warmup: number) =>
  step <= warmup ? (lr * step) / Math.max(1, warmup) : (lr * Math.max(0, total - step)) / Math.max(1, total - warmup);

/** The pair indices of global step `s` (0-based): epoch e's seeded shuffle, in batches of P, the last one filled from the epoch's start. */
export function batchIndices(s: number, pairs: number, p: number, seed: number): { epoch: number; indices: number[] } {
  const perEpoch = Math.ceil(pairs / p);
  const epoch = Math.floor(s / perEpoch);
  const order = seededRandom(seed, `pair epochs.${epoch}`).shuffled(Array.from({ length: pairs }, (_, i) => i));
  const at = (s % perEpoch) * p;
  return { epoch, indices: Array.from({ length: p }, (_, j) => order[(at + j) % pairs]) };
}

/** Trains `trainer` on `pairs` from where it stands (its step count) to the end of the last epoch. */
export async function trainPairEpochs(trainer: BuiltinDpoTrainer, pairs: readonly BuiltinPair[], o: PairEpochsOptions): Promise<PairEpochsResult> {
  checkPairSet(pairs, o.categories);
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new TypeError(`epochs must be an integer of at least 1, got ${o.epochs}`);
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) throw new TypeError(`lr must be a positive number, got ${o.lr}`);
  const { config, tokenizer } = trainer.model;
  const { pairs: p, slots } = trainer.options;
  const perEpoch = Math.ceil(pairs.length / p);
  const total = perEpoch * o.epochs;
  const warmup = o.warmupSteps ?? Math.round(total / 10);

  // Reference log-probs once per pair, in order (the last batch filled from the start).
  const ref = new Float32Array(2 * pairs.length);
  for (let at = 0; at < pairs.length; at += p) {
    const idx = Array.from({ length: p }, (_, j) => (at + j) % pairs.length);
    const r = await trainer.referenceLogps(builtinPairBatch(config, tokenizer, idx.map((i) => pairs[i]), slots));
    idx.forEach((i, j) => {
      ref[2 * i] = r[j];
      ref[2 * i + 1] = r[p + j];
    });
  }

  const started = performance.now();
  const log: PairEpochsResult['log'] = [];
  let ended: PairEpochsResult['ended'] = 'done';
  for (let s = trainer.steps; s < total; s++) {
    if (o.shouldStop?.()) {
      ended = 'stopped';
      break;
    }
    const { epoch, indices } = batchIndices(s, pairs.length, p, o.seed);
    const batch = builtinPairBatch(config, tokenizer, indices.map((i) => pairs[i]), slots);
    const batchRef = Float32Array.from({ length: 2 * p }, (_, j) => ref[2 * indices[j % p] + (j < p ? 0 : 1)]);
    const lr = scheduleLr(s + 1, total, o.lr, warmup);
    const { margins: _perPair, ...m } = await trainer.step(batch, lr, batchRef);
    const seconds = (performance.now() - started) / 1000;
    const entry = { ...m, epoch, lr, seconds };
    log.push(entry);
    o.onStep?.(entry);
    if ((s + 1) % perEpoch === 0) await o.onEpoch?.(epoch, await trainer.checkpoint());
    if (o.maxSeconds !== undefined && seconds >= o.maxSeconds && s + 1 < total) {
      ended = 'time';
      break;
    }
  }
  return { steps: trainer.steps, totalSteps: total, seconds: (performance.now() - started) / 1000, ended, log };
}
