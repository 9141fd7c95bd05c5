/**
 * Decoding the frames a plan names, resized to a maximum side, with progress
 * and cancellation. Needs WebCodecs and OffscreenCanvas (a Worker or a page).
 *
 * How it stays fast and small:
 * - wanted frames are grouped by the key frame they depend on; each group is
 *   decoded from its key frame only as far as its last wanted frame;
 * - H.264 frames that nothing references and that we do not want are not
 *   decoded at all (see disposableFrames.ts);
 * - groups are spread over `lanes` decoders running side by side;
 * - every decoded frame is closed as soon as it is drawn (or at once when it
 *   is not wanted), so decoded pictures never pile up, however long the video.
 */
import { EncodedPacketSink, type EncodedPacket } from 'mediabunny';
import { avcNalLengthSize, isDisposableAvcFrame } from './disposableFrames';
import { CancelledError, CorruptFileError, UnsupportedCodecError } from './errors';
import type { SampledFrame } from '../core/frame';
import { fitMaxSide, frameSizeOf } from './frameSize';
import { codecName, toMediaError, type OpenedVideo } from './open';
import { withSampleEntry } from './sniff';
import { withOpenedVideo, type OpenedVideoCache } from './openedVideoCache';
import type { FramePlan } from './samplers';
import { seekTimeOf, timestampOf, type FrameTimeline } from './timeline';

export interface DecodeOptions {
  /** Longest side of the output frames in pixels; frames are never upscaled. Default: native size. */
  maxSide?: number;
  /** Aborting rejects with CancelledError and releases the decoders. */
  signal?: AbortSignal;
  /** Called after each distinct wanted frame is decoded. */
  onProgress?: (done: number, total: number) => void;
  /** Decoders run side by side over separate key-frame groups (default 2, one per core here). */
  lanes?: number;
  /** Skip unwanted H.264 frames that no other frame references (default true). */
  skipDisposable?: boolean;
  /** Reuse an already opened file (see OpenedVideoCache). */
  cache?: OpenedVideoCache;
}

/** The decode options that can cross a Worker boundary (plain data). */
export type DecodeSettings = Pick<DecodeOptions, 'maxSide' | 'lanes' | 'skipDisposable'>;

/** Wanted frames that share one key frame. */
interface KeyGroup {
  key: EncodedPacket;
  /** Timestamps (µs) of the wanted frames' packets. */
  targets: number[];
  /** Rough decoding cost: seconds from the key frame to the last wanted frame. */
  span: number;
}

/** Most chunks queued in one decoder before we wait for it. */
const MAX_DECODE_QUEUE = 12;

/**
 * Decodes the frames of `plan` from `blob`. Slots that name the same source
 * frame share one pixel buffer.
 */
export async function decodePlan(
  blob: Blob,
  timeline: FrameTimeline,
  plan: FramePlan,
  options: DecodeOptions = {},
): Promise<SampledFrame[]> {
  const { signal, onProgress, lanes = 2, skipDisposable = true } = options;
  throwIfCancelled(signal);
  try {
    return await withOpenedVideo(blob, options.cache, async (opened) => {
      const { track } = opened;
      const config = await decoderConfigOf(opened);
      // Square pixels, as trainers decode them: a player's pixel-aspect stretch would change what they see.
      const square = frameSizeOf(track);
      const size = fitMaxSide(square.width, square.height, options.maxSide);
      const draw = frameDrawer(size.width, size.height, track.rotation);
      const indices = [...new Set(plan.picks.map((p) => p.index))].sort((a, b) => a - b);
      const sink = new EncodedPacketSink(track);
      const { groups, targets } = await groupByKeyFrame(sink, timeline, indices);

      const pixels = new Map<number, Uint8ClampedArray<ArrayBuffer>>();
      let drawFailure: unknown = null;
      const onFrame = (frame: VideoFrame) => {
        try {
          const wanted = targets.get(frame.timestamp);
          if (!wanted || pixels.has(wanted[0])) return;
          const data = draw(frame);
          for (const index of wanted) pixels.set(index, data);
          onProgress?.(pixels.size, indices.length);
        } catch (error) {
          drawFailure ??= error; // thrown here it would escape the decoder as an uncaught error
        } finally {
          frame.close();
        }
      };

      const nalLength = avcNalLengthSize(config.description);
      const skippable = skipDisposable && track.codec === 'avc'
        ? (p: EncodedPacket) => !targets.has(p.microsecondTimestamp) && isDisposableAvcFrame(p.data, nalLength)
        : () => false;
      // One lane failing stops the others before the file is released.
      const stop = new AbortController();
      const onAbort = () => stop.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const results = await Promise.allSettled(
          splitEvenly(groups, lanes).map((laneGroups) =>
            decodeLane(sink, config, laneGroups, onFrame, skippable, stop.signal).catch((error) => {
              stop.abort();
              throw error;
            })),
        );
        throwIfCancelled(signal);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof CancelledError));
        if (failed) throw failed.reason;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
      if (drawFailure) throw new CorruptFileError(`a decoded frame could not be drawn: ${(drawFailure as Error).message}`, { cause: drawFailure });
      const missing = indices.find((i) => !pixels.has(i));
      if (missing !== undefined) {
        throw new CorruptFileError(`no picture could be decoded for frame ${missing} (${timestampOf(timeline, missing).toFixed(3)} s)`);
      }
      return plan.picks.map(({ slot, index, timestamp }) => ({ slot, index, timestamp, ...size, data: pixels.get(index)! }));
    });
  } catch (error) {
    throw toMediaError(error);
  }
}

