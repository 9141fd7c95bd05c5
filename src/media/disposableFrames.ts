/**
 * Frames no other frame depends on. An H.264 picture whose slices all have
 * nal_ref_idc = 0 is never used as a reference, so a decoder may skip it
 * when it is not one of the frames we want (ffmpeg's `-skip_frame noref`).
 * In B-frame-heavy files that is often half of all frames.
 */

/** NAL length-prefix size from an avcC record (AVCDecoderConfigurationRecord), or null for Annex B streams. */
export function avcNalLengthSize(description?: AllowSharedBufferSource): number | null {
  if (!description) return null;
  const bytes = description instanceof ArrayBuffer || description instanceof SharedArrayBuffer
    ? new Uint8Array(description)
    : new Uint8Array(description.buffer, description.byteOffset, description.byteLength);
  if (bytes.length < 5 || bytes[0] !== 1) return null;
  return (bytes[4] & 0b11) + 1;
}

/** Whether an H.264 access unit contains slices and none of them is a reference. */
export function isDisposableAvcFrame(data: Uint8Array, nalLengthSize: number | null): boolean {
  let sawSlice = false;
  for (const header of nalHeaders(data, nalLengthSize)) {
    const type = header & 0x1f;
    if (type === 1 || type === 5) {
      sawSlice = true;
      if ((header & 0x60) !== 0) return false; // nal_ref_idc > 0: a reference picture
    }
  }
  return sawSlice;
}

/** First byte of every NAL unit, in length-prefixed (avcC) or start-code (Annex B) framing. */
function* nalHeaders(data: Uint8Array, nalLengthSize: number | null): Generator<number> {
  if (nalLengthSize) {
    let i = 0;
    while (i + nalLengthSize < data.length) {
      let size = 0;
      for (let k = 0; k < nalLengthSize; k++) size = size * 256 + data[i + k];
      i += nalLengthSize;
      if (size === 0 || i + size > data.length) return;
      yield data[i];
      i += size;
    }
    return;
  }
  for (let i = 0; i + 3 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      yield data[i + 3];
      i += 3;
    }
  }
}
