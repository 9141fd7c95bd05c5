import { GraphBuildError, type Ops, type Value } from '../graph';

export interface SequenceLogps {
  /** Σ log p(token) over response tokens, per sequence: [B]. */
  sum: Value;
  /** The same divided by the number of response tokens: [B]. */
  mean: Value;
  /** The number of response tokens, at least 1: [B]. */
  count: Value;
  /** log p of each window entry, 0 where the window mask is 0: [B, K]. */
  tokens: Value;
}

/** Where the response tokens are, as `sequenceFeeds` lays them out: each [B, K]. */
export interface ResponseWindow {
  /** int32 positions whose logits predict a response token. */
  positions: Value;
  /** int32 token each position predicts. */
  targets: Value;
  /** 1 for real entries, 0 for padding. */
  mask: Value;
}

/**
 * Log-probabilities of the response tokens of each sequence. Only the hidden
 * states [B, T, C] at the window's positions go through `head` (the LM head)
 * and the log-softmax, so prompt and padding positions cost nothing there:
 * with long prompts (visual tokens) and short answers, most of the vocabulary-
 * wide work of a full-sequence head is skipped.
 */
export function responseLogps(op: Ops, hidden: Value, head: (h: Value) => Value, at: ResponseWindow): SequenceLogps {
  const [b, , c] = hidden.shape;
  const k = at.positions.shape[1];
  for (const [name, v] of Object.entries(at)) {
    if (v.rank !== 2 || v.shape[0] !== b || v.shape[1] !== k) throw new GraphBuildError(`at.${name} ${v.describe()} must be [${b}, ${k}] for hidden ${hidden.describe()}`);
  }
  const rows = op.Expand(op.Reshape(at.positions, [b, k, 1]), [b, k, c]); // [B, K, C]
  const logits = head(op.GatherElements(hidden, rows, { axis: 1 })); // [B, K, V]
  // log softmax at the target = logit at the target - logsumexp over the vocabulary.
  const picked = op.GatherElements(logits, op.Reshape(at.targets, [b, k, 1]), { axis: 2 }); // [B, K, 1]
  const tokenLogp = op.Reshape(op.Sub(picked, op.logSumExp(logits, { axes: [2], keepdims: true })), [b, k]); // [B, K]
  const tokens = op.Mul(tokenLogp, at.mask); // [B, K]
  const sum = op.ReduceSum(tokens, { axes: [1] }); // [B]
  const count = op.Max(op.ReduceSum(at.mask, { axes: [1] }), 1); // [B], at least 1 so an empty response gives 0, not NaN
  return { sum, mean: op.Div(sum, count), count, tokens };
}

/**
 * Log-probabilities of several responses sharing rows (answer branches, see
 * branchBias), one window each: the windows go through `head` together (one
 * LM head), then each window's sums are taken apart. One SequenceLogps per window.
 */
export function branchResponseLogps(op: Ops, hidden: Value, head: (h: Value) => Value, windows: readonly ResponseWindow[]): SequenceLogps[] {
  const joined = (key: keyof ResponseWindow) => op.Concat(windows.map((w) => w[key]), { axis: 1 }); // [B, n·K]
  const all = responseLogps(op, hidden, head, { positions: joined('positions'), targets: joined('targets'), mask: joined('mask') });
  let at = 0;
  return windows.map((w) => {
    const k = w.positions.shape[1];
    const tokens = op.Slice(all.tokens, { starts: [at], ends: [at + k], axes: [1] }); // [B, K]
    at += k;
    const sum = op.ReduceSum(tokens, { axes: [1] }); // [B]
    const count = op.Max(op.ReduceSum(w.mask, { axes: [1] }), 1); // [B], as responseLogps counts
    return { sum, mean: op.Div(sum, count), count, tokens };
  });
}
