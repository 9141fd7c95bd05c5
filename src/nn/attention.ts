import { GraphBuildError, type Value } from '../graph';
import { type LoraTargets, linear } from './linear';
import type { NN } from './module';

/** Added to the scores of masked positions; large enough that softmax gives them exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

export interface AttentionOptions {
  dim: number;
  heads: number;
  /** Adapters on the projections whose names are listed (q_proj, k_proj, v_proj, o_proj). */
  lora?: LoraTargets;
}

/**
 * Additive attention bias [B, 1, T, T] for causal attention over right-padded
 * sequences: 0 where query i may see key j (j ≤ i and j is a real token),
 * MASKED_SCORE elsewhere. `mask` is [B, T] float, 1 for tokens and 0 for padding.
 */
export function causalPaddingBias(nn: NN, mask: Value): Value {
  const { op } = nn;
  const [b, t] = mask.shape;
  const causal = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) causal[i * t + j] = MASKED_SCORE;
  const causalBias = nn.graph.constant(nn.dtype === 'float32' ? causal : Float64Array.from(causal), [t, t], nn.dtype); // [T, T]
  const padBias = op.Mul(op.Sub(1, op.Reshape(mask, [b, 1, 1, t])), MASKED_SCORE); // [B, 1, 1, T]
  return op.Add(padBias, causalBias); // [B, 1, T, T]
}

/**
 * Additive bias [B, 1, T, T] that keeps answer branches apart: `branches`
 * [B, T] is 0 on the shared prompt and n ≥ 1 on branch n; a query sees keys
 * of the prompt and of its own branch only (added to causalPaddingBias).
 * Several responses to one prompt then share a row, the prompt computed once,
 * with the values separate rows would give.
 */
export function branchBias(nn: NN, branches: Value): Value {
  const { op } = nn;
  const [b, t] = branches.shape;
  const key = op.Reshape(branches, [b, 1, 1, t]); // [B, 1, 1, T]
  // Branch ids are whole numbers ≥ 0: key·(query − key)² is 0 where the key is the prompt's or the query's own branch, and at least 1 elsewhere.
  const apart = op.Mul(key, op.square(op.Sub(op.Reshape(branches, [b, 1, t, 1]), key))); // [B, 1, T, T]
  return op.Mul(op.Min(apart, 1), MASKED_SCORE); // [B, 1, T, T]
}

/** Multi-head self-attention; `bias` is the additive mask from causalPaddingBias. */
export function selfAttention(nn: NN, name: string, x: Value, bias: Value, options: AttentionOptions): Value {
  const { dim, heads, lora } = options;
  const { op } = nn;
  if (dim % heads !== 0) throw new GraphBuildError(`dim ${dim} is not divisible by heads ${heads}`, name);
  const [b, t] = x.shape;
  const hd = dim / heads;
  const proj = (n: string, h: Value) => linear(nn, n, h, { inFeatures: dim, outFeatures: dim, lora: lora?.targets.includes(n) ? lora : undefined });
  const splitHeads = (h: Value) => op.Transpose(op.Reshape(h, [b, t, heads, hd]), [0, 2, 1, 3]); // [B, H, T, hd]
  return nn.scope(name, () => {
    const q = splitHeads(proj('q_proj', x));
    const k = splitHeads(proj('k_proj', x));
    const v = splitHeads(proj('v_proj', x));
    const scores = op.Add(op.Mul(op.MatMul(q, op.Transpose(k, [0, 1, 3, 2])), 1 / Math.sqrt(hd)), bias); // [B, H, T, T]
    const attended = op.MatMul(op.Softmax(scores, { axis: -1 }), v); // [B, H, T, hd]
    const merged = op.Reshape(op.Transpose(attended, [0, 2, 1, 3]), [b, t, dim]); // [B, T, C]
    return proj('o_proj', merged);
  });
}
