/**
 * What a file's own bytes say when mediabunny cannot tell: the kind of a
 * non-video file from its magic bytes, whether an MP4 lost its index (the
 * moov box) to truncation, and the sample entry an MP4 really stores (hvc1
 * or hev1, avc1 or avc3), which the decoder configuration does not keep.
 */

/** File kinds recognised by their first bytes, with how to name them to a person. */
const MAGIC: readonly { name: string; at: number; bytes: readonly number[] }[] = [
  { name: 'a PNG image', at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'a JPEG image', at: 0, bytes: [0xff, 0xd8, 0xff] },
  { name: 'a GIF image', at: 0, bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'a WebP image', at: 8, bytes: [0x57, 0x45, 0x42, 0x50] },
  { name: 'a PDF file', at: 0, bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { name: 'a ZIP archive', at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'a gzip archive', at: 0, bytes: [0x1f, 0x8b] },
  { name: 'a 7-Zip archive', at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
];

/** How many leading bytes `fileKind` looks at. */
export const SNIFF_BYTES = 512;

/**
 * The kind of a file that is not a video, from its first bytes: "a PNG
 * image", "a text file", ...; null when the bytes say nothing we know.
 */
export function fileKind(head: Uint8Array): string | null {
  for (const m of MAGIC) {
    if (head.length >= m.at + m.bytes.length && m.bytes.every((b, i) => head[m.at + i] === b)) return m.name;
  }
  if (head.length > 0 && head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80)) {
    // Printable ASCII or UTF-8 continuation bytes throughout: text.
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, lastWholeChar(head)));
      return 'a text file';
    } catch {
      return null;
    }
  }
  return null;
}

/** Length of `bytes` without a UTF-8 sequence cut at the end. */
function lastWholeChar(bytes: Uint8Array): number {
  let end = bytes.length;
  for (let back = 0; back < 3 && end > 0 && (bytes[end - 1] & 0xc0) === 0x80; back++) end--;
  if (end > 0 && bytes[end - 1] >= 0xc0) end--;
  return end === 0 ? bytes.length : end;
}

const readBytes = async (blob: Blob, start: number, end: number) => new Uint8Array(await blob.slice(start, Math.min(end, blob.size)).arrayBuffer());
const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];

interface Box {
  type: string;
  start: number;
  /** Offset of the box's payload. */
  body: number;
  end: number;
}

/** The top-level boxes of an ISOBMFF (MP4, MOV) file, reading only their headers; null when it does not start like one. */
export async function topLevelBoxes(blob: Blob): Promise<Box[] | null> {
  const boxes: Box[] = [];
  let at = 0;
  while (at + 8 <= blob.size && boxes.length < 10_000) {
    const h = await readBytes(blob, at, at + 16);
    let size = u32(h, 0);
    let body = at + 8;
    const type = fourcc(h, 4);
    if (!/^[\x20-\x7e]{4}$/.test(type)) break;
    if (size === 1 && h.length >= 16) {
      size = u32(h, 8) * 2 ** 32 + u32(h, 12);
      body = at + 16;
    } else if (size === 0) {
      size = blob.size - at;
    }
    if (size < body - at) break;
    boxes.push({ type, start: at, body, end: at + size });
    at += size;
  }
  if (boxes.length === 0 || !['ftyp', 'styp', 'moov', 'mdat', 'free', 'skip', 'wide'].includes(boxes[0].type)) return null;
  return boxes;
}

/**
 * Why an ISOBMFF file has no readable track, when its boxes show it: the moov
 * box (the index of every frame) is missing, and where the file stops. Null
 * for other files, or when the moov box is there.
 */
export async function missingMoov(blob: Blob): Promise<string | null> {
  const boxes = await topLevelBoxes(blob);
  if (!boxes || boxes.some((b) => b.type === 'moov')) return null;
  const last = boxes[boxes.length - 1];
  const cut = last.end > blob.size;
  return cut
    ? `the MP4 is truncated: its moov atom (the index of its frames) is missing, and the file stops inside its ${last.type} box at ${blob.size} of ${last.end} bytes, so it was cut before the index at the end was written or copied`
    : 'the MP4 has no moov atom (the index of its frames): it is truncated or was never finished';
}

/** The child boxes of the box whose payload is `bytes[from, to)`. */
function children(bytes: Uint8Array, from: number, to: number): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    const size = u32(bytes, at);
    if (size < 8 || at + size > to) break;
    out.push({ type: fourcc(bytes, at + 4), start: at, body: at + 8, end: at + size });
    at += size;
  }
  return out;
}

/** Most bytes of a moov box read to find a sample entry (a one-hour file's is about 10 MiB). */
const MAX_MOOV_BYTES = 256 * 2 ** 20;

/**
 * The sample entry type of the first video track of an ISOBMFF file (`hvc1`,
 * `hev1`, `avc1`, `avc3`, `vp09`, `av01`, ...), as stored in its stsd box;
 * null when the file is not ISOBMFF or has none.
 */
export async function videoSampleEntry(blob: Blob): Promise<string | null> {
  const moov = (await topLevelBoxes(blob))?.find((b) => b.type === 'moov');
  if (!moov || moov.end - moov.start > MAX_MOOV_BYTES) return null;
  const bytes = await readBytes(blob, moov.start, moov.end);
  const child = (box: Box | undefined, type: string) => (box ? children(bytes, box.body, box.end).find((c) => c.type === type) : undefined);
  const top = { type: 'moov', start: 0, body: moov.body - moov.start, end: bytes.length };
  for (const trak of children(bytes, top.body, top.end).filter((c) => c.type === 'trak')) {
    const mdia = child(trak, 'mdia');
    const hdlr = child(mdia, 'hdlr');
    // hdlr: version and flags (4), pre_defined (4), handler_type (4)
    if (!hdlr || fourcc(bytes, hdlr.body + 8) !== 'vide') continue;
    const stsd = child(child(child(mdia, 'minf'), 'stbl'), 'stsd');
    // stsd: version and flags (4), entry_count (4), then the entries as boxes
    if (stsd && stsd.body + 16 <= stsd.end) return fourcc(bytes, stsd.body + 12);
  }
  return null;
}

/**
 * A codec string with its sample entry as the file stores it: mediabunny
 * writes HEVC as `hev1.…` even for an `hvc1` file, so the string names the
 * file's own tag. Unchanged when the tag is unknown or already agrees.
 */
export function withSampleEntry(codecString: string | null, entry: string | null): string | null {
  if (!codecString || !entry) return codecString;
  const [prefix, ...rest] = codecString.split('.');
  const sameCodec = (a: string, b: string) => [['hvc1', 'hev1'], ['avc1', 'avc3']].some((family) => family.includes(a) && family.includes(b));
  return prefix !== entry && sameCodec(prefix, entry) ? [entry, ...rest].join('.') : codecString;
}
