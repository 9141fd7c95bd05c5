/**
 * The frames `npm run convert` writes are the frames our timeline names: each written JPEG is closest to the
 * decoded frame of the index the plan gave, among all frames of the video. On walk.mkv (a real sample video
 * with a moving camera, ../shared/media, CC BY 4.0; skipped when absent) and on an H.264 clip with B-frames
 * made here (ffmpeg's test pattern). The other sample videos open on a static scene whose neighbouring frames
 * differ by less than JPEG noise, so they cannot tell frames apart.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../src/media/probe';
import { DecodedFrames, FrameExtractionError, readFramesRgba, writeFrames } from './ffmpegFrames';
import { findFfmpeg } from './find-tools.mjs';

const MEDIA = path.resolve(__dirname, '../../shared/media');
const ffmpeg = findFfmpeg();
const why = !ffmpeg ? 'no ffmpeg' : '';
const dir = mkdtempSync(path.join(tmpdir(), 'pasta-ffmpeg-frames-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every frame of `file` (a video or a JPEG) as 48x27 RGB, decoded by ffmpeg. */
function tiny(file: string): Uint8Array[] {
  const r = spawnSync(ffmpeg!, ['-v', 'error', '-i', file, '-vf', 'scale=48:27', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 28 });
  const size = 48 * 27 * 3;
  return Array.from({ length: r.stdout.length / size }, (_, i) => new Uint8Array(r.stdout.subarray(i * size, (i + 1) * size)));
}
const distance = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);

function bFrameClip(): string {
  const file = path.join(dir, 'clip-bframes.mp4');
  spawnSync(ffmpeg!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30', '-t', '3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-bf', '3', '-g', '45', file]);
  return file;
}

describe.skipIf(!!why)(`ffmpeg writes the planned frames${why ? ` (skipped: ${why})` : ''}`, () => {
  for (const name of ['walk.mkv', 'bframes.mp4']) {
    const real = name === 'walk.mkv';
    it.skipIf(real && !existsSync(MEDIA))(`${name}: each JPEG is the frame of its planned index${real && !existsSync(MEDIA) ? ' (skipped: ../shared/media is absent)' : ''}`, async () => {
      const file = real ? path.join(MEDIA, name) : bFrameClip();
      const { timeline } = await probeVideo(new Blob([readFileSync(file)]));
      const last = timeline.frameCount - 1;
      const wanted = [0, 1, Math.floor(last / 3), Math.floor(last / 2) + 1, last];
      const targets = wanted.map((index) => ({ index, files: [path.join(dir, name, `${index}.jpg`)] }));
      await writeFrames(ffmpeg!, file, targets, { width: 160, height: 90 }, path.join(dir, 'scratch'));
      const all = tiny(file);
      expect(all).toHaveLength(timeline.frameCount);
      for (const index of wanted) {
        const [shot] = tiny(path.join(dir, name, `${index}.jpg`));
        const d = all.map((f) => distance(f, shot));
        expect(d.indexOf(Math.min(...d)), `frame ${index}`).toBe(index);
      }
    }, 60_000);
  }

  it('a file ffmpeg cannot decode, or an index past the end, is a named FrameExtractionError', async () => {
    const bad = path.join(dir, 'not-a-video.mp4');
    writeFileSync(bad, 'just text');
    await expect(writeFrames(ffmpeg!, bad, [{ index: 0, files: [path.join(dir, 'x.jpg')] }], { width: 32, height: 32 }, path.join(dir, 'scratch'))).rejects.toBeInstanceOf(FrameExtractionError);
    await expect(writeFrames(ffmpeg!, bFrameClip(), [{ index: 5000, files: [path.join(dir, 'y.jpg')] }], { width: 32, height: 32 }, path.join(dir, 'scratch'))).rejects.toThrow(/wrote 0 of the 1 frames/);
  });
});

describe.skipIf(!!why)('DecodedFrames: the frames of a video decoded once for all the jobs that ask', () => {
  it('decodes only what it does not hold, returns the same objects, and drops the least recently used video', async () => {
    const a = bFrameClip();
    const b = path.join(dir, 'clip-b.mp4');
    spawnSync(ffmpeg!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=10', '-t', '2', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', b]);
    const size = { width: 64, height: 36 };
    const store = new DecodedFrames(ffmpeg!, 1);
    const first = await store.get(a, [0, 10, 20], size);
    expect(store.stats.passes).toBe(1);
    const again = await store.get(a, [20, 10, 30], size);
    expect(store.stats.passes).toBe(2); // only frame 30 was missing
    expect(again.get(10)).toBe(first.get(10));
    expect(again.get(20)).toBe(first.get(20));
    // The same frames as a fresh decode, pixel for pixel.
    const fresh = await readFramesRgba(ffmpeg!, a, [30], size);
    expect(Buffer.from(again.get(30)!.data)).toEqual(Buffer.from(fresh.get(30)!.data));
    await store.get(b, [0], size); // a second video: the first is dropped (keepVideos 1)
    const later = await store.get(a, [10], size);
    expect(store.stats.passes).toBe(4);
    expect(later.get(10)).not.toBe(first.get(10));
    // A failed pass is not remembered: the next ask tries again and fails by name again.
    await expect(store.get(b, [5000], size)).rejects.toThrow(FrameExtractionError);
    await expect(store.get(b, [5000], size)).rejects.toThrow(FrameExtractionError);
  });
});
