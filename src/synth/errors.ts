/**
 * Named errors of the synthetic world (see core/errors for why names are
 * stable and registered).
 */
import { NamedError, registerErrors } from '../core/errors';

/** The synthetic world could not produce what was asked (e.g. no scene with the target answer within the attempt budget). */
export class SynthError extends NamedError {
  static override readonly errorName = 'SynthError';
  constructor(message: string) { super(message); }
}
registerErrors(SynthError);
