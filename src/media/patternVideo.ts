/**
 * Calibration videos: every frame paints its own index (see testPattern.ts),
 * so a researcher or a test can check from pixels that a sampler and decoder
 * returned exactly the frames they claim. Encoded with WebCodecs through
 * mediabunny, so it runs in a page or a Worker, not in Node.
 */
import {
  AudioSample, AudioSampleSource, BufferTarget, CanvasSource, MkvOutputFormat, Mp4OutputFormat, Output, QUALITY_HIGH, WebMOutputFormat,
  type Rotation, type VideoCodec,
} from 'mediabunny';
import { paintIndexPattern } from './testPattern';

export interface PatternVideoOptions {
  container: 'mp4' | 'webm' | 'mkv';
  codec: Extract<VideoCodec, 'avc' | 'vp8' | 'vp9' | 'av1'>;
  width: number;
  height: number;
  /** Number of frames (default 60). Ignored when `timestamps` is given. */
  frameCount?: number;
  /** Constant frame rate (default 30). */
  fps?: number;
  /** Explicit presentation timestamps in seconds, ascending: makes a variable-frame-rate video. */
  timestamps?: number[];
  /** Clockwise rotation written into the container metadata. */
  rotation?: Rotation;
  /** WebM/Matroska only: write append-only, so the file states neither duration nor cues. */
  appendOnly?: boolean;
  /** Frames between key frames (default 30). */
  keyFrameInterval?: number;
  /** Add an Opus tone track as long as the video. */
  audio?: boolean;
}

/** Encodes a pattern video and returns its bytes. */
export async function makePatternVideo(options: PatternVideoOptions): Promise<Uint8Array> {
  const { width, height, fps = 30, rotation = 0 } = options;
  const timestamps = options.timestamps ?? Array.from({ length: options.frameCount ?? 60 }, (_, i) => i / fps);
  const target = new BufferTarget();
  const format = options.container === 'mp4'
    ? new Mp4OutputFormat({ fastStart: 'in-memory' })
    : options.container === 'webm'
      ? new WebMOutputFormat({ appendOnly: options.appendOnly })
      : new MkvOutputFormat({ appendOnly: options.appendOnly });
  const output = new Output({ format, target });
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d')!;
  const keyFrameInterval = (options.keyFrameInterval ?? 30) / fps;
  const source = new CanvasSource(canvas, { codec: options.codec, bitrate: QUALITY_HIGH, keyFrameInterval });
  output.addVideoTrack(source, { rotation, ...(options.timestamps ? {} : { frameRate: fps }) });
  const audio = options.audio ? new AudioSampleSource({ codec: 'opus', bitrate: 64_000 }) : null;
  if (audio) output.addAudioTrack(audio);
  await output.start();
  if (audio) await addTone(audio, timestamps.at(-1)! + 1 / fps);
  for (let i = 0; i < timestamps.length; i++) {
    const frame = paintIndexPattern(i, width, height);
    ctx.putImageData(new ImageData(frame.data, width, height), 0, 0);
    const duration = (timestamps[i + 1] ?? timestamps[i] + 1 / fps) - timestamps[i];
    await source.add(timestamps[i], duration); // awaited for backpressure: unawaited adds drop frames
  }
  await output.finalize();
  return new Uint8Array(target.buffer!);
}

/** An audio-only file (Opus tone): a video file's look-alike with no video track. */
export async function makeToneAudio(container: 'mp4' | 'webm', seconds = 1): Promise<Uint8Array> {
  const target = new BufferTarget();
  const output = new Output({ format: container === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(), target });
  const audio = new AudioSampleSource({ codec: 'opus', bitrate: 64_000 });
  output.addAudioTrack(audio);
  await output.start();
  await addTone(audio, seconds);
  await output.finalize();
  return new Uint8Array(target.buffer!);
}

async function addTone(source: AudioSampleSource, seconds: number) {
  const sampleRate = 48_000;
  const data = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < data.length; i++) data[i] = 0.2 * Math.sin((2 * Math.PI * 440 * i) / sampleRate);
  const sample = new AudioSample({ data, format: 'f32', numberOfChannels: 1, sampleRate, timestamp: 0 });
  await source.add(sample);
  sample.close();
}
