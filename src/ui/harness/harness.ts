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
import { EncodedPacketSink, type EncodedPacket } from 'mediabunny';
import { openVideo } from '../../media/open';
import { OpenedVideoCache } from '../../media/openedVideoCache';
import { probeVideo } from '../../media/probe';
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

/** What prepareDecoder read for runDecoder. */
let decoderBench: { config: VideoDecoderConfig; chunks: EncodedVideoChunk[]; dispose(): void } | null = null;

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

  /**
   * The decoder's own time (bench:decode): the first `count` packets in decode order are
   * read into memory first (demux and seeking excluded), then one VideoDecoder configured as
   * our path configures it (software) decodes them; each output frame is closed at once (no
   * pixel conversion). Times from the first decode() call to flush() resolving.
   */
  async prepareDecoder(url: string, count: number) {
    decoderBench?.dispose();
    decoderBench = null;
    const opened = await openVideo(await fetchBlob(url));
    try {
      const { track } = opened;
      const base = await track.getDecoderConfig();
      if (!base) throw new Error('no decoder config');
      const { rotation: _r, flip: _f, ...plain } = base as VideoDecoderConfig & { rotation?: number; flip?: boolean };
      const software: VideoDecoderConfig = { ...plain, hardwareAcceleration: 'prefer-software' };
      const config = (await VideoDecoder.isConfigSupported(software)).supported ? software : plain;
      const chunks: EncodedVideoChunk[] = [];
      let bytes = 0;
      for await (const packet of new EncodedPacketSink(track).packets() as AsyncGenerator<EncodedPacket>) {
        chunks.push(packet.toEncodedVideoChunk());
        bytes += packet.byteLength;
        if (chunks.length >= count) break;
      }
      decoderBench = { config, chunks, dispose: () => opened.dispose() };
      return { packets: chunks.length, bytes, hardwareAcceleration: config.hardwareAcceleration ?? 'no-preference', codec: config.codec };
    } catch (error) {
      opened.dispose();
      throw error;
    }
  },

  /** Decodes the packets `prepareDecoder` read, once; see there. */
  async runDecoder() {
    if (!decoderBench) throw new Error('prepareDecoder first');
    const { config, chunks } = decoderBench;
    let outputs = 0;
    let failure: unknown = null;
    const decoder = new VideoDecoder({ output: (f) => { outputs++; f.close(); }, error: (e) => { failure = e; } });
    decoder.configure(config);
    const t0 = performance.now();
    for (const chunk of chunks) {
      decoder.decode(chunk);
      if (decoder.decodeQueueSize > 12) await new Promise<void>((r) => decoder.addEventListener('dequeue', () => r(), { once: true }));
    }
    await decoder.flush();
    const ms = performance.now() - t0;
    decoder.close();
    if (failure) throw failure;
    return { ms, outputs, msPerFrame: ms / outputs };
  },

  /**
   * Container index memory (bench:decode): probes the file chosen in #file on the main
   * thread through an OpenedVideoCache (as the media Worker does), and measures the JS heap
   * the open Input holds afterwards (heap with it open minus heap after it is closed, each
   * after a full GC; needs --js-flags=--expose-gc and --enable-precise-memory-info). Also counts
   * the entries of mediabunny's MP4 sample table (an internal structure, read only to count).
   */
  async indexMemory() {
    const file = (document.getElementById('file') as HTMLInputElement).files?.[0];
    if (!file) throw new Error('no file chosen in #file');
    const gc = (globalThis as { gc?: () => void }).gc;
    // performance.memory is a snapshot taken when read: read it anew each time.
    const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
    if (!gc || heap() === undefined) throw new Error('needs --js-flags=--expose-gc and --enable-precise-memory-info');
    const settle = async () => { for (let i = 0; i < 3; i++) { await new Promise((r) => setTimeout(r, 50)); gc(); } return heap()!; };
    const h0 = await settle();
    const cache = new OpenedVideoCache();
    const held: { result: Awaited<ReturnType<typeof probeVideo>> | null } = { result: await probeVideo(file, { cache }) };
    const { frameCount, duration } = held.result!.probe;
    const hTimeline = await settle();
    held.result = null; // our own timeline is not the container's index
    const hOpen = await settle();
    const counts = await cache.use(file, async ({ track }) => {
      const internal = (track as unknown as { _backing?: { internalTrack?: { sampleTable?: Record<string, unknown> | null; demuxer?: { moovSlice?: { length: number } | null } } } })._backing?.internalTrack;
      const table = internal?.sampleTable;
      if (!table) return null;
      return {
        ...Object.fromEntries(Object.entries(table).map(([k, v]) => [k, Array.isArray(v) ? v.length : v == null ? null : typeof v])),
        // The moov box's bytes, kept by the demuxer (an ArrayBuffer: outside the JS heap figure).
        moovBytes: internal?.demuxer?.moovSlice?.length ?? null,
      };
    });
    cache.clear();
    const hClosed = await settle();
    return { frameCount, duration, fileSize: file.size, heapBefore: h0, heapWithTimeline: hTimeline, heapOpen: hOpen, heapClosed: hClosed, indexBytes: hOpen - hClosed, counts };
  },

  /** Reads the pattern index of an RGBA frame. */
  readIndexPattern,
};

declare global {
  interface Window { pastaHarness: typeof harness }
}
window.pastaHarness = harness;
document.body.dataset.ready = 'true';
