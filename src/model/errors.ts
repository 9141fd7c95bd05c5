/** Named errors of the built-in model: what a user must tell apart when a question or a model folder cannot be used. */
import { NamedError, registerErrors } from '../core/errors';

/** A question or answer has a word the tokenizer does not know. `word` names it. */
export class UnknownWordError extends NamedError {
  static override readonly errorName = 'UnknownWordError';
  readonly word: string;
  constructor(word: string, text: string) {
    super(`the word "${word}" is not in the model's vocabulary (in "${text}")`);
    this.word = word;
  }
}

/** A model folder cannot be loaded: a file is missing or malformed, or a tensor has the wrong shape. */
export class ModelFolderError extends NamedError {
  static override readonly errorName = 'ModelFolderError';
  readonly file: string;
  readonly tensor: string | null;
  constructor(file: string, message: string, tensor: string | null = null) {
    super(`${file}${tensor ? `, tensor "${tensor}"` : ''}: ${message}`);
    this.file = file;
    this.tensor = tensor;
  }
}

/** A question, answer or frame set does not fit the model (too many words, wrong frame count). */
export class ModelInputError extends NamedError {
  static override readonly errorName = 'ModelInputError';
}

registerErrors(UnknownWordError, ModelFolderError, ModelInputError);
