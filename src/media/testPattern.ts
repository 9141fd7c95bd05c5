/**
 * A frame that shows its own index as a 4 x 4 grid of black and white cells
 * (16 bits, row by row, most significant bit first). It survives lossy
 * compression and downscaling, so tests can prove from pixels which source
 * frame a decoder returned. Pure: runs in Node and the browser.
 */
import type { RgbaFrame } from '../core/frame';

export const PATTERN_GRID = 4;
export const PATTERN_BITS = PATTERN_GRID * PATTERN_GRID;

/** Paints frame `index` (0 .. 65535). */
export function paintIndexPattern(index: number, width: number, height: number): RgbaFrame {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** PATTERN_BITS) {
    throw new RangeError(`paintIndexPattern: index must be an integer in [0, ${2 ** PATTERN_BITS}), got ${index}`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = Math.min(PATTERN_GRID - 1, Math.floor((y * PATTERN_GRID) / height));
    for (let x = 0; x < width; x++) {
      const col = Math.min(PATTERN_GRID - 1, Math.floor((x * PATTERN_GRID) / width));
      const bit = (index >> (PATTERN_BITS - 1 - (row * PATTERN_GRID + col))) & 1;
      const o = (y * width + x) * 4;
      data[o] = data[o + 1] = data[o + 2] = bit ? 255 : 0;
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}

/**
 * Reads the index back. `margin` is how far the least certain cell's mean
 * luma is from the threshold (0..127.5): small margins mean a blended frame.
 */
export function readIndexPattern(frame: RgbaFrame): { index: number; margin: number } {
  const { width, height, data } = frame;
  let index = 0;
  let margin = Infinity;
  for (let row = 0; row < PATTERN_GRID; row++) {
    for (let col = 0; col < PATTERN_GRID; col++) {
      // The middle half of the cell, away from edges blurred by scaling and chroma subsampling.
      const x0 = Math.floor(((col + 0.25) * width) / PATTERN_GRID);
      const x1 = Math.max(x0 + 1, Math.floor(((col + 0.75) * width) / PATTERN_GRID));
      const y0 = Math.floor(((row + 0.25) * height) / PATTERN_GRID);
      const y1 = Math.max(y0 + 1, Math.floor(((row + 0.75) * height) / PATTERN_GRID));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const o = (y * width + x) * 4;
          sum += 0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2];
        }
      }
      const mean = sum / ((x1 - x0) * (y1 - y0));
      index = index * 2 + (mean >= 127.5 ? 1 : 0);
      margin = Math.min(margin, Math.abs(mean - 127.5));
    }
  }
  return { index, margin };
}
