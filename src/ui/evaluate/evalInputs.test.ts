import { describe, expect, it } from 'vitest';
import { parsePerCategory, parseSeed } from './evalInputs';

describe('Evaluate inputs', () => {
  it('takes whole numbers in range and names what is wrong otherwise', () => {
    expect(parseSeed('42')).toEqual({ value: 42 });
    expect(parseSeed(' 0 ')).toEqual({ value: 0 });
    expect(parseSeed('-1').error).toBe('-1 is out of range: 0 to 2147483647');
    expect(parseSeed('1.5').error).toBe('enter a whole number as the seed from 0 to 2147483647');
    expect(parsePerCategory('8')).toEqual({ value: 8 });
    expect(parsePerCategory('0').error).toBe('0 is out of range: 1 to 500');
    expect(parsePerCategory('').error).toContain('questions per category');
    expect(parsePerCategory('501').error).toContain('out of range');
  });
});
