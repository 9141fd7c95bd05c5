import { describe, expect, it } from 'vitest';
import { VOCABULARY } from '../../synth';
import { pickUniform } from './modelFrames';
import { someKnownWords, unknownWords } from './vocabulary';

const frame = (v: number, side = 64) => ({ width: side, height: side, data: new Uint8ClampedArray(side * side * 4).fill(v) });

describe('what the Ask panel sends the model', () => {
  it('picks frames uniformly and resizes them to the model’s size', () => {
    const frames = Array.from({ length: 32 }, (_, i) => frame(i));
    const picked = pickUniform(frames, 8, 32);
    expect(picked.map((f) => f.data[0])).toEqual([2, 6, 10, 14, 18, 22, 26, 30]);
    expect(picked.every((f) => f.width === 32 && f.height === 32)).toBe(true);
    expect(pickUniform([frame(9)], 8, 32).map((f) => f.data[0])).toEqual(Array(8).fill(9)); // a short view repeats
  });

  it('names the words outside the vocabulary once each, and offers known ones', () => {
    expect(unknownWords('Is the banana left of the banana kiwi?', VOCABULARY)).toEqual(['banana', 'kiwi']);
    expect(unknownWords('is the red circle left of the blue square ?', VOCABULARY)).toEqual([]);
    const some = someKnownWords(VOCABULARY);
    expect(some).toHaveLength(12);
    for (const w of some) expect(VOCABULARY).toContain(w);
  });
});
