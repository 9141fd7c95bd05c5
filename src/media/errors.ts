/**
 * Named errors for what a user must tell apart when a file cannot be used.
 * Each carries a stable `code` so it survives a trip through a Worker or into
 * storage (see core/errors). Cancellation and Worker failure are core's.
 */
import { NamedError, registerErrors, type SerializedError } from '../core/errors';

export { CancelledError, WorkerFailedError, serializeError, deserializeError } from '../core/errors';

export type MediaErrorCode = 'empty-file' | 'unrecognized-format' | 'no-video-track' | 'unsupported-codec' | 'corrupt-file';

/** Base class of every error about a media file; `code` names the kind. */
export class MediaError extends NamedError {
  static override readonly errorName: string = 'MediaError';
  declare readonly code: MediaErrorCode;
}

/** The file has zero bytes. */
export class EmptyFileError extends MediaError {
  static override readonly errorName = 'EmptyFileError';
  constructor(message = 'the file is empty (0 bytes)') { super(message); }
}

/** The bytes are not a container we can read (e.g. a text file renamed .mp4). */
export class UnrecognizedFormatError extends MediaError {
  static override readonly errorName = 'UnrecognizedFormatError';
  constructor(message = 'not a video file: the format is not recognised (MP4, MOV, WebM, Matroska, ... expected)') { super(message); }
}

/** The container has no video track (an audio-only file, for instance). */
export class NoVideoTrackError extends MediaError {
  static override readonly errorName = 'NoVideoTrackError';
  constructor(message = 'the file has no video track') { super(message); }
}

/** The video codec cannot be decoded by this browser. `codec` names it. */
export class UnsupportedCodecError extends MediaError {
  static override readonly errorName = 'UnsupportedCodecError';
  readonly codec: string;
  constructor(codec: string, message?: string) {
    super(message ?? `this browser cannot decode the ${codec} codec`);
    this.codec = codec;
  }
}

/** The file is truncated or damaged. */
export class CorruptFileError extends MediaError {
  static override readonly errorName = 'CorruptFileError';
  constructor(message: string, options?: { cause?: unknown }) { super(message, options); }
}

registerErrors(MediaError, EmptyFileError, UnrecognizedFormatError, NoVideoTrackError, UnsupportedCodecError, CorruptFileError);

/** A media error as plain data (shown on a card, kept with the video record). */
export type SerializedMediaError = SerializedError;
