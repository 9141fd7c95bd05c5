import { expect, it } from 'vitest';
import { ffprobeRotation, fitMaxSide, frameSizeOf } from './frameSize';

it('frames keep the coded size with non-square pixels (a player stretches them; trainers do not)', () => {
  // ffmpeg -aspect 16:9 on 854x480: ffprobe says 854x480 (SAR 853:854); mediabunny's display size is 854x481.
  expect(frameSizeOf({ codedWidth: 854, codedHeight: 480, rotation: 0 })).toEqual({ width: 854, height: 480 });
});

it('a sideways rotation swaps the frame size', () => {
  expect(frameSizeOf({ codedWidth: 320, codedHeight: 192, rotation: 90 })).toEqual({ width: 192, height: 320 });
  expect(frameSizeOf({ codedWidth: 320, codedHeight: 192, rotation: 180 })).toEqual({ width: 320, height: 192 });
});

it('rotation reads as ffprobe prints it: counter-clockwise degrees in (-180, 180]', () => {
  // Measured: ffprobe prints rotation=-90, -180 and 90 for mediabunny's 90, 180 and 270.
  expect([0, 90, 180, 270].map(ffprobeRotation)).toEqual([0, -90, -180, 90]);
});

it('keeps the aspect ratio and never upscales', () => {
  expect(fitMaxSide(640, 360, 224)).toEqual({ width: 224, height: 126 });
  expect(fitMaxSide(360, 640, 224)).toEqual({ width: 126, height: 224 });
  expect(fitMaxSide(3840, 2160, 224)).toEqual({ width: 224, height: 126 });
  expect(fitMaxSide(100, 50, 224)).toEqual({ width: 100, height: 50 });
  expect(fitMaxSide(640, 360)).toEqual({ width: 640, height: 360 });
  expect(fitMaxSide(10000, 1, 100)).toEqual({ width: 100, height: 1 });
});
