/**
 * Media diagnostics: the workbench's own media path (Worker, probe, plan,
 * decode) exposed on `window.pastaHarness` for end-to-end tests and the
 * decode benchmark, plus the common <video>-seek approach as a baseline.
 */
import { makePatternVideo, makeToneAudio, type PatternVideoOptions } from '../../media/patternVideo';
import type { DecodeSettings } from '../../media/decode';
import { MediaError } from '../../media/errors';
import type { ProbeSettings } from '../../media/probe';
import { planFrames, type SamplingSpec } from '../../media/samplers';
import { readIndexPattern } from '../../media/testPattern';
import { mediaWorker } from '../workers';
import { sampleWithVideoElement } from './videoElementSampler';

/** Fetches `url` as a File (named after its last path segment), as the app's picker would hand it over. */
async function fetchBlob(url: string): Promise<File> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetch ${url}: HTTP ${response.status}`);
  const name = decodeURIComponent(new URL(url, location.href).pathname.split('/').pop() || 'file');
  return new File([await response.blob()], name, { type: response.headers.get('content-type') ?? '' });
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export interface SampleOptions {
  spec: SamplingSpec;
  maxSide?: number;
  /** Decoder lanes and non-reference skipping (defaults as in the app). */
  decode?: Omit<DecodeSettings, 'maxSide'>;
  /** Include each frame's RGBA pixels as base64. */
  pixels?: boolean;
  probeOptions?: ProbeSettings;
}

const harness = {
  /** Encodes a pattern video; returns its bytes as base64. */
  async makePatternVideo(options: PatternVideoOptions): Promise<string> {
    return toBase64(await makePatternVideo(options));
  },

  /** Encodes an audio-only file; returns its bytes as base64. */
  async makeToneAudio(container: 'mp4' | 'webm'): Promise<string> {
    return toBase64(await makeToneAudio(container));
  },

  /** Probes the file at `url` through the media Worker. */
  async probe(url: string, options?: ProbeSettings) {
    const { probe, timeline } = await mediaWorker().probe(await fetchBlob(url), options);
    return { probe, timeline: { ...timeline, timestamps: timeline.timestamps ? Array.from(timeline.timestamps) : undefined } };
  },

  /** The workbench's path: probe, plan, decode in the Worker, on the file at `url`. Times the whole thing. */
  async sample(url: string, options: SampleOptions) {
    return harness.sampleBlob(await fetchBlob(url), options);
  },

  /** The same on the file chosen in the page's file input: a disk-backed File, as the app gets from its picker. */
  async sampleInput(options: SampleOptions) {
    const file = (document.getElementById('file') as HTMLInputElement).files?.[0];
    if (!file) throw new Error('no file chosen in #file');
    return harness.sampleBlob(file, options);
  },

  async sampleBlob(blob: Blob, options: SampleOptions) {
    const t0 = performance.now();
    const { probe, timeline } = await mediaWorker().probe(blob, options.probeOptions);
    const t1 = performance.now();
    const plan = planFrames(timeline, options.spec);
    const frames = await mediaWorker().decode(blob, timeline, plan, { ...options.decode, maxSide: options.maxSide });
    const ms = performance.now() - t0;
    return {
      ms,
      probeMs: t1 - t0,
      probe,
      notes: plan.notes,
      frames: frames.map((f) => ({
        slot: f.slot, index: f.index, timestamp: f.timestamp, width: f.width, height: f.height,
        pattern: readIndexPattern(f),
        rgba: options.pixels ? toBase64(new Uint8Array(f.data.buffer)) : undefined,
      })),
    };
  },

  /** Like `sample`, but reports a failure as data: which stage failed and the error's name, code and message. */
  async sampleOrError(url: string, options: SampleOptions) {
    const blob = await fetchBlob(url);
    let stage = 'probe';
    try {
      const { probe, timeline } = await mediaWorker().probe(blob);
      stage = 'decode';
      const frames = await mediaWorker().decode(blob, timeline, planFrames(timeline, options.spec), { maxSide: options.maxSide });
      return { ok: true as const, probe, frames: frames.length };
    } catch (error) {
      const e = error as Error & { code?: string; codec?: string };
      return { ok: false as const, stage, name: e.name, code: e.code, codec: e.codec, message: e.message, isMediaError: error instanceof MediaError };
    }
  },

  /** Starts a decode and cancels it after `afterFrames` frames; reports what happened. */
  async cancelDuring(url: string, spec: SamplingSpec, afterFrames: number) {
    const blob = await fetchBlob(url);
    const { timeline } = await mediaWorker().probe(blob);
    const controller = new AbortController();
    let progressed = 0;
    const decoding = mediaWorker().decode(blob, timeline, planFrames(timeline, spec), { maxSide: 64 }, {
      signal: controller.signal,
      onProgress: (done) => {
        progressed = done;
        if (done >= afterFrames) controller.abort();
      },
    });
    try {
      await decoding;
      return { outcome: 'finished', progressed };
    } catch (error) {
      const e = error as Error;
      // The Worker must still serve requests after a cancel.
      const after = await mediaWorker().probe(blob);
      return { outcome: e.name, message: e.message, progressed, workerAlive: after.probe.frameCount > 0 };
    }
  },

  /** Baseline: seek an HTMLVideoElement to each timestamp and draw to a canvas. */
  async sampleWithVideoElement(url: string, spec: SamplingSpec, maxSide: number) {
    const blob = await fetchBlob(url);
    const t0 = performance.now();
    const { timeline } = await mediaWorker().probe(blob);
    const plan = planFrames(timeline, spec);
    const frames = await sampleWithVideoElement(blob, plan.picks.map((p) => p.timestamp + 0.5 / timeline.fps), maxSide);
    return { ms: performance.now() - t0, frames: frames.length };
  },

  /** Reads the pattern index of an RGBA frame. */
  readIndexPattern,
};

declare global {
  interface Window { pastaHarness: typeof harness }
}
window.pastaHarness = harness;
document.body.dataset.ready = 'true';
