import type { RgbaFrame } from '../core/frame';
import { ModelInputError } from './errors';
import { type ModelConfig, geometry } from './model';

/**
 * A frame resampled to size × size by averaging the source pixels each
 * output pixel covers (a box filter, exact for integer ratios), stretching
 * to a square as the model sees it. Frames already that size are returned as they are.
 */
export function fitFrame(frame: RgbaFrame, size: number): RgbaFrame {
  if (frame.width === size && frame.height === size) return frame;
  const out = new Uint8ClampedArray(size * size * 4);
  const sx = frame.width / size;
  const sy = frame.height / size;
  for (let y = 0; y < size; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < size; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let r = 0, g = 0, b = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) {
          const i = (yy * frame.width + xx) * 4;
          r += frame.data[i];
          g += frame.data[i + 1];
          b += frame.data[i + 2];
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * size + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
      out[o + 3] = 255;
    }
  }
  return { width: size, height: size, data: out };
}

/**
 * Writes one video's frames as the stem's input into `out` at row `row`
 * ([B, V, patchValues] float32): tokens frame by frame, patches row-major;
 * inside a patch, cells row-major; each cell's window (the cell and
 * cellContext pixels around it; 0 past the frame's edge) row-major, RGB,
 * scaled from 0..255 to -1..1.
 */
export function patchify(c: ModelConfig, frames: readonly RgbaFrame[], out: Float32Array, row: number) {
  const g = geometry(c);
  if (frames.length !== c.frames) throw new ModelInputError(`the model takes ${c.frames} frames, got ${frames.length}`);
  const side = c.imageSize / c.patchSize;
  const cells = c.patchSize / c.cellSize;
  const side2 = c.cellSize + 2 * c.cellContext; // a cell window's side
  const n = c.imageSize;
  let o = row * g.visualTokens * g.patchValues;
  for (const source of frames) {
    const f = fitFrame(source, n);
    for (let py = 0; py < side; py++)
      for (let px = 0; px < side; px++)
        for (let cy = 0; cy < cells; cy++)
          for (let cx = 0; cx < cells; cx++) {
            const top = py * c.patchSize + cy * c.cellSize - c.cellContext;
            const left = px * c.patchSize + cx * c.cellSize - c.cellContext;
            for (let y = top; y < top + side2; y++)
              for (let x = left; x < left + side2; x++) {
                if (y < 0 || y >= n || x < 0 || x >= n) {
                  out[o++] = 0;
                  out[o++] = 0;
                  out[o++] = 0;
                  continue;
                }
                const i = (y * n + x) * 4;
                out[o++] = f.data[i] / 127.5 - 1;
                out[o++] = f.data[i + 1] / 127.5 - 1;
                out[o++] = f.data[i + 2] / 127.5 - 1;
              }
          }
  }
}
