import { describe, expect, it } from 'vitest';
import { fileKind, missingMoov, videoSampleEntry, withSampleEntry } from './sniff';

const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const box = (type: string, body: Uint8Array = new Uint8Array(0), size = 8 + body.length) => {
  const out = new Uint8Array(8 + body.length);
  new DataView(out.buffer).setUint32(0, size);
  out.set(bytes(type), 4);
  out.set(body, 8);
  return out;
};
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};

describe('fileKind: what a non-video file is, from its first bytes', () => {
  it('names images, documents, archives and text', () => {
    expect(fileKind(bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR'))).toBe('a PNG image');
    expect(fileKind(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('a JPEG image');
    expect(fileKind(bytes('GIF89a'))).toBe('a GIF image');
    expect(fileKind(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('a WebP image');
    expect(fileKind(bytes('%PDF-1.7\n'))).toBe('a PDF file');
    expect(fileKind(bytes('PK', [3, 4, 20, 0]))).toBe('a ZIP archive');
    expect(fileKind(bytes('This is a text file someone renamed to .mp4.\n'))).toBe('a text file');
    expect(fileKind(new TextEncoder().encode('Ünïcode text, cut mid-chäracter').subarray(0, 30))).toBe('a text file');
  });
  it('says nothing of bytes it does not know', () => {
    expect(fileKind(bytes([0, 1, 2, 3, 250, 251]))).toBeNull();
    expect(fileKind(new Uint8Array(0))).toBeNull();
  });
});

describe('MP4 boxes', () => {
  const ftyp = box('ftyp', bytes('isom', [0, 0, 2, 0], 'isomavc1'));
  it('an MP4 cut before its moov atom is named truncated, with where it stops', async () => {
    const cut = concat(ftyp, box('mdat', new Uint8Array(100), 5000));
    expect(await missingMoov(new Blob([cut]))).toMatch(/^the MP4 is truncated: its moov atom \(the index of its frames\) is missing, and the file stops inside its mdat box at 132 of 5024 bytes/);
    expect(await missingMoov(new Blob([concat(ftyp, box('mdat', new Uint8Array(10)))]))).toMatch(/has no moov atom/);
    expect(await missingMoov(new Blob([concat(ftyp, box('moov'), box('mdat'))]))).toBeNull();
    expect(await missingMoov(new Blob([bytes('not an mp4 at all, just text')]))).toBeNull();
  });

  it('reads the video sample entry the file stores', async () => {
    const hdlr = (kind: string) => box('hdlr', bytes([0, 0, 0, 0], [0, 0, 0, 0], kind, new Array(12).fill(0), [0]));
    const stsd = (entry: string) => box('stsd', concat(bytes([0, 0, 0, 0], [0, 0, 0, 1]), box(entry, new Uint8Array(70))));
    const trak = (kind: string, entry: string) => box('trak', box('mdia', concat(hdlr(kind), box('minf', box('stbl', stsd(entry))))));
    const file = concat(ftyp, box('moov', concat(trak('soun', 'mp4a'), trak('vide', 'hvc1'))), box('mdat'));
    expect(await videoSampleEntry(new Blob([file]))).toBe('hvc1');
    expect(await videoSampleEntry(new Blob([bytes('\x1aE\xdf\xa3 a webm')]))).toBeNull();
  });

  it('codec strings carry the file\'s own tag within a codec family', () => {
    expect(withSampleEntry('hev1.1.6.L60.90', 'hvc1')).toBe('hvc1.1.6.L60.90');
    expect(withSampleEntry('hev1.1.6.L60.90', 'hev1')).toBe('hev1.1.6.L60.90');
    expect(withSampleEntry('avc1.64000d', 'avc3')).toBe('avc3.64000d');
    expect(withSampleEntry('vp09.00.10.08', 'hvc1')).toBe('vp09.00.10.08');
    expect(withSampleEntry('avc1.64000d', null)).toBe('avc1.64000d');
  });
});
