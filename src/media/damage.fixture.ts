/**
 * Test helper: damage a WebM the way a bad copy can, deterministically.
 * Not used by the app.
 */

/**
 * `webm` with the last SimpleBlock's flags claiming EBML lacing, which the
 * block's bytes do not hold: a damaged block header. mediabunny's demuxer
 * meets it with a bare "Assertion failed.".
 */
export function withLacedBlock(webm: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = Uint8Array.from(webm);
  let flags = -1;
  for (let i = 0; i + 6 < out.length; i++) {
    if (out[i] !== 0xa3) continue; // SimpleBlock element id
    const first = out[i + 1];
    const length = Math.clz32(first) - 23; // an EBML size's length, from its leading zero bits
    if (length < 1 || length > 8) continue;
    let size = first & (0xff >> length);
    for (let k = 1; k < length; k++) size = size * 256 + out[i + 1 + k];
    const body = i + 1 + length;
    // track number 1 (0x81), a 2-byte timecode, then the flags
    if (out[body] !== 0x81 || size < 5 || body + size > out.length) continue;
    flags = body + 3;
  }
  if (flags < 0) throw new Error('no SimpleBlock found');
  out[flags] |= 0x06;
  return out;
}
