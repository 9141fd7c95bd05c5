import type { Ops, Value } from '../graph';

/** torch.optim.AdamW's settings; the defaults are PyTorch's, except weight decay (TRL's 0). */
export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled: p ← p − lr·wd·p before the Adam step. */
  weightDecay: number;
  /** Clip the global gradient norm to this before the step (PyTorch's clip_grad_norm_); omit for no clipping. */
  maxGradNorm?: number;
}

export const DEFAULT_ADAMW: AdamWConfig = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 };

export interface AdamWState {
  param: Value;
  grad: Value;
  m: Value;
  v: Value;
}

export interface AdamWResult {
  params: Value[];
  m: Value[];
  v: Value[];
  /** Global L2 norm of the gradients before clipping: scalar. */
  gradNorm: Value;
}

/**
 * One bias-corrected AdamW step for every parameter, emitted into the graph
 * in exactly PyTorch's order of operations. `step` is the 1-based step count
 * and `lr` the learning rate, both scalar inputs so the schedule stays on the host.
 */
export function adamwStep(op: Ops, config: AdamWConfig, states: readonly AdamWState[], step: Value, lr: Value): AdamWResult {
  const { beta1, beta2, eps, weightDecay, maxGradNorm } = config;
  const squares = states.map((s) => op.sumAll(op.square(s.grad)));
  const gradNorm = op.Sqrt(squares.reduce((a, b) => op.Add(a, b)));
  const clip = maxGradNorm === undefined ? undefined : op.Min(op.Div(maxGradNorm, op.Add(gradNorm, 1e-6)), 1);
  const biasCorrection1 = op.Sub(1, op.Exp(op.Mul(step, Math.log(beta1))));
  const biasCorrection2 = op.Sub(1, op.Exp(op.Mul(step, Math.log(beta2))));
  const stepSize = op.Div(lr, biasCorrection1);
  const bc2Sqrt = op.Sqrt(biasCorrection2);
  const out: AdamWResult = { params: [], m: [], v: [], gradNorm };
  for (const s of states) {
    const g = clip ? op.Mul(s.grad, clip) : s.grad;
    const decayed = weightDecay ? op.Mul(s.param, op.Sub(1, op.Mul(lr, weightDecay))) : s.param;
    const m = op.Add(op.Mul(s.m, beta1), op.Mul(g, 1 - beta1));
    const v = op.Add(op.Mul(s.v, beta2), op.Mul(op.square(g), 1 - beta2));
    const denom = op.Add(op.Div(op.Sqrt(v), bc2Sqrt), eps);
    out.params.push(op.Sub(decayed, op.Mul(op.Div(m, denom), stepSize)));
    out.m.push(m);
    out.v.push(v);
  }
  return out;
}
