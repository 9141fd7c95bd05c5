/**
 * The default JPEG encoder: OffscreenCanvas where there is one (browsers,
 * Workers: the platform's fast encoder), else sharp (libvips) in Node, loaded
 * by a name the bundler leaves alone, so browsers never bundle a path to it.
 * sharp encodes a 224x126 frame in about 1 ms here; jpeg-js, the pure-JS
 * encoder used before, took 24 ms and made JPEG encoding most of the
 * headless pipeline's own time (`npm run bench:pipeline`).
 */
import type { RgbaFrame } from '../../core/frame';

interface CanvasLike {
  getContext(kind: '2d'): { putImageData(data: unknown, x: number, y: number): void } | null;
  convertToBlob(options: { type: string; quality: number }): Promise<Blob>;
}

type Sharp = (input: Uint8Array, options: { raw: { width: number; height: number; channels: 4 } }) => { jpeg(o: { quality: number }): { toBuffer(): Promise<Uint8Array> } };
const NODE_ENCODER = 'sharp';
let sharp: Promise<Sharp> | undefined;

/** Encodes `frame` as JPEG bytes at `quality` in (0, 1]. */
export async function encodeJpegDefault(frame: RgbaFrame, quality: number): Promise<Uint8Array> {
  const g = globalThis as { OffscreenCanvas?: new (w: number, h: number) => CanvasLike; ImageData?: new (d: Uint8ClampedArray, w: number, h: number) => unknown };
  if (g.OffscreenCanvas && g.ImageData) {
    const canvas = new g.OffscreenCanvas(frame.width, frame.height);
    const ctx = canvas.getContext('2d');
    if (ctx) {
      ctx.putImageData(new g.ImageData(frame.data, frame.width, frame.height), 0, 0);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
      return new Uint8Array(await blob.arrayBuffer());
    }
  }
  sharp ??= import(/* @vite-ignore */ NODE_ENCODER).then((m: { default: Sharp }) => m.default);
  const bytes = new Uint8Array(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  // sharp takes quality 1-100.
  const out = await (await sharp)(bytes, { raw: { width: frame.width, height: frame.height, channels: 4 } }).jpeg({ quality: Math.max(1, Math.round(quality * 100)) }).toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
