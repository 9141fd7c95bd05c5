import type { HostTensor } from '../graph';
import { ModelInputError } from './errors';
import { type ModelConfig, geometry } from './model';
import type { WordTokenizer } from './tokenizer';

/** A question and, for scoring or training, the answer whose words are scored. */
export interface TextItem {
  question: string;
  answer?: string;
}

/** The text inputs of a batch, laid out as the model's graphs take them. */
export interface PackedText {
  rows: number;
  /** Text slots per row (columns of ids and textMask). */
  slots: number;
  /** [rows, slots] int32: question words, answer words, <eos>, padding. */
  ids: Int32Array;
  /** [rows, slots]: 1 for words, 0 for padding. */
  textMask: Float32Array;
  /** [rows, answerWindow] int32: sequence positions whose logits predict an answer word or <eos>. */
  positions: Int32Array;
  /** [rows, answerWindow] int32: the word each position predicts. */
  targets: Int32Array;
  /** [rows, answerWindow]: 1 for real entries. */
  windowMask: Float32Array;
  /** [rows] int32: each row's last question position (where generation's first word is predicted). */
  last: Int32Array;
  /** Question length in words per row. */
  questionLength: number[];
}

/**
 * Packs questions (and answers) into fixed-size text inputs; rows past
 * `items.length` are padding. Throws ModelInputError when a text does not fit,
 * UnknownWordError for a word outside the vocabulary.
 */
export function packText(c: ModelConfig, tokenizer: WordTokenizer, items: readonly TextItem[], rows = items.length, slots = c.maxText): PackedText {
  if (items.length > rows) throw new ModelInputError(`${items.length} items do not fit a batch of ${rows}`);
  if (slots > c.maxText) throw new ModelInputError(`${slots} text slots exceed the model's ${c.maxText}`);
  const { visualTokens: v } = geometry(c);
  const k = c.answerWindow;
  const p: PackedText = {
    rows,
    slots,
    ids: new Int32Array(rows * slots),
    textMask: new Float32Array(rows * slots),
    positions: new Int32Array(rows * k),
    targets: new Int32Array(rows * k),
    windowMask: new Float32Array(rows * k),
    last: new Int32Array(rows).fill(v),
    questionLength: [],
  };
  items.forEach((item, r) => {
    const q = tokenizer.encode(item.question);
    const a = item.answer === undefined ? [] : [...tokenizer.encode(item.answer), tokenizer.eosId];
    if (q.length === 0) throw new ModelInputError('the question is empty');
    if (a.length > k) throw new ModelInputError(`the answer "${item.answer}" has ${a.length - 1} words; the model scores at most ${k - 1}`);
    if (q.length + Math.max(a.length, k) > slots) throw new ModelInputError(`the question has ${q.length} words; at most ${slots - k} fit`);
    [...q, ...a].forEach((id, j) => {
      p.ids[r * slots + j] = id;
      p.textMask[r * slots + j] = 1;
    });
    p.last[r] = v + q.length - 1;
    p.questionLength.push(q.length);
    a.forEach((id, j) => {
      p.positions[r * k + j] = v + q.length - 1 + j;
      p.targets[r * k + j] = id;
      p.windowMask[r * k + j] = 1;
    });
  });
  return p;
}

/** The feeds of the scoring graph and the pretraining loss (names as their inputs) for packed text and its patches [rows, V, patchValues]. */
export function sequenceFeeds(c: ModelConfig, text: PackedText, patches: Float32Array): Record<string, HostTensor> {
  const g = geometry(c);
  const k = c.answerWindow;
  return {
    patches: { dtype: 'float32', shape: [text.rows, g.visualTokens, g.patchValues], data: patches },
    ids: { dtype: 'int32', shape: [text.rows, text.slots], data: text.ids },
    text_mask: { dtype: 'float32', shape: [text.rows, text.slots], data: text.textMask },
    positions: { dtype: 'int32', shape: [text.rows, k], data: text.positions },
    targets: { dtype: 'int32', shape: [text.rows, k], data: text.targets },
    window_mask: { dtype: 'float32', shape: [text.rows, k], data: text.windowMask },
  };
}

/** One question with several answers, scored in one row (SequenceInputs.branches). */
export interface BranchItem {
  question: string;
  answers: readonly string[];
}

/** The answer window of one branch, [rows, answerWindow] each, in sequence coordinates. */
export interface BranchWindow {
  positions: Int32Array;
  targets: Int32Array;
  windowMask: Float32Array;
}

