/**
 * Writes chosen frames of a video as JPEG files with ffmpeg, for `npm run convert`.
 *
 * Node has no WebCodecs, so the browser's decoder is not available here. ffmpeg decodes as the trainers' own
 * readers do (PyAV, decord and torchvision all sit on libavcodec, and convert unstated colour matrices as BT.601),
 * so the pictures are the ones a trainer would see from the video itself. It also encodes the JPEGs, so no image
 * library is needed in Node. One pass per video: a `select` filter keeps the wanted frames by index (the decode
 * of a whole short clip costs well under a second; 32 separate seeks cost ten times more).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RgbaFrame } from '../src/core/frame';

/** A frame to write: the source frame's index (presentation order) and the files that show it. */
export interface FrameTarget {
  index: number;
  files: string[];
}

/** ffmpeg could not write the frames asked of one video. */
export class FrameExtractionError extends Error {
  override name = 'FrameExtractionError';
}

/**
 * Decodes the frames at `indices` (presentation order) of `video` as RGBA, scaled to `size`, in one pass:
 * the Node side of the pipeline's frame source (Node has no WebCodecs). Frames come back by index.
 */
export function readFramesRgba(ffmpeg: string, video: string, indices: readonly number[], size: { width: number; height: number }): Promise<Map<number, RgbaFrame>> {
  const wanted = [...new Set(indices)].sort((a, b) => a - b);
  const frameBytes = size.width * size.height * 4;
  return new Promise((resolve, reject) => {
    if (!wanted.length) return resolve(new Map());
    const select = `select=${wanted.map((i) => `eq(n\\,${i})`).join('+')}`;
    const child = spawn(ffmpeg, ['-nostdin', '-v', 'error', '-i', video, '-an', '-sn', '-vf', `${select},scale=${size.width}:${size.height}:flags=bicubic`, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new FrameExtractionError(`ffmpeg exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`));
      const all = Buffer.concat(chunks);
      const got = Math.floor(all.length / frameBytes);
      if (got !== wanted.length) return reject(new FrameExtractionError(`ffmpeg decoded ${got} of the ${wanted.length} frames asked (largest index ${wanted.at(-1)}); the video may be shorter than its container says`));
      resolve(new Map(wanted.map((index, i) => [index, { width: size.width, height: size.height, data: new Uint8ClampedArray(all.buffer.slice(all.byteOffset + i * frameBytes, all.byteOffset + (i + 1) * frameBytes)) }])));
    });
  });
}

/**
 * Decoded frames of the videos in use, shared by every job that asks for them: a video's categories and seeds
 * mostly pick the same frames, so each is decoded once, and the same frame objects let an EndpointResponder
 * encode each JPEG once (as the browser's frame cache does). Only the frames not yet held are decoded, in one
 * ffmpeg pass; the least recently used video's frames are dropped once more than `keepVideos` are held.
 */
export class DecodedFrames {
  private readonly videos = new Map<string, Map<number, Promise<RgbaFrame>>>();
  /** ffmpeg passes run and their total wall time, ms. */
  readonly stats = { passes: 0, ms: 0 };
  constructor(private readonly ffmpeg: string, private readonly keepVideos: number) {}

  async get(video: string, indices: readonly number[], size: { width: number; height: number }): Promise<Map<number, RgbaFrame>> {
    const key = `${video}|${size.width}x${size.height}`;
    const held = this.videos.get(key) ?? new Map<number, Promise<RgbaFrame>>();
    this.videos.delete(key);
    this.videos.set(key, held); // most recently used last
    for (const old of this.videos.keys()) {
      if (this.videos.size <= this.keepVideos) break;
      this.videos.delete(old);
    }
    const missing = [...new Set(indices)].filter((i) => !held.has(i));
    if (missing.length) {
      const t = performance.now();
      const pass = readFramesRgba(this.ffmpeg, video, missing, size).finally(() => { this.stats.passes++; this.stats.ms += performance.now() - t; });
      for (const i of missing) held.set(i, pass.then((m) => m.get(i)!));
      pass.catch(() => { for (const i of missing) held.delete(i); });
    }
    return new Map(await Promise.all(indices.map(async (i) => [i, await held.get(i)!] as const)));
  }
}

function run(ffmpeg: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stderr) : reject(new FrameExtractionError(`ffmpeg exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' / ')}`))));
  });
}

/**
 * Decodes `video` once and writes each target frame, scaled to `width` x `height`, to all of its files.
 * `scratch` is a folder for ffmpeg's own output, removed again afterwards.
 */
export async function writeFrames(ffmpeg: string, video: string, targets: readonly FrameTarget[], size: { width: number; height: number }, scratch: string): Promise<void> {
  const indices = [...new Set(targets.map((t) => t.index))].sort((a, b) => a - b);
  if (indices.length === 0) return;
  mkdirSync(scratch, { recursive: true });
  const tmp = mkdtempSync(path.join(scratch, 'frames-'));
  try {
    const select = `select=${indices.map((i) => `eq(n\\,${i})`).join('+')}`;
    // Full-range 4:2:0 is what JPEG (JFIF) stores; the decoders of the trainers' image loaders read it back as BT.601.
    const filters = `${select},scale=${size.width}:${size.height}:flags=bicubic,format=yuvj420p`;
    await run(ffmpeg, ['-nostdin', '-v', 'error', '-i', video, '-an', '-sn', '-vf', filters, '-fps_mode', 'passthrough', '-q:v', '2', '-f', 'image2', path.join(tmp, '%06d.jpg')]);
    const made = readdirSync(tmp).sort();
    if (made.length !== indices.length) {
      throw new FrameExtractionError(`ffmpeg wrote ${made.length} of the ${indices.length} frames asked (largest index ${indices.at(-1)}); the video may be shorter than its container says`);
    }
    const fileOf = new Map(indices.map((index, i) => [index, path.join(tmp, made[i])]));
    for (const t of targets) {
      for (const file of t.files) {
        mkdirSync(path.dirname(file), { recursive: true });
        copyFileSync(fileOf.get(t.index)!, file);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Encodes RGBA frames (all one size) as an H.264 MP4 at `fps`, in memory: what a `video_url` data URL carries from Node. */
export function encodeMp4(ffmpeg: string, frames: readonly RgbaFrame[], fps: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (!frames.length) return reject(new FrameExtractionError('no frames to encode'));
    const { width, height } = frames[0];
    // Fragmented MP4: written to a pipe, it needs no seek back to the header.
    const child = spawn(ffmpeg, ['-nostdin', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-movflags', 'frag_keyframe+empty_moov', '-f', 'mp4', 'pipe:1'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(new Uint8Array(Buffer.concat(chunks))) : reject(new FrameExtractionError(`ffmpeg could not encode the clip (exit ${code}): ${stderr.trim().split('\n').slice(-2).join(' / ')}`))));
    for (const f of frames) child.stdin.write(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength));
    child.stdin.end();
  });
}
