/**
 * Our own rasterizer for scenes (no canvas, so Node and browsers give the
 * same bytes): background, then each visible object in depth order, with
 * 3x3 supersampling for anti-aliased edges. Only +, -, *, / and comparisons
 * on floats and integers: no trigonometry or randomness.
 */
import type { RgbaFrame } from '../core/frame';
import { CHECKER_CELLS, COLOUR_RGB, TICKS, stateAt, type Background, type Scene } from './scene';
import { insideShape } from './shapes';

/** Samples per pixel side. */
const SS = 3;
const SS2 = SS * SS;

function paintBackground(bg: Background, width: number, height: number, data: Uint8ClampedArray) {
  const { base, second, pattern } = bg;
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let f = 0; // 0 = base, 1 = second
      if (pattern === 'vertical') f = height > 1 ? py / (height - 1) : 0;
      else if (pattern === 'horizontal') f = width > 1 ? px / (width - 1) : 0;
      else if (pattern === 'checker') f = (Math.floor((px * CHECKER_CELLS) / width) + Math.floor((py * CHECKER_CELLS) / height)) % 2;
      const i = (py * width + px) * 4;
      data[i] = Math.round(base[0] + (second[0] - base[0]) * f);
      data[i + 1] = Math.round(base[1] + (second[1] - base[1]) * f);
      data[i + 2] = Math.round(base[2] + (second[2] - base[2]) * f);
      data[i + 3] = 255;
    }
  }
}

function paintObjects(scene: Scene, t: number, width: number, height: number, data: Uint8ClampedArray) {
  const unit = Math.min(width, height);
  const objects = [...scene.objects].sort((a, b) => a.depth - b.depth || a.id - b.id);
  for (const o of objects) {
    const s = stateAt(o, t);
    if (!s.visible) continue;
    const cx = s.x * width, cy = s.y * height, r = o.radius * unit;
    const [cr, cg, cb] = COLOUR_RGB[o.colour];
    const x0 = Math.max(0, Math.floor(cx - r)), x1 = Math.min(width - 1, Math.floor(cx + r));
    const y0 = Math.max(0, Math.floor(cy - r)), y1 = Math.min(height - 1, Math.floor(cy + r));
    for (let py = y0; py <= y1; py++) {
      for (let px = x0; px <= x1; px++) {
        let k = 0;
        for (let j = 0; j < SS; j++) {
          const dy = py + (j + 0.5) / SS - cy;
          for (let i = 0; i < SS; i++) if (insideShape(o.shape, px + (i + 0.5) / SS - cx, dy, r)) k++;
        }
        if (k === 0) continue;
        const p = (py * width + px) * 4;
        // Rounded integer blend of k/9 object over what is there.
        data[p] = Math.floor(((data[p] * (SS2 - k) + cr * k) * 2 + SS2) / (2 * SS2));
        data[p + 1] = Math.floor(((data[p + 1] * (SS2 - k) + cg * k) * 2 + SS2) / (2 * SS2));
        data[p + 2] = Math.floor(((data[p + 2] * (SS2 - k) + cb * k) * 2 + SS2) / (2 * SS2));
      }
    }
  }
}

/** The scene at (possibly fractional) tick `t`, `width` x `height` pixels, alpha 255. */
export function renderFrame(scene: Scene, t: number, width: number, height: number): RgbaFrame {
  const data = new Uint8ClampedArray(width * height * 4);
  paintBackground(scene.background, width, height, data);
  paintObjects(scene, t, width, height, data);
  return { width, height, data };
}

/** The TICKS tick frames (t = 0..7), `size` x `size` pixels; the background is painted once and copied. */
export function renderFrames(scene: Scene, size = 32): RgbaFrame[] {
  const bg = new Uint8ClampedArray(size * size * 4);
  paintBackground(scene.background, size, size, bg);
  const frames: RgbaFrame[] = [];
  for (let t = 0; t < TICKS; t++) {
    const data = new Uint8ClampedArray(bg);
    paintObjects(scene, t, size, size, data);
    frames.push({ width: size, height: size, data });
  }
  return frames;
}
