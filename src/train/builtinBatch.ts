import { type ModelConfig, type PackedBranches, type WordTokenizer, geometry, packAnswerBranches } from '../model';
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

/**
 * P pairs packed for the built-in model's DPO graphs: one row per pair, its
 * video and question once and the chosen and rejected answers as two
 * branches of it (packAnswerBranches), so the shared prefix, nearly all of
 * the sequence, goes through the model once instead of twice.
 */
export interface BuiltinPairBatch {
  pairs: number;
  /** [P, V, patchValues]. */
  patches: Float32Array;
  /** Windows: [0] chosen, [1] rejected. */
  text: PackedBranches;
  category: Int32Array;
}

/** Text slots of a pair row for `slots`, the single-answer row's width (longest question plus the answer window): one more answer window. */
export const pairSlots = (config: ModelConfig, slots: number) => slots + config.answerWindow;

/** Packs exactly `pairs.length` pairs for `slots` (the single-answer width, see pairSlots); throws ModelInputError / UnknownWordError for text that does not fit. */
export function builtinPairBatch(config: ModelConfig, tokenizer: WordTokenizer, pairs: readonly BuiltinPair[], slots: number): BuiltinPairBatch {
  const g = geometry(config);
  const per = g.visualTokens * g.patchValues;
  const patches = new Float32Array(pairs.length * per);
  pairs.forEach((p, i) => {
    if (p.patches.length !== per) throw new BatchError(`pair ${i}: patches has ${p.patches.length} values, the model needs ${per}`);
    patches.set(p.patches, i * per);
  });
  const items = pairs.map((p) => ({ question: p.question, answers: [p.chosen, p.rejected] }));
  return { pairs: pairs.length, patches, text: packAnswerBranches(config, tokenizer, items, 2, pairs.length, pairSlots(config, slots)), category: Int32Array.from(pairs, (p) => p.category) };
}

/** The model inputs of the built-in DPO graphs (names as their inputs): patches, text and the two windows, [P, …] each. */
export function builtinPairFeeds(config: ModelConfig, batch: BuiltinPairBatch): Record<string, HostTensor> {
  const g = geometry(config);
  const p = batch.pairs;
  const { slots } = batch.text;
  const k = config.answerWindow;
  const t = batch.text;
  const feeds: Record<string, HostTensor> = {
    patches: { dtype: 'float32', shape: [p, g.visualTokens, g.patchValues], data: batch.patches },
    ids: { dtype: 'int32', shape: [p, slots], data: t.ids },
    text_mask: { dtype: 'float32', shape: [p, slots], data: t.textMask },
    text_positions: { dtype: 'int32', shape: [p, slots], data: t.textPositions },
    branches: { dtype: 'float32', shape: [p, slots], data: t.branches },
  };
  (['chosen', 'rejected'] as const).forEach((side, b) => {
    const w = t.windows[b];
    feeds[`${side}_positions`] = { dtype: 'int32', shape: [p, k], data: w.positions };
    feeds[`${side}_targets`] = { dtype: 'int32', shape: [p, k], data: w.targets };
    feeds[`${side}_window_mask`] = { dtype: 'float32', shape: [p, k], data: w.windowMask };
  });
  return feeds;
}
