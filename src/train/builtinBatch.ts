import { type ModelConfig, type PackedText, type WordTokenizer, geometry, packText } from '../model';
import type { HostTensor } from '../runtime';
import { BatchError } from './batch';

/** One preference pair for the built-in model: a video (its patches), the query, and the two answers. */
export interface BuiltinPair {
  /** The video's stem input [V, patchValues] (patchify's layout): the preferred view, which both answers are trained on. */
  patches: Float32Array;
  question: string;
  chosen: string;
  rejected: string;
  /** Index into the trainer's category weights (0 spatial, 1 temporal, 2 cross-frame). */
  category: number;
}

/** P pairs packed for the built-in model's DPO graphs: one video per pair, chosen rows then rejected rows of text. */
export interface BuiltinPairBatch {
  pairs: number;
  /** [P, V, patchValues]. */
  patches: Float32Array;
  chosen: PackedText;
  rejected: PackedText;
  category: Int32Array;
}

/** Packs exactly `pairs.length` pairs into `slots` text slots; throws ModelInputError / UnknownWordError for text that does not fit. */
export function builtinPairBatch(config: ModelConfig, tokenizer: WordTokenizer, pairs: readonly BuiltinPair[], slots: number): BuiltinPairBatch {
  const g = geometry(config);
  const per = g.visualTokens * g.patchValues;
  const patches = new Float32Array(pairs.length * per);
  pairs.forEach((p, i) => {
    if (p.patches.length !== per) throw new BatchError(`pair ${i}: patches has ${p.patches.length} values, the model needs ${per}`);
    patches.set(p.patches, i * per);
  });
  return {
    pairs: pairs.length,
    patches,
    chosen: packText(config, tokenizer, pairs.map((p) => ({ question: p.question, answer: p.chosen })), pairs.length, slots),
    rejected: packText(config, tokenizer, pairs.map((p) => ({ question: p.question, answer: p.rejected })), pairs.length, slots),
    category: Int32Array.from(pairs, (p) => p.category),
  };
}

function stacked<T extends Int32Array | Float32Array>(a: T, b: T): T {
  const out = new (a.constructor as new (n: number) => T)(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The model inputs of the built-in DPO graphs (names as their inputs): patches [P, …], text [2P, …] chosen first. */
export function builtinPairFeeds(config: ModelConfig, batch: BuiltinPairBatch): Record<string, HostTensor> {
  const g = geometry(config);
  const rows = 2 * batch.pairs;
  const { slots } = batch.chosen;
  const k = config.answerWindow;
  const { chosen: c, rejected: r } = batch;
  return {
    patches: { dtype: 'float32', shape: [batch.pairs, g.visualTokens, g.patchValues], data: batch.patches },
    ids: { dtype: 'int32', shape: [rows, slots], data: stacked(c.ids, r.ids) },
    text_mask: { dtype: 'float32', shape: [rows, slots], data: stacked(c.textMask, r.textMask) },
    positions: { dtype: 'int32', shape: [rows, k], data: stacked(c.positions, r.positions) },
    targets: { dtype: 'int32', shape: [rows, k], data: stacked(c.targets, r.targets) },
    window_mask: { dtype: 'float32', shape: [rows, k], data: stacked(c.windowMask, r.windowMask) },
  };
}
