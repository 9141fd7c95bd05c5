/**
 * Decoding the frames a plan names, resized to a maximum side, with progress
 * and cancellation. Needs WebCodecs and OffscreenCanvas (a Worker or a page).
 *
 * Memory: frames are decoded in one forward pass (each packet at most once)
 * and every decoded sample is closed as soon as it is drawn, so only the
 * output frames are held, whatever the video's length.
 */
import { VideoSampleSink } from 'mediabunny';
import { CancelledError, CorruptFileError, UnsupportedCodecError } from './errors';
import type { SampledFrame } from './frame';
import { fitMaxSide } from './frameSize';
import { openVideo, codecName, toMediaError } from './open';
import type { FramePlan } from './samplers';
import { seekTimeOf, type FrameTimeline } from './timeline';

export interface DecodeOptions {
  /** Longest side of the output frames in pixels; frames are never upscaled. Default: native size. */
  maxSide?: number;
  /** Aborting rejects with CancelledError and releases the decoder. */
  signal?: AbortSignal;
  /** Called after each distinct source frame is decoded. */
  onProgress?: (done: number, total: number) => void;
}

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
  const { signal, onProgress } = options;
  throwIfCancelled(signal);
  const opened = await openVideo(blob);
  try {
    const { track } = opened;
    if (!(await track.canDecode())) {
      const detail = (await track.getCodecParameterString()) ?? track.codec ?? 'unknown';
      throw new UnsupportedCodecError(codecName(track.codec), `this browser cannot decode ${codecName(track.codec)} video (${detail})`);
    }
    const { width, height } = fitMaxSide(track.displayWidth, track.displayHeight, options.maxSide);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;

    // Decode each distinct frame once, in presentation order.
    const wanted = [...new Set(plan.picks.map((p) => p.index))].sort((a, b) => a - b);
    const pixels = new Map<number, Uint8ClampedArray<ArrayBuffer>>();
    const sink = new VideoSampleSink(track);
    const samples = sink.samplesAtTimestamps(wanted.map((i) => seekTimeOf(timeline, i)));
    try {
      for (const index of wanted) {
        throwIfCancelled(signal);
        const { value: sample } = await samples.next();
        if (!sample) throw new CorruptFileError(`no frame could be decoded at frame ${index} (${seekTimeOf(timeline, index).toFixed(3)} s)`);
        try {
          sample.draw(ctx, 0, 0, width, height);
        } finally {
          sample.close();
        }
        pixels.set(index, ctx.getImageData(0, 0, width, height).data);
        onProgress?.(pixels.size, wanted.length);
      }
    } finally {
      await samples.return(undefined);
    }
    return plan.picks.map(({ slot, index, timestamp }) => ({ slot, index, timestamp, width, height, data: pixels.get(index)! }));
  } catch (error) {
    throw toMediaError(error);
  } finally {
    opened.dispose();
  }
}

function throwIfCancelled(signal?: AbortSignal) {
  if (signal?.aborted) throw new CancelledError('decoding cancelled');
}
