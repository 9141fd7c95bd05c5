import type { Ops, Value } from '../graph';

/**
 * The DPO family. The first four follow TRL 1.13's `DPOTrainer` exactly
 * (checked against its own loss code by the parity test); the last two are
 * older forms, kept under names that say what they are.
 * - `sigmoid`: −log σ(β·z), z = (chosen − rejected) log-ratio. Ignores label smoothing, as TRL does.
 * - `robust`: the unbiased noisy-label form (Chowdhury et al.), ((1−ε)·−log σ(βz) − ε·−log σ(−βz)) / (1 − 2ε).
 * - `ipo`: (z̄ − 1/(2β))², z̄ from log-ratios divided by each response's token count inside the loss;
 *   rewards and log-probs are still logged from sums.
 * - `hinge`: max(0, 1 − β·z).
 * - `cdpo`: conservative DPO, −(1−ε)·log σ(βz) − ε·log σ(−βz): what older TRL computed for `sigmoid` with label smoothing.
 * - `ipo_mean_logps`: IPO on per-token mean log-probs with rewards and log-probs logged as means (older TRL).
 */
export type DpoLossType = 'sigmoid' | 'robust' | 'ipo' | 'hinge' | 'cdpo' | 'ipo_mean_logps';

export const DPO_LOSS_TYPES: readonly DpoLossType[] = ['sigmoid', 'robust', 'ipo', 'hinge', 'cdpo', 'ipo_mean_logps'];

export interface DpoConfig {
  loss: DpoLossType;
  /** Strength of the KL tie to the reference. Default 0.1 (TRL's default). */
  beta: number;
  /** ε of the `robust` (in [0, 0.5)) and `cdpo` (in [0, 1]) losses; the others ignore it, as TRL does. Default 0. */
  labelSmoothing?: number;
  /**
   * Weight of an SFT term, the mean negative log-likelihood of the chosen
   * responses' tokens over the batch, added to the DPO loss: TRL's
   * `loss_type=[<loss>, "sft"]` with `loss_weights=[1, sftWeight]` (the RPO
   * recipe). It keeps the chosen answer's probability from falling while the
   * margin grows. Default 0 (off).
   */
  sftWeight?: number;
}

export const DEFAULT_DPO: DpoConfig = { loss: 'sigmoid', beta: 0.1, labelSmoothing: 0 };

/** Whether the log-probs fed to the loss are per-token means instead of sums (only the older IPO form). */
export const usesMeanLogps = (loss: DpoLossType) => loss === 'ipo_mean_logps';

/** Checks a DPO config as TRL does, naming the field. */
export function validateDpoConfig(config: DpoConfig): void {
  const { loss, beta, labelSmoothing = 0 } = config;
  if (!DPO_LOSS_TYPES.includes(loss)) throw new TypeError(`dpo.loss must be one of ${DPO_LOSS_TYPES.join(', ')}, got "${loss}"`);
  if (!(beta > 0) || !Number.isFinite(beta)) throw new TypeError(`dpo.beta must be a positive number, got ${beta}`);
  if (loss === 'robust' && !(labelSmoothing >= 0 && labelSmoothing < 0.5)) {
    throw new TypeError(`dpo.labelSmoothing must lie in [0, 0.5) for the robust loss, got ${labelSmoothing}`);
  }
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new TypeError(`dpo.labelSmoothing must lie in [0, 1], got ${labelSmoothing}`);
  const { sftWeight = 0 } = config;
  if (!(sftWeight >= 0) || !Number.isFinite(sftWeight)) throw new TypeError(`dpo.sftWeight must be a number of at least 0, got ${sftWeight}`);
}

export interface DpoInputs {
  /** Log-probs of each response: sums (means for `ipo_mean_logps`), [P] each. */
  policyChosen: Value;
  policyRejected: Value;
  referenceChosen: Value;
  referenceRejected: Value;
  /** Response token counts (at least 1), [P] each: `ipo` divides by them inside the loss. */
  chosenTokens: Value;
  rejectedTokens: Value;
  /** Weight of each pair (from its category): [P]. */
  weights: Value;
  /** Summed log-probs of each chosen response, [P], for the SFT term; default `policyChosen` (sums but for `ipo_mean_logps`). */
  policyChosenSum?: Value;
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
  validateDpoConfig(config);
  const { beta, loss: kind, labelSmoothing: eps = 0 } = config;
  const chosenShift = op.Sub(x.policyChosen, x.referenceChosen); // [P]
  const rejectedShift = op.Sub(x.policyRejected, x.referenceRejected); // [P]
  const z = op.Sub(chosenShift, rejectedShift); // [P]
  const nll = (sign: 1 | -1) => op.Neg(op.logSigmoid(op.Mul(z, sign * beta))); // −log σ(±βz)
  let perPair: Value;
  if (kind === 'sigmoid') perPair = nll(1);
  else if (kind === 'robust') perPair = op.Mul(op.Sub(op.Mul(nll(1), 1 - eps), op.Mul(nll(-1), eps)), 1 / (1 - 2 * eps));
  else if (kind === 'cdpo') perPair = eps ? op.Add(op.Mul(nll(1), 1 - eps), op.Mul(nll(-1), eps)) : nll(1);
  else if (kind === 'ipo') perPair = op.square(op.Sub(op.Sub(op.Div(chosenShift, x.chosenTokens), op.Div(rejectedShift, x.rejectedTokens)), 1 / (2 * beta)));
  else if (kind === 'ipo_mean_logps') perPair = op.square(op.Sub(z, 1 / (2 * beta)));
  else perPair = op.Relu(op.Sub(1, op.Mul(z, beta)));
  const mean = (v: Value) => op.mean(v, { axes: [0] });
  const chosen = op.Mul(chosenShift, beta);
  const rejected = op.Mul(rejectedShift, beta);
  const margins = op.Sub(chosen, rejected);
  let loss = mean(op.Mul(perPair, x.weights));
  const { sftWeight = 0 } = config;
  if (sftWeight > 0) {
    // Token-mean cross-entropy over every chosen token of the batch, as TRL's "sft" loss (not a mean of per-pair means).
    const nllChosen = op.Neg(op.Div(op.sumAll(x.policyChosenSum ?? x.policyChosen), op.sumAll(x.chosenTokens)));
    loss = op.Add(loss, op.Mul(nllChosen, sftWeight));
  }
  return {
    loss,
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
