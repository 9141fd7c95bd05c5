/**
 * What every DPO step graph shares after its forward: the DPO loss over the
 * chosen and rejected halves of [2P] log-probs, gradients of the trainable
 * parameters, the AdamW update, and the carried state (parameters and
 * moments fed back as `next.<input>`). The GPT-style decoder (stepGraph.ts)
 * and the built-in video model (builtinStep.ts) differ only in the forward.
 */
import { type Graph, type TensorData, type Value, grad } from '../graph';
import type { NN } from '../nn';
import type { HostTensor } from '../runtime';
import { type AdamWConfig, adamwStep } from './adamw';
import { type DpoConfig, dpoLoss, usesMeanLogps } from './dpo';

/** A policy forward's log-probs, [2P] each: chosen rows first. */
export interface PairLogps {
  sum: Value;
  mean: Value;
  count: Value;
}

export interface DpoStepTailOptions {
  dpo: DpoConfig;
  adamw: AdamWConfig;
  pairs: number;
  /** Categories in the loss weights. Default 3. */
  categories?: number;
  dtype: 'float32' | 'float64';
  /** Also output `grad.<name>` for every trainable parameter. */
  emitGradients?: boolean;
}

export interface DpoStepTail {
  outputs: Record<string, Value>;
  /** Output name -> the input it feeds on the next step. */
  carry: Record<string, string>;
  /** Starting values of every carried input (parameters as they are, moments zero). */
  initialState: Record<string, HostTensor>;
  trainable: Set<string>;
}

export const paramTensor = (p: Value): HostTensor => ({ dtype: p.dtype, shape: p.shape, data: (p.source as { data: TensorData }).data });

/** Splits a [2P] vector into its chosen and rejected halves. */
function halves(nn: NN, v: Value, pairs: number) {
  return {
    chosen: nn.op.Slice(v, { starts: [0], ends: [pairs], axes: [0] }),
    rejected: nn.op.Slice(v, { starts: [pairs], ends: [2 * pairs], axes: [0] }),
  };
}

/**
 * Adds the step's own inputs (ref_logps [2P], category [P] int32,
 * category_weights [C], lr, step, `adam.m.`/`adam.v.` moments), then the
 * policy forward (`policyLogps`, called once, after those inputs), then
 * loss, metrics, grad_norm, margins and the update.
 */
export function dpoStepTail(g: Graph, nn: NN, o: DpoStepTailOptions, policyLogps: () => PairLogps): DpoStepTail {
  const { op } = nn;
  const { dtype } = o;
  const refLogps = g.input('ref_logps', [2 * o.pairs], dtype);
  const category = g.input('category', [o.pairs], 'int32');
  const categoryWeights = g.input('category_weights', [o.categories ?? 3], dtype);
  const lr = g.input('lr', [], dtype);
  const step = g.input('step', [], dtype);

  const logps = policyLogps();
  const policy = halves(nn, usesMeanLogps(o.dpo.loss) ? logps.mean : logps.sum, o.pairs);
  const reference = halves(nn, refLogps, o.pairs);
  const tokens = halves(nn, logps.count, o.pairs);
  const dpo = dpoLoss(op, o.dpo, {
    policyChosen: policy.chosen,
    policyRejected: policy.rejected,
    referenceChosen: reference.chosen,
    referenceRejected: reference.rejected,
    chosenTokens: tokens.chosen,
    rejectedTokens: tokens.rejected,
    weights: op.Gather(categoryWeights, category),
    policyChosenSum: halves(nn, logps.sum, o.pairs).chosen,
  });

  const params = nn.trainableParameters();
  const grads = grad(dpo.loss, params, op);
  const moments = params.map((p) => ({ m: g.input(`adam.m.${p.name}`, p.shape, dtype), v: g.input(`adam.v.${p.name}`, p.shape, dtype) }));
  const updated = g.scope('adamw', () => adamwStep(op, o.adamw, params.map((p, i) => ({ param: p, grad: grads[i], ...moments[i] })), step, lr));

  const outputs: Record<string, Value> = { loss: dpo.loss, ...dpo.metrics, grad_norm: updated.gradNorm, margins: dpo.margins };
  const carry: Record<string, string> = {};
  const initialState: Record<string, HostTensor> = {};
  params.forEach((p, i) => {
    const zeros = (): HostTensor => ({ dtype, shape: p.shape, data: new (dtype === 'float32' ? Float32Array : Float64Array)(p.size) });
    for (const [input, value, init] of [
      [p.name, updated.params[i], paramTensor(p)],
      [`adam.m.${p.name}`, updated.m[i], zeros()],
      [`adam.v.${p.name}`, updated.v[i], zeros()],
    ] as const) {
      outputs[`next.${input}`] = value;
      carry[`next.${input}`] = input;
      initialState[input] = init;
    }
    if (o.emitGradients) outputs[`grad.${p.name}`] = grads[i];
  });
  return { outputs, carry, initialState, trainable: new Set(params.map((p) => p.name)) };
}
