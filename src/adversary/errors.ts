/** A spec that cannot be applied. Subclasses name what was wrong; the inspector shows the message and keeps its view. */
import { NamedError, registerErrors } from '../core/errors';

export class AdversarySpecError extends NamedError {
  static override readonly errorName: string = 'AdversarySpecError';
  constructor(
    message: string,
    /** The spec field at fault (`recipe`, `params.fraction`, `category`...). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export class UnknownRecipeError extends AdversarySpecError {
  static override readonly errorName = 'UnknownRecipeError';
}

export class ParamOutOfRangeError extends AdversarySpecError {
  static override readonly errorName = 'ParamOutOfRangeError';
}

/** A recipe that takes frames from another video named one that is not in the library. */
export class MissingVideoError extends AdversarySpecError {
  static override readonly errorName = 'MissingVideoError';
}

registerErrors(AdversarySpecError, UnknownRecipeError, ParamOutOfRangeError, MissingVideoError);
