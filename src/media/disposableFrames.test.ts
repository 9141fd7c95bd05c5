import { expect, it } from 'vitest';
import { avcNalLengthSize, isDisposableAvcFrame } from './disposableFrames';

/** A length-prefixed access unit from NAL headers (each NAL: header + 3 payload bytes). */
function au(headers: number[], lengthSize = 4): Uint8Array {
  const out: number[] = [];
  for (const h of headers) {
    const size = 4;
    for (let k = lengthSize - 1; k >= 0; k--) out.push((size >> (8 * k)) & 0xff);
    out.push(h, 0xaa, 0xbb, 0xcc);
  }
  return Uint8Array.from(out);
}

it('reads the NAL length size from avcC', () => {
  expect(avcNalLengthSize(Uint8Array.from([1, 0x64, 0, 0x1f, 0xff, 0xe1]))).toBe(4);
  expect(avcNalLengthSize(Uint8Array.from([1, 0x64, 0, 0x1f, 0xfd]))).toBe(2);
  expect(avcNalLengthSize(undefined)).toBeNull();
  expect(avcNalLengthSize(Uint8Array.from([0, 0, 0, 1]))).toBeNull();
});

it('a non-reference B slice is disposable; reference and IDR slices are not', () => {
  expect(isDisposableAvcFrame(au([0x01]), 4)).toBe(true); // nal_ref_idc 0, non-IDR slice
  expect(isDisposableAvcFrame(au([0x06, 0x01]), 4)).toBe(true); // SEI then non-ref slice
  expect(isDisposableAvcFrame(au([0x21]), 4)).toBe(false); // nal_ref_idc 1
  expect(isDisposableAvcFrame(au([0x41]), 4)).toBe(false); // nal_ref_idc 2
  expect(isDisposableAvcFrame(au([0x67, 0x68, 0x65]), 4)).toBe(false); // SPS, PPS, IDR
  expect(isDisposableAvcFrame(au([0x01, 0x21]), 4)).toBe(false); // one reference slice is enough
  expect(isDisposableAvcFrame(au([0x06]), 4)).toBe(false); // no slice at all
  expect(isDisposableAvcFrame(au([0x01], 2), 2)).toBe(true);
});

it('parses Annex B start codes too', () => {
  expect(isDisposableAvcFrame(Uint8Array.from([0, 0, 0, 1, 0x09, 0xf0, 0, 0, 1, 0x01, 0x88]), null)).toBe(true);
  expect(isDisposableAvcFrame(Uint8Array.from([0, 0, 1, 0x25, 0x88]), null)).toBe(false);
});

it('stops at a length that runs past the end instead of reading garbage', () => {
  const bad = Uint8Array.from([0, 0, 0, 99, 0x01, 0xaa]);
  expect(isDisposableAvcFrame(bad, 4)).toBe(false);
});
