import type { Ops, Value } from '../graph';

/** The DPO family as TRL names it. */
export type DpoLossType = 'sigmoid' | 'ipo' | 'hinge';

export interface DpoConfig {
  loss: DpoLossType;
  /** Strength of the KL tie to the reference. Default 0.1 (TRL's default). */
  beta: number;
  /** Conservative DPO's ε for the sigmoid loss. Default 0. */
  labelSmoothing?: number;
}

export const DEFAULT_DPO: DpoConfig = { loss: 'sigmoid', beta: 0.1, labelSmoothing: 0 };

/** IPO compares length-normalised log-probs (as TRL does); the others compare sums. */
export const usesMeanLogps = (loss: DpoLossType) => loss === 'ipo';

export interface DpoInputs {
  policyChosen: Value; // [P]
  policyRejected: Value; // [P]
  referenceChosen: Value; // [P]
  referenceRejected: Value; // [P]
  /** Weight of each pair (from its category): [P]. */
  weights: Value;
}

/** The metric names TRL logs, in its order. */
export const DPO_METRICS = ['rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins', 'logps/chosen', 'logps/rejected'] as const;
export type DpoMetric = (typeof DPO_METRICS)[number];

export interface DpoOutputs {
  /** Mean over pairs of weight × loss: scalar. */
  loss: Value;
  metrics: Record<DpoMetric, Value>;
  /** Per-pair reward margin β·(Δchosen − Δrejected): [P]. */
  margins: Value;
}

/** DPO losses and TRL's metrics, from policy and reference log-probs. */
export function dpoLoss(op: Ops, config: DpoConfig, x: DpoInputs): DpoOutputs {
  const { beta, loss: kind, labelSmoothing = 0 } = config;
  const chosenShift = op.Sub(x.policyChosen, x.referenceChosen); // [P]
  const rejectedShift = op.Sub(x.policyRejected, x.referenceRejected); // [P]
  const logits = op.Sub(chosenShift, rejectedShift); // [P]
  let perPair: Value;
  if (kind === 'sigmoid') {
    perPair = op.Neg(op.logSigmoid(op.Mul(logits, beta)));
    if (labelSmoothing) perPair = op.Sub(op.Mul(perPair, 1 - labelSmoothing), op.Mul(op.logSigmoid(op.Mul(logits, -beta)), labelSmoothing));
  } else if (kind === 'ipo') {
    perPair = op.square(op.Sub(logits, 1 / (2 * beta)));
  } else {
    perPair = op.Relu(op.Sub(1, op.Mul(logits, beta)));
  }
  const mean = (v: Value) => op.mean(v, { axes: [0] });
  const chosen = op.Mul(chosenShift, beta);
  const rejected = op.Mul(rejectedShift, beta);
  const margins = op.Sub(chosen, rejected);
  return {
    loss: mean(op.Mul(perPair, x.weights)),
    margins,
    metrics: {
      'rewards/chosen': mean(chosen),
      'rewards/rejected': mean(rejected),
      'rewards/accuracies': mean(op.Cast(op.Greater(chosen, rejected), chosen.dtype)),
      'rewards/margins': mean(margins),
      'logps/chosen': mean(x.policyChosen),
      'logps/rejected': mean(x.policyRejected),
    },
  };
}