async function decoderConfigOf({ track, sampleEntry }: OpenedVideo): Promise<VideoDecoderConfig> {
  const config = (await track.canDecode()) ? await track.getDecoderConfig() : null;
  if (!config) {
    // The codec string with the file's own sample entry (an hvc1 file is not named hev1).
    const detail = withSampleEntry(await track.getCodecParameterString(), await sampleEntry()) ?? track.codec ?? 'unknown';
    throw new UnsupportedCodecError(codecName(track.codec), `this browser cannot decode ${codecName(track.codec)} video (${detail})`);
  }
  // We rotate while drawing, so the decoder must not rotate too.
  const { rotation: _r, flip: _f, ...plain } = config as VideoDecoderConfig & { rotation?: number; flip?: boolean };
  // Untagged video is converted to RGB as BT.601, as ffmpeg, decord and torchvision (so
  // qwen-vl-utils) do: the pixels shown are the pixels a trainer sees. Chromium drops a
  // colour space with any field missing, so every field is filled.
  const tagged = { ...(await track.getColorSpace()), ...plain.colorSpace };
  const untagged = !tagged.matrix;
  plain.colorSpace = {
    matrix: tagged.matrix ?? 'smpte170m',
    primaries: tagged.primaries ?? (untagged ? 'smpte170m' : 'bt709'),
    transfer: tagged.transfer ?? (untagged ? 'smpte170m' : 'bt709'),
    fullRange: tagged.fullRange ?? false,
  };
  // Software decoding is deterministic and bit-exact with ffmpeg's; hardware decoders
  // differ by vendor. Reproducible frames matter more here than the last few ms.
  const software: VideoDecoderConfig = { ...plain, hardwareAcceleration: 'prefer-software' };
  return (await VideoDecoder.isConfigSupported(software)).supported ? software : plain;
}

/**
 * Finds the packet of each wanted frame (the one on screen at the middle of
 * its interval) and groups them by the key frame they need. Targets are the
 * packets' own µs timestamps, which the decoder stamps on its output frames:
 * exact even when the timeline is an estimate.
 */
async function groupByKeyFrame(sink: EncodedPacketSink, timeline: FrameTimeline, indices: number[]) {
  const groups: KeyGroup[] = [];
  const targets = new Map<number, number[]>();
  for (const index of indices) {
    const at = seekTimeOf(timeline, index);
    const [packet, key] = await Promise.all([sink.getPacket(at, { metadataOnly: true }), sink.getKeyPacket(at, { metadataOnly: true })]);
    if (!packet || !key) throw new CorruptFileError(`no frame found at frame ${index} (${at.toFixed(3)} s)`);
    const us = packet.microsecondTimestamp;
    const same = targets.get(us);
    if (same) {
      same.push(index); // an estimated timeline can name one frame twice
      continue;
    }
    targets.set(us, [index]);
    const span = packet.timestamp - key.timestamp;
    const last = groups.at(-1);
    if (last && last.key.sequenceNumber === key.sequenceNumber) {
      last.targets.push(us);
      last.span = span;
    } else {
      groups.push({ key, targets: [us], span });
    }
  }
  return { groups, targets };
}

