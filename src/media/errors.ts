/**
 * Named errors for what a user must tell apart when a file cannot be used.
 * Each carries a stable `code` so it survives a trip through a Worker.
 */

export type MediaErrorCode =
  | 'empty-file'
  | 'unrecognized-format'
  | 'no-video-track'
  | 'unsupported-codec'
  | 'corrupt-file'
  | 'cancelled'
  | 'worker-failed';

/** Base class of every media error; `code` names the kind. */
export class MediaError extends Error {
  readonly code: MediaErrorCode;
  constructor(code: MediaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = ERROR_NAMES[code];
  }
}

/** The file has zero bytes. */
export class EmptyFileError extends MediaError {
  constructor(message = 'the file is empty (0 bytes)') { super('empty-file', message); }
}

/** The bytes are not a container we can read (e.g. a text file renamed .mp4). */
export class UnrecognizedFormatError extends MediaError {
  constructor(message = 'not a video file: the format is not recognised (MP4, MOV, WebM, Matroska, ... expected)') {
    super('unrecognized-format', message);
  }
}

/** The container has no video track (an audio-only file, for instance). */
export class NoVideoTrackError extends MediaError {
  constructor(message = 'the file has no video track') { super('no-video-track', message); }
}

/** The video codec cannot be decoded by this browser. `codec` names it. */
export class UnsupportedCodecError extends MediaError {
  readonly codec: string;
  constructor(codec: string, message?: string) {
    super('unsupported-codec', message ?? `this browser cannot decode the ${codec} codec`);
    this.codec = codec;
  }
}

/** The file is truncated or damaged. */
export class CorruptFileError extends MediaError {
  constructor(message: string, options?: { cause?: unknown }) { super('corrupt-file', message, options); }
}

/** The operation was cancelled by the user. */
export class CancelledError extends MediaError {
  constructor(message = 'cancelled') { super('cancelled', message); }
}

/** The media Worker stopped (failed to load, crashed, ran out of memory); requests in flight are lost. */
export class WorkerFailedError extends MediaError {
  constructor(message = 'the media worker stopped unexpectedly') { super('worker-failed', message); }
}

const ERROR_NAMES: Record<MediaErrorCode, string> = {
  'empty-file': 'EmptyFileError',
  'unrecognized-format': 'UnrecognizedFormatError',
  'no-video-track': 'NoVideoTrackError',
  'unsupported-codec': 'UnsupportedCodecError',
  'corrupt-file': 'CorruptFileError',
  cancelled: 'CancelledError',
  'worker-failed': 'WorkerFailedError',
};

/** A plain object that crosses a Worker boundary or goes into storage. */
export interface SerializedMediaError { code: MediaErrorCode | 'internal'; name: string; message: string; codec?: string }

export function serializeError(error: unknown): SerializedMediaError {
  if (error instanceof MediaError) {
    return { code: error.code, name: error.name, message: error.message, codec: (error as Partial<UnsupportedCodecError>).codec };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { code: 'internal', name: e.name, message: e.message };
}

/** Rebuilds the named error class from its serialized form. */
export function deserializeError(s: SerializedMediaError): Error {
  switch (s.code) {
    case 'empty-file': return new EmptyFileError(s.message);
    case 'unrecognized-format': return new UnrecognizedFormatError(s.message);
    case 'no-video-track': return new NoVideoTrackError(s.message);
    case 'unsupported-codec': return new UnsupportedCodecError(s.codec ?? 'unknown', s.message);
    case 'corrupt-file': return new CorruptFileError(s.message);
    case 'cancelled': return new CancelledError(s.message);
    case 'worker-failed': return new WorkerFailedError(s.message);
    default: {
      const e = new Error(s.message);
      e.name = s.name;
      return e;
    }
  }
}
