import { expect, it } from 'vitest';
import { fitMaxSide } from './frameSize';

it('keeps the aspect ratio and never upscales', () => {
  expect(fitMaxSide(640, 360, 224)).toEqual({ width: 224, height: 126 });
  expect(fitMaxSide(360, 640, 224)).toEqual({ width: 126, height: 224 });
  expect(fitMaxSide(3840, 2160, 224)).toEqual({ width: 224, height: 126 });
  expect(fitMaxSide(100, 50, 224)).toEqual({ width: 100, height: 50 });
  expect(fitMaxSide(640, 360)).toEqual({ width: 640, height: 360 });
  expect(fitMaxSide(10000, 1, 100)).toEqual({ width: 100, height: 1 });
});
