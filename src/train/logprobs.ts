import { GraphBuildError, type Ops, type Value } from '../graph';

export interface SequenceLogps {
  /** Σ log p(token) over response tokens, per sequence: [B]. */
  sum: Value;
  /** The same divided by the number of response tokens: [B]. */
  mean: Value;
  /** The number of response tokens, at least 1: [B]. */
  count: Value;
}

/**
 * Log-probabilities of the response tokens of each sequence. Position t's
 * logits predict token t+1; `responseMask` [B, T] is 1 on response tokens and
 * 0 on prompt and padding tokens, so those never count.
 */
export function responseLogps(op: Ops, logits: Value, ids: Value, responseMask: Value): SequenceLogps {
  const [b, t] = logits.shape;
  if (ids.shape[0] !== b || ids.shape[1] !== t || responseMask.shape[0] !== b || responseMask.shape[1] !== t) {
    throw new GraphBuildError(`logits ${logits.describe()}, ids ${ids.describe()} and mask ${responseMask.describe()} disagree on [B, T]`);
  }
  const predicting = op.Slice(logits, { starts: [0], ends: [t - 1], axes: [1] }); // [B, T-1, V]
  // The next token of each position, by Gather: Slice on int32 falls back to the CPU on the WebGPU EP.
  const shifted = op.graph.constant(Int32Array.from({ length: t - 1 }, (_, i) => i + 1), [t - 1, 1], 'int32');
  const next = op.Gather(ids, shifted, { axis: 1 }); // [B, T-1, 1]
  const mask = op.Slice(responseMask, { starts: [1], ends: [t], axes: [1] }); // [B, T-1]
  // log softmax at the label = logit at the label - logsumexp over the vocabulary.
  const picked = op.GatherElements(predicting, next, { axis: 2 }); // [B, T-1, 1]
  const tokenLogp = op.Reshape(op.Sub(picked, op.ReduceLogSumExp(predicting, { axes: [2], keepdims: true })), [b, t - 1]); // [B, T-1]
  const sum = op.ReduceSum(op.Mul(tokenLogp, mask), { axes: [1] }); // [B]
  const count = op.Max(op.ReduceSum(mask, { axes: [1] }), 1); // [B], at least 1 so an empty response gives 0, not NaN
  return { sum, mean: op.Div(sum, count), count };
}
