/** Named errors of training: what a user must tell apart when an alignment run cannot start or has to stop. */
import { NamedError, registerErrors } from '../core/errors';

/**
 * A step gave a loss or gradient norm that is not finite (usually a learning
 * rate that is too high). The trainer is back at the last state whose loss
 * was finite, at step `lastGoodStep`.
 */
export class TrainingDivergedError extends NamedError {
  static override readonly errorName = 'TrainingDivergedError';
  readonly step: number;
  readonly lastGoodStep: number;
  readonly lr: number;
  constructor(message: string, info: { step: number; lastGoodStep: number; lr: number } = { step: 0, lastGoodStep: 0, lr: 0 }) {
    super(message);
    this.step = info.step;
    this.lastGoodStep = info.lastGoodStep;
    this.lr = info.lr;
  }

  /** The error for a step that gave `what` (e.g. "loss NaN"). */
  static at(step: number, lastGoodStep: number, lr: number, what: string) {
    return new TrainingDivergedError(`training diverged at step ${step} (${what} at learning rate ${lr}); kept the last good state, after step ${lastGoodStep}: lower the learning rate`, { step, lastGoodStep, lr });
  }
}

/** A pair set that cannot train what was asked (empty, or missing a category the run trains). `field` names the setting. */
export class PairSetError extends NamedError {
  static override readonly errorName = 'PairSetError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** A checkpoint that does not belong to this trainer (other adapters, shapes or format). */
export class CheckpointError extends NamedError {
  static override readonly errorName = 'CheckpointError';
}

registerErrors(TrainingDivergedError, PairSetError, CheckpointError);
