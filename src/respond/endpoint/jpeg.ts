/**
 * The default JPEG encoder: OffscreenCanvas where there is one (browsers,
 * Workers: the platform's fast encoder), else jpeg-js, a small pure-JS
 * encoder (Node), loaded only when needed so browsers never bundle a path to it.
 */
import type { RgbaFrame } from '../../core/frame';

interface CanvasLike {
  getContext(kind: '2d'): { putImageData(data: unknown, x: number, y: number): void } | null;
  convertToBlob(options: { type: string; quality: number }): Promise<Blob>;
}

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
  const { encode } = await import('jpeg-js');
  // jpeg-js takes quality 1-100.
  const out = encode({ width: frame.width, height: frame.height, data: frame.data }, Math.max(1, Math.round(quality * 100)));
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}
