/**
 * Opening a file with mediabunny, mapping its failures to our named errors.
 * Works in a Worker and on the main thread (needs WebCodecs only to decode).
 */
import { ALL_FORMATS, BlobSource, Input, UnsupportedInputFormatError, type InputVideoTrack } from 'mediabunny';
import { NamedError } from '../core/errors';
import { CorruptFileError, EmptyFileError, NoVideoTrackError, UnrecognizedFormatError } from './errors';
import { SNIFF_BYTES, fileKind, missingMoov, videoSampleEntry } from './sniff';

/** An opened input and its primary video track. Call `dispose()` when done. */
export interface OpenedVideo {
  input: Input;
  track: InputVideoTrack;
  /** The video track's sample entry as an MP4 stores it (`hvc1`, `hev1`, `avc1`, ...), read once on demand; null for other containers. */
  sampleEntry(): Promise<string | null>;
  dispose(): void;
}

/** Human names of the codecs mediabunny reports. */
export const CODEC_NAMES: Record<string, string> = {
  avc: 'H.264', hevc: 'HEVC (H.265)', vp8: 'VP8', vp9: 'VP9', av1: 'AV1',
  aac: 'AAC', opus: 'Opus', mp3: 'MP3', vorbis: 'Vorbis', flac: 'FLAC', ac3: 'AC-3', eac3: 'E-AC-3',
};
export const codecName = (codec: string | null) => (codec ? CODEC_NAMES[codec] ?? codec : 'unknown');

/** Opens `blob` (reading only the byte ranges it needs) and finds its video track. */
export async function openVideo(blob: Blob): Promise<OpenedVideo> {
  if (blob.size === 0) throw new EmptyFileError();
  // Exact-range reads: a stream reader reads through the gaps between far-apart
  // key frames, which made memory grow with the file (90 vs 51 MiB on a 1 h clip).
  const input = new Input({ formats: ALL_FORMATS, source: new BlobSource(blob, { useStreamReader: false }) });
  const dispose = () => input.dispose();
  try {
    await input.getFormat();
    const track = await input.getPrimaryVideoTrack();
    if (!track) {
      const audio = await input.getAudioTracks();
      // A container with no readable track at all is damaged, not merely audio-only.
      if (audio.length === 0) throw new CorruptFileError('the container holds no readable track: the file is damaged');
      throw new NoVideoTrackError(`audio-only file (${audio.map((a) => codecName(a.codec)).join(', ')}): it has no video track`);
    }
    let entry: Promise<string | null> | undefined;
    const sampleEntry = () => (entry ??= videoSampleEntry(blob).catch(() => null));
    return { input, track, sampleEntry, dispose };
  } catch (error) {
    dispose();
    throw await explainFailure(blob, error);
  }
}

/**
 * A failure to open `blob` named from what its bytes show where they show
 * more: the kind of a file that is no video (a PNG renamed .mp4), an MP4
 * whose moov atom was cut off. Otherwise as `toMediaError`.
 */
async function explainFailure(blob: Blob, error: unknown): Promise<NamedError> {
  const named = toMediaError(error);
  try {
    if (named instanceof UnrecognizedFormatError) {
      const kind = fileKind(new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer()));
      if (kind) return new UnrecognizedFormatError(`not a video file: it is ${kind}${extensionNote(blob)} (its first bytes say so)`);
    } else if (named instanceof CorruptFileError) {
      const moov = await missingMoov(blob);
      if (moov) return new CorruptFileError(moov, { cause: error });
    }
  } catch {
    // The diagnosis is a courtesy: the named error stands without it.
  }
  return named;
}

const extensionNote = (blob: Blob) => {
  const ext = blob instanceof File ? /\.[^.]+$/.exec(blob.name)?.[0] : undefined;
  return ext ? ` with a ${ext} name` : '';
};

/** Maps anything thrown while reading a file to one of our named errors (ours, such as a cancellation, pass through). */
export function toMediaError(error: unknown): NamedError {
  if (error instanceof NamedError) return error;
  if (error instanceof UnsupportedInputFormatError) return new UnrecognizedFormatError();
  const message = error instanceof Error ? error.message : String(error);
  // mediabunny's internal consistency checks throw a bare "Assertion failed.": on a file we read, that is damaged data.
  if (/^assertion failed\.?$/i.test(message.trim())) {
    return new CorruptFileError('the file is damaged: the demuxer met data that breaks its container structure (e.g. a damaged block header)', { cause: error });
  }
  return new CorruptFileError(`the file is truncated or damaged: ${message}`, { cause: error });
}
