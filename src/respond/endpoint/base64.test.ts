import { Buffer as NodeBuffer } from 'node:buffer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../../core/random';
import { dataUrl, toBase64 } from './base64';

const bytes = (n: number) => {
  const r = seededRandom(n, 'base64');
  return Uint8Array.from({ length: n }, () => Math.floor(r.next() * 256));
};
const reference = (b: Uint8Array) => NodeBuffer.from(b).toString('base64');

describe('toBase64', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('equals the reference encoding on every platform path, any length, offset views included', () => {
    const lengths = [0, 1, 2, 3, 4, 0x8000 - 1, 0x8000, 0x8000 * 2 + 5];
    for (const n of lengths) expect(toBase64(bytes(n))).toBe(reference(bytes(n)));
    const big = bytes(100);
    const view = big.subarray(7, 60);
    expect(toBase64(view)).toBe(reference(view));
    // Without Buffer (a browser without the native method): the btoa path.
    vi.stubGlobal('Buffer', undefined);
    for (const n of lengths) expect(toBase64(bytes(n))).toBe(reference(bytes(n)));
    expect(toBase64(view)).toBe(reference(view));
  });
  it('uses the native method where there is one', () => {
    const b = bytes(10) as Uint8Array & { toBase64?: () => string };
    b.toBase64 = () => 'native';
    expect(toBase64(b)).toBe('native');
    expect(dataUrl('image/jpeg', bytes(3))).toBe(`data:image/jpeg;base64,${reference(bytes(3))}`);
  });
});