/** Questions with up to `n` answers each (a missing answer's window is empty), laid out for forward's branches: the question once, then answer n in its own answerWindow slots. */
export interface PackedBranches {
  rows: number;
  slots: number;
  /** [rows, slots] int32: question words, then each branch's answer words and <eos>, padding. */
  ids: Int32Array;
  /** [rows, slots]: 1 for words, 0 for padding. */
  textMask: Float32Array;
  /** [rows, slots] int32: each branch's positions start where the question ends, as a separate row's answer would. */
  textPositions: Int32Array;
  /** [rows, slots]: 0 on the question, n (1-based) on branch n. */
  branches: Float32Array;
  /** One window per branch. */
  windows: BranchWindow[];
}

/**
 * Packs each question once with its `n` answers after it, each answer in a
 * branch of `answerWindow` slots that sees the question and itself only: the
 * video and the question go through the model once for all `n` answers, and
 * each answer gets the log-probs packText's separate rows would give it.
 * Needs question + n·answerWindow ≤ slots.
 */
export function packAnswerBranches(c: ModelConfig, tokenizer: WordTokenizer, items: readonly BranchItem[], n: number, rows = items.length, slots = c.maxText): PackedBranches {
  if (items.length > rows) throw new ModelInputError(`${items.length} items do not fit a batch of ${rows}`);
  const { visualTokens: v } = geometry(c);
  const k = c.answerWindow;
  const emptyWindow = (): BranchWindow => ({ positions: new Int32Array(rows * k), targets: new Int32Array(rows * k), windowMask: new Float32Array(rows * k) });
  const p: PackedBranches = {
    rows,
    slots,
    ids: new Int32Array(rows * slots),
    textMask: new Float32Array(rows * slots),
    textPositions: new Int32Array(rows * slots),
    branches: new Float32Array(rows * slots),
    windows: Array.from({ length: n }, emptyWindow),
  };
  items.forEach((item, r) => {
    const q = tokenizer.encode(item.question);
    if (q.length === 0) throw new ModelInputError('the question is empty');
    if (q.length + n * k > slots) throw new ModelInputError(`the question has ${q.length} words; with ${n} answers at most ${slots - n * k} fit`);
    // Slots may outnumber maxText (branches share positions), but no text position may.
    if (q.length + k > c.maxText) throw new ModelInputError(`the question has ${q.length} words; at most ${c.maxText - k} fit`);
    const at = r * slots;
    q.forEach((id, j) => {
      p.ids[at + j] = id;
      p.textMask[at + j] = 1;
      p.textPositions[at + j] = j;
    });
    if (item.answers.length > n) throw new ModelInputError(`item ${r} has ${item.answers.length} answers; this batch packs ${n}`);
    item.answers.forEach((answer, b) => {
      const a = [...tokenizer.encode(answer), tokenizer.eosId];
      if (a.length > k) throw new ModelInputError(`the answer "${answer}" has ${a.length - 1} words; the model scores at most ${k - 1}`);
      const start = q.length + b * k; // the branch's first slot
      const w = p.windows[b];
      for (let j = 0; j < k; j++) {
        p.textPositions[at + start + j] = q.length + j;
        p.branches[at + start + j] = b + 1;
      }
      a.forEach((id, j) => {
        p.ids[at + start + j] = id;
        p.textMask[at + start + j] = 1;
        // The first word is predicted at the question's last word, each next one at the branch's previous word.
        w.positions[r * k + j] = j === 0 ? v + q.length - 1 : v + start + j - 1;
        w.targets[r * k + j] = id;
        w.windowMask[r * k + j] = 1;
      });
    });
  });
  return p;
}

/** The feeds of branchScoreGraph for packed branches and their patches [rows, V, patchValues]. */
export function branchFeeds(c: ModelConfig, text: PackedBranches, patches: Float32Array): Record<string, HostTensor> {
  const g = geometry(c);
  const k = c.answerWindow;
  const { rows, slots } = text;
  const feeds: Record<string, HostTensor> = {
    patches: { dtype: 'float32', shape: [rows, g.visualTokens, g.patchValues], data: patches },
    ids: { dtype: 'int32', shape: [rows, slots], data: text.ids },
    text_mask: { dtype: 'float32', shape: [rows, slots], data: text.textMask },
    text_positions: { dtype: 'int32', shape: [rows, slots], data: text.textPositions },
    branches: { dtype: 'float32', shape: [rows, slots], data: text.branches },
  };
  text.windows.forEach((w, b) => {
    feeds[`positions.${b}`] = { dtype: 'int32', shape: [rows, k], data: w.positions };
    feeds[`targets.${b}`] = { dtype: 'int32', shape: [rows, k], data: w.targets };
    feeds[`window_mask.${b}`] = { dtype: 'float32', shape: [rows, k], data: w.windowMask };
  });
  return feeds;
}