/** Splits groups into at most `lanes` runs of neighbouring groups with about equal decoding cost. */
export function splitEvenly<T extends { span: number }>(groups: T[], lanes: number): T[][] {
  const n = Math.max(1, Math.min(lanes, groups.length));
  const cost = (g: T) => g.span + 0.05; // a key frame costs something even when it is the target
  const total = groups.reduce((s, g) => s + cost(g), 0);
  const out: T[][] = [[]];
  let acc = 0;
  for (const g of groups) {
    if (out.length < n && out.at(-1)!.length > 0 && acc + cost(g) / 2 > (total * out.length) / n) out.push([]);
    out.at(-1)!.push(g);
    acc += cost(g);
  }
  return out;
}

/** One decoder working through its groups in decode order. */
async function decodeLane(
  sink: EncodedPacketSink,
  config: VideoDecoderConfig,
  groups: KeyGroup[],
  onFrame: (frame: VideoFrame) => void,
  skippable: (p: EncodedPacket) => boolean,
  signal: AbortSignal,
): Promise<void> {
  let failure: unknown = null;
  const decoder = new VideoDecoder({ output: onFrame, error: (e) => { failure = e; } });
  const decoderError = () => new CorruptFileError(`the decoder failed: ${(failure as Error).message}`, { cause: failure });
  const check = () => {
    if (failure) throw decoderError();
    throwIfCancelled(signal);
  };
  try {
    decoder.configure(config);
    const fed = new Set<number>();
    let lastFed: EncodedPacket | null = null;
    for (const group of groups) {
      const pending = new Set(group.targets.filter((us) => !fed.has(us)));
      if (pending.size === 0) continue;
      let start: EncodedPacket | null;
      // Already past this group's key frame (open GOPs): carry on instead of starting over.
      if (lastFed && lastFed.sequenceNumber >= group.key.sequenceNumber) start = await sink.getNextPacket(lastFed);
      else {
        if (lastFed) await decoder.flush();
        start = await sink.getKeyPacket(group.key.timestamp); // with its data this time
      }
      if (!start) break; // end of file: the missing frames are reported by the caller
      for await (const packet of sink.packets(start)) {
        check();
        lastFed = packet;
        const us = packet.microsecondTimestamp;
        pending.delete(us);
        if (skippable(packet)) continue;
        fed.add(us);
        decoder.decode(packet.toEncodedVideoChunk());
        if (decoder.decodeQueueSize > MAX_DECODE_QUEUE) await dequeued(decoder);
        if (pending.size === 0) break;
      }
    }
    check();
    await decoder.flush();
    check();
  } catch (error) {
    throw failure ? decoderError() : error;
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
}

const dequeued = (decoder: VideoDecoder) =>
  new Promise<void>((resolve) => decoder.addEventListener('dequeue', () => resolve(), { once: true }));

/** Draws a frame at the output size, applying the track's rotation, and returns its RGBA pixels. */
function frameDrawer(width: number, height: number, rotation: number) {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  return (frame: VideoFrame): Uint8ClampedArray<ArrayBuffer> => {
    ctx.save();
    // Rotate about the output canvas so the frame comes out upright (clockwise rotation).
    if (rotation === 90) { ctx.translate(width, 0); ctx.rotate(Math.PI / 2); }
    else if (rotation === 180) { ctx.translate(width, height); ctx.rotate(Math.PI); }
    else if (rotation === 270) { ctx.translate(0, height); ctx.rotate(-Math.PI / 2); }
    const sideways = rotation === 90 || rotation === 270;
    ctx.drawImage(frame, 0, 0, sideways ? height : width, sideways ? width : height);
    ctx.restore();
    return ctx.getImageData(0, 0, width, height).data;
  };
}

function throwIfCancelled(signal?: AbortSignal) {
  if (signal?.aborted) throw new CancelledError('decoding cancelled');
}
