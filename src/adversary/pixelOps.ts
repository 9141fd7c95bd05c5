import type { RgbaFrame } from '../core/frame';
import type { PixelOp, Rect } from './types';

/** Whole pixels of a normalized rect on a w × h frame; both rects of a swap get the same size. */
function pixelRect(r: Rect, w: number, h: number, size?: { pw: number; ph: number }) {
  const pw = size?.pw ?? Math.max(1, Math.round(r.w * w));
  const ph = size?.ph ?? Math.max(1, Math.round(r.h * h));
  const x = Math.min(Math.max(0, Math.round(r.x * w)), w - pw);
  const y = Math.min(Math.max(0, Math.round(r.y * h)), h - ph);
  return { x, y, pw, ph };
}

function flipH(src: Uint32Array, dst: Uint32Array, w: number, h: number) {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) dst[row + x] = src[row + w - 1 - x];
  }
}

/** Cells are floor(w/cols) × floor(h/rows); the remainder strip on the right and bottom stays in place. */
function permuteCells(src: Uint32Array, dst: Uint32Array, w: number, h: number, rows: number, cols: number, perm: readonly number[]) {
  dst.set(src);
  const cw = Math.floor(w / cols);
  const ch = Math.floor(h / rows);
  for (let cell = 0; cell < rows * cols; cell++) {
    const from = perm[cell];
    const [dx, dy] = [(cell % cols) * cw, Math.floor(cell / cols) * ch];
    const [sx, sy] = [(from % cols) * cw, Math.floor(from / cols) * ch];
    for (let y = 0; y < ch; y++) dst.set(src.subarray((sy + y) * w + sx, (sy + y) * w + sx + cw), (dy + y) * w + dx);
  }
}

function swapRegions(src: Uint32Array, dst: Uint32Array, w: number, h: number, a: Rect, b: Rect) {
  dst.set(src);
  const ra = pixelRect(a, w, h);
  const rb = pixelRect(b, w, h, ra);
  for (let y = 0; y < ra.ph; y++) {
    dst.set(src.subarray((rb.y + y) * w + rb.x, (rb.y + y) * w + rb.x + ra.pw), (ra.y + y) * w + ra.x);
    dst.set(src.subarray((ra.y + y) * w + ra.x, (ra.y + y) * w + ra.x + ra.pw), (rb.y + y) * w + rb.x);
  }
}

/**
 * Applies pixel operations in order, returning a new frame (the input is not
 * changed). Pure: runs in a Worker, in Node tests, anywhere.
 */
export function applyPixelOps(frame: RgbaFrame, ops: readonly PixelOp[]): RgbaFrame {
  const { width: w, height: h } = frame;
  if (ops.length === 0) return { width: w, height: h, data: new Uint8ClampedArray(frame.data) };
  // One 32-bit word per pixel; a view needs 4-byte alignment, so an unaligned frame is copied first.
  const aligned = frame.data.byteOffset % 4 === 0 ? frame.data : new Uint8ClampedArray(frame.data);
  let src = new Uint32Array(aligned.buffer, aligned.byteOffset, w * h);
  let dst = new Uint32Array(w * h);
  for (const [i, op] of ops.entries()) {
    if (op.op === 'flipH') flipH(src, dst, w, h);
    else if (op.op === 'permuteCells') permuteCells(src, dst, w, h, op.rows, op.cols, op.perm);
    else swapRegions(src, dst, w, h, op.a, op.b);
    if (i < ops.length - 1) [src, dst] = [dst, i === 0 ? new Uint32Array(w * h) : src];
  }
  return { width: w, height: h, data: new Uint8ClampedArray(dst.buffer) };
}

/**
 * Per-channel |a − b|, brightened ×4 so small changes show, opaque; null when
 * the frames differ in size (frames from another video).
 */
export function pixelDifference(a: RgbaFrame, b: RgbaFrame): RgbaFrame | null {
  if (a.width !== b.width || a.height !== b.height) return null;
  const out = new Uint8ClampedArray(a.data.length);
  for (let i = 0; i < out.length; i += 4) {
    out[i] = Math.abs(a.data[i] - b.data[i]) * 4;
    out[i + 1] = Math.abs(a.data[i + 1] - b.data[i + 1]) * 4;
    out[i + 2] = Math.abs(a.data[i + 2] - b.data[i + 2]) * 4;
    out[i + 3] = 255;
  }
  return { width: a.width, height: a.height, data: out };
}
