/**
 * The Align view's settings as plain data: pair generation (categories,
 * count, seed, candidate sources, keep rule) and training (LoRA, DPO,
 * optimiser, epochs, per-category weights). Defaults are those of
 * `npm run align`, made small where the browser demo needs it; `checkX`
 * names the first wrong field the way the trainer would, before a Worker is
 * started. DOM-free.
 */
// Leaf modules, not the layers' indexes: the store imports this file, and the first view must not load the trainer.
import { PAIR_CATEGORIES, type PairCategory } from '../../align/makePairs';
import { CANDIDATE_SOURCES, DEFAULT_SOURCES } from '../../align/sources';
import { DPO_LOSS_TYPES, type DpoLossType } from '../../train/dpo';

/** What makeSelfPairs is asked for. */
export interface GenerationSettings {
  categories: PairCategory[];
  pairs: number;
  seed: number;
  /** Candidate source ids per category, in order (CANDIDATE_SOURCES). */
  sources: Record<PairCategory, string[]>;
  /** The keep rule's log-prob gap (0: every question); see pairRule. */
  minGap: number;
  balance: 'per-template' | 'none';
}

/** What BuiltinDpoTrainer and trainPairEpochs are asked for. */
export interface TrainSettings {
  rank: number;
  alpha: number;
  targets: string[];
  beta: number;
  loss: DpoLossType;
  lr: number;
  epochs: number;
  batch: number;
  /** Loss weight per category (the paper weighs each category's loss). */
  weights: Record<PairCategory, number>;
  /** Shuffling and adapter initialisation. */
  seed: number;
  /** Stop after this long (seconds), as npm run align's --max-train-seconds. */
  maxSeconds: number;
}

/** The held-out benchmark run before and after training. */
export interface BenchmarkSettings {
  /** Must differ from the generation seed: held-out scenes come from the eval split and another seed. */
  seed: number;
  perCategory: number;
}

/** The linear layers PEFT may target in the built-in model (q/k/v/o in attention, fc1/fc2 in the MLP). */
export const LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'fc1', 'fc2'] as const;

export const DEFAULT_GENERATION: GenerationSettings = {
  categories: [...PAIR_CATEGORIES],
  // Enough for every template to give a few balanced pairs in about a minute on WASM.
  pairs: 120,
  seed: 0,
  sources: { spatial: [...DEFAULT_SOURCES.spatial], temporal: [...DEFAULT_SOURCES.temporal], cross_frame: [...DEFAULT_SOURCES.cross_frame] },
  minGap: 0,
  balance: 'per-template',
};

export const DEFAULT_TRAIN: TrainSettings = {
  rank: 8,
  alpha: 16,
  targets: [...LORA_TARGETS],
  beta: 0.1,
  loss: 'sigmoid',
  lr: 1e-3,
  epochs: 3,
  batch: 8,
  weights: { spatial: 1, temporal: 1, cross_frame: 1 },
  seed: 0,
  maxSeconds: 300,
};

export const DEFAULT_BENCHMARK: BenchmarkSettings = { seed: 1000, perCategory: 24 };

/** A settings error: which field, and why (shown under the field). */
export interface FieldProblem {
  field: string;
  message: string;
}

const whole = (v: number, least: number, most = Number.MAX_SAFE_INTEGER) => Number.isInteger(v) && v >= least && v <= most;

/** The first problem of generation settings, or null. */
export function checkGeneration(s: GenerationSettings): FieldProblem | null {
  if (!s.categories.length) return { field: 'categories', message: 'pick at least one of spatial, temporal, cross-frame' };
  for (const c of s.categories) if (!PAIR_CATEGORIES.includes(c)) return { field: 'categories', message: `"${c}" is not one of ${PAIR_CATEGORIES.join(', ')}` };
  if (!whole(s.pairs, 1, 5000)) return { field: 'pairs', message: `pairs must be a whole number from 1 to 5000, got ${s.pairs}` };
  if (s.pairs < s.categories.length) return { field: 'pairs', message: `${s.pairs} pairs cannot cover ${s.categories.length} categories` };
  if (!whole(s.seed, 0, 2 ** 31 - 1)) return { field: 'seed', message: `seed must be a whole number from 0 to ${2 ** 31 - 1}, got ${s.seed}` };
  for (const c of s.categories) {
    const ids = s.sources[c] ?? [];
    if (!ids.length) return { field: `sources.${c}`, message: `pick at least one candidate source for ${c}` };
    const unknown = ids.find((id) => !CANDIDATE_SOURCES[id]);
    if (unknown) return { field: `sources.${c}`, message: `unknown source "${unknown}"` };
  }
  if (!(s.minGap >= 0) || !Number.isFinite(s.minGap)) return { field: 'minGap', message: `the log-prob gap must be a number of at least 0, got ${s.minGap}` };
  return null;
}

