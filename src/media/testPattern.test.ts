import { expect, it } from 'vitest';
import { paintIndexPattern, readIndexPattern } from './testPattern';
import type { RgbaFrame } from '../core/frame';

it('reads back every painted index', () => {
  for (const index of [0, 1, 2, 255, 1188, 4095, 65535]) {
    const { index: read, margin } = readIndexPattern(paintIndexPattern(index, 64, 48));
    expect(read).toBe(index);
    expect(margin).toBeCloseTo(127.5);
  }
});

it('survives noise and a 3x box downscale', () => {
  const src = paintIndexPattern(0xa5c3, 96, 72);
  let seed = 1;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 80;
  const small: RgbaFrame = { width: 32, height: 24, data: new Uint8ClampedArray(32 * 24 * 4) };
  for (let y = 0; y < 24; y++) for (let x = 0; x < 32; x++) {
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) s += src.data[((y * 3 + dy) * 96 + x * 3 + dx) * 4 + c];
      small.data[(y * 32 + x) * 4 + c] = s / 9 + (c < 3 ? noise() : 0);
    }
  }
  expect(readIndexPattern(small).index).toBe(0xa5c3);
});

it('distinguishes neighbouring frames', () => {
  expect(readIndexPattern(paintIndexPattern(41, 32, 32)).index).not.toBe(42);
  expect(() => paintIndexPattern(65536, 8, 8)).toThrow(RangeError);
});
