import { expect, it } from 'vitest';
import type { RgbaFrame } from '../core/frame';
import { FrameCache, frameKey } from './frameCache';

const frame = (v: number): RgbaFrame => ({ width: 1, height: 1, data: new Uint8ClampedArray([v, v, v, 255]) });

it('drops the least recently used frames beyond capacity and says which', () => {
  const evicted: string[][] = [];
  const cache = new FrameCache(3, (keys) => evicted.push(keys));
  cache.set([['a', frame(1)], ['b', frame(2)], ['c', frame(3)]]);
  expect(evicted).toEqual([]);
  expect(cache.get('a')?.data[0]).toBe(1); // a is now the most recent
  cache.set([['d', frame(4)], ['e', frame(5)]]);
  expect(evicted).toEqual([['b', 'c']]);
  expect(['a', 'b', 'c', 'd', 'e'].filter((k) => cache.has(k))).toEqual(['a', 'd', 'e']);
  expect(cache.size).toBe(3);
  cache.clear();
  expect(cache.size).toBe(0);
  expect(evicted).toHaveLength(1);
});

it('keys name the video, the frame and the size', () => {
  expect(frameKey('v1', 12, 224)).toBe('v1:12@224');
  expect(() => new FrameCache(0)).toThrow(TypeError);
});
