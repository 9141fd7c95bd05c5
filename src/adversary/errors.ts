/** A spec that cannot be applied. Subclasses name what was wrong; the inspector shows the message and keeps its view. */
export class AdversarySpecError extends Error {
  override name = 'AdversarySpecError';
  constructor(
    message: string,
    /** The spec field at fault (`recipe`, `params.fraction`, `category`...). */
    readonly field?: string,
  ) {
    super(message);
  }
}

export class UnknownRecipeError extends AdversarySpecError {
  override name = 'UnknownRecipeError';
}

export class ParamOutOfRangeError extends AdversarySpecError {
  override name = 'ParamOutOfRangeError';
}

/** A recipe that takes frames from another video named one that is not in the library. */
export class MissingVideoError extends AdversarySpecError {
  override name = 'MissingVideoError';
}
