/**
 * Probing: what a video is (container, codec, size, timing) without decoding
 * it, and its frame timeline for the samplers.
 */
import { EncodedPacketSink, IsobmffInputFormat } from 'mediabunny';
import { CancelledError } from './errors';
import { codecName, toMediaError, type OpenedVideo } from './open';
import { withSampleEntry } from './sniff';
import { withOpenedVideo, type OpenedVideoCache } from './openedVideoCache';
import { frameSizeOf } from './frameSize';
import { timelineFromRate, timelineFromTimestamps, type FrameCountSource, type FrameTimeline } from './timeline';

/** Everything the library shows about a video. */
export interface VideoProbe {
  /** Container name as mediabunny reports it, e.g. "MP4", "WebM", "Matroska". */
  container: string;
  mimeType: string;
  /** Short codec id, e.g. "avc", "vp9", "hevc". */
  codec: string;
  /** Human codec name, e.g. "H.264". */
  codecName: string;
  /** Full codec string for WebCodecs, e.g. "avc1.64001f", when known. */
  codecString: string | null;
  /** Whether this browser can decode the video track. */
  decodable: boolean;
  /** Size of the coded frames before rotation. */
  codedWidth: number;
  codedHeight: number;
  /**
   * Size of the frames we sample and a trainer decodes (decord, torchvision and
   * PyAV ignore the pixel aspect): the coded picture, turned by the rotation.
   */
  width: number;
  height: number;
  /** Size a player shows: the pixel aspect applied (differs from width x height only for non-square pixels), then the rotation. */
  displayWidth: number;
  displayHeight: number;
  /** Clockwise rotation from the container's metadata: 0, 90, 180 or 270 (ffprobe prints it counter-clockwise: see ffprobeRotation). */
  rotation: number;
  duration: number;
  fps: number;
  frameCount: number;
  countSource: FrameCountSource;
  variableRate: boolean;
  hasAudio: boolean;
  audioCodec: string | null;
  fileSize: number;
  /** True when the index names frames whose data lies past the end of the file. */
  truncated: boolean;
}

export interface ProbeOptions {
  /**
   * Containers other than MP4/MOV do not state a frame count; below this size
   * (bytes) the packets are walked to count frames exactly, above it the count
   * is estimated from the duration and the frame rate. Default 512 MiB.
   */
  countPacketsBelowBytes?: number;
  /** Reuse an already opened file (see OpenedVideoCache). */
  cache?: OpenedVideoCache;
  /** Aborting rejects with CancelledError (walking a long Matroska file's packets takes seconds). */
  signal?: AbortSignal;
  /** Fraction of the frame timeline read so far, 0..1, when the duration is known up front. */
  onProgress?: (fraction: number) => void;
}

export interface ProbeResult { probe: VideoProbe; timeline: FrameTimeline }

/** The probe options that can cross a Worker boundary (plain data). */
export type ProbeSettings = Pick<ProbeOptions, 'countPacketsBelowBytes'>;

/** Probes a video file. Throws a named MediaError for files that cannot be used. */
export async function probeVideo(blob: Blob, options: ProbeOptions = {}): Promise<ProbeResult> {
  try {
    return await withOpenedVideo(blob, options.cache, (opened) => probeOpened(opened, blob.size, options));
  } catch (error) {
    throw toMediaError(error);
  }
}

async function probeOpened(
  { input, track, sampleEntry }: OpenedVideo,
  fileSize: number,
  { countPacketsBelowBytes = 512 * 2 ** 20, signal, onProgress }: ProbeOptions,
): Promise<ProbeResult> {
  const format = await input.getFormat();
  const isobmff = format instanceof IsobmffInputFormat;
  const timeline = isobmff || fileSize <= countPacketsBelowBytes
    ? await exactTimeline(track, isobmff ? 'container' : 'counted', signal, onProgress)
    : await estimatedTimeline(track);
  const audio = await input.getPrimaryAudioTrack();
  const probe: VideoProbe = {
    container: format.name,
    mimeType: await input.getMimeType(),
    codec: track.codec ?? 'unknown',
    codecName: codecName(track.codec),
    codecString: withSampleEntry(await track.getCodecParameterString(), isobmff ? await sampleEntry() : null),
    decodable: await track.canDecode(),
    codedWidth: track.codedWidth,
    codedHeight: track.codedHeight,
    ...frameSizeOf(track),
    displayWidth: track.displayWidth,
    displayHeight: track.displayHeight,
    rotation: track.rotation,
    duration: timeline.duration,
    fps: timeline.fps,
    frameCount: timeline.frameCount,
    countSource: timeline.countSource,
    variableRate: timeline.variableRate,
    hasAudio: audio !== null,
    audioCodec: audio ? codecName(audio.codec) : null,
    fileSize,
    truncated: await lastPacketMissing(track),
  };
  return { probe, timeline };
}

// Packet metadata only: MP4 reads its sample table, Matroska walks block headers.
async function exactTimeline(
  track: OpenedVideo['track'],
  source: 'container' | 'counted',
  signal?: AbortSignal,
  onProgress?: (fraction: number) => void,
): Promise<FrameTimeline> {
  const stated = onProgress ? await track.getDurationFromMetadata() : null;
  const timestamps: number[] = [];
  let end = -Infinity;
  let reported = 0;
  for await (const packet of new EncodedPacketSink(track).packets(undefined, undefined, { metadataOnly: true })) {
    timestamps.push(packet.timestamp);
    end = Math.max(end, packet.timestamp + packet.duration);
    if ((timestamps.length & 1023) === 0) {
      if (signal?.aborted) throw new CancelledError('probing cancelled');
      const fraction = stated ? Math.min(packet.timestamp / stated, 1) : 0;
      if (fraction - reported >= 0.01) onProgress?.((reported = fraction));
    }
  }
  if (timestamps.length === 0) throw new Error('the video track has no frames');
  return timelineFromTimestamps(timestamps, end, source);
}

// Reading the last packet's bytes is one small read, and tells a cut-off download from a whole file.
async function lastPacketMissing(track: OpenedVideo['track']): Promise<boolean> {
  try {
    const sink = new EncodedPacketSink(track);
    const meta = await sink.getPacket(Infinity, { metadataOnly: true });
    if (!meta) return false;
    const last = await sink.getPacket(meta.timestamp);
    return !last || last.data.byteLength < meta.byteLength;
  } catch {
    return true;
  }
}

async function estimatedTimeline(track: OpenedVideo['track']): Promise<FrameTimeline> {
  const [metrics, start, end] = await Promise.all([
    track.computeFrameRateMetrics(),
    track.getFirstTimestamp(),
    track.computeDuration(),
  ]);
  return timelineFromRate(start, end - start, metrics.bestGuessFrameRate, !metrics.frameRateIsConstant);
}