/** The first problem of training settings, or null (the trainer checks the same again, by name). */
export function checkTraining(s: TrainSettings): FieldProblem | null {
  if (!whole(s.rank, 1, 64)) return { field: 'rank', message: `LoRA rank must be a whole number from 1 to 64, got ${s.rank}` };
  if (!(s.alpha > 0) || !Number.isFinite(s.alpha)) return { field: 'alpha', message: `LoRA alpha must be a positive number, got ${s.alpha}` };
  if (!s.targets.length) return { field: 'targets', message: 'pick at least one projection to adapt' };
  const unknown = s.targets.find((t) => !(LORA_TARGETS as readonly string[]).includes(t));
  if (unknown) return { field: 'targets', message: `"${unknown}" is not one of ${LORA_TARGETS.join(', ')}` };
  if (!(s.beta > 0) || !Number.isFinite(s.beta)) return { field: 'beta', message: `beta must be a positive number, got ${s.beta}` };
  if (!DPO_LOSS_TYPES.includes(s.loss)) return { field: 'loss', message: `loss must be one of ${DPO_LOSS_TYPES.join(', ')}` };
  if (!(s.lr > 0) || !Number.isFinite(s.lr)) return { field: 'lr', message: `learning rate must be a positive number, got ${s.lr}` };
  if (!whole(s.epochs, 1, 100)) return { field: 'epochs', message: `epochs must be a whole number from 1 to 100, got ${s.epochs}` };
  if (!whole(s.batch, 1, 64)) return { field: 'batch', message: `batch size must be a whole number from 1 to 64, got ${s.batch}` };
  for (const c of PAIR_CATEGORIES) {
    const w = s.weights[c];
    if (!(w >= 0) || !Number.isFinite(w)) return { field: `weights.${c}`, message: `the ${c} weight must be a number of at least 0, got ${w}` };
  }
  if (!whole(s.seed, 0, 2 ** 31 - 1)) return { field: 'seed', message: `seed must be a whole number, got ${s.seed}` };
  if (!(s.maxSeconds > 0)) return { field: 'maxSeconds', message: `the time limit must be a positive number of seconds, got ${s.maxSeconds}` };
  return null;
}

/** The first problem of benchmark settings against the generation seed, or null. */
export function checkBenchmark(s: BenchmarkSettings, generationSeed: number): FieldProblem | null {
  if (!whole(s.seed, 0, 2 ** 31 - 1)) return { field: 'seed', message: `seed must be a whole number from 0 to ${2 ** 31 - 1}, got ${s.seed}` };
  if (s.seed === generationSeed) return { field: 'seed', message: `the held-out seed must differ from the pair seed (${generationSeed})` };
  if (!whole(s.perCategory, 1, 500)) return { field: 'perCategory', message: `questions per category must be a whole number from 1 to 500, got ${s.perCategory}` };
  return null;
}

/** A number typed into a field: NaN for anything that is not a plain number, so the checks above name it. */
export const typedNumber = (text: string) => (/^\s*-?(\d+\.?\d*|\.\d+)(e-?\d+)?\s*$/i.test(text) ? Number(text) : Number.NaN);

/**
 * Saved settings merged over the defaults field by field: a saved field of
 * the wrong type is dropped (saved state is never trusted).
 */
export function mergeSettings<T extends object>(defaults: T, saved: unknown): T {
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) return structuredClone(defaults);
  const out = structuredClone(defaults) as Record<string, unknown>;
  for (const [k, d] of Object.entries(defaults)) {
    const v = (saved as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (Array.isArray(d)) {
      if (Array.isArray(v) && v.every((x) => typeof x === typeof (d[0] ?? 'string'))) out[k] = [...v];
    } else if (typeof d === 'object' && d !== null) {
      out[k] = mergeSettings(d, v);
    } else if (typeof v === typeof d) out[k] = v;
  }
  return out as T;
}
