/**
 * Real camera footage (../shared/media, CC BY 4.0), encoded by tools nobody on
 * this project wrote: probe figures, and every sampled frame compared with
 * ffmpeg's decode of the same frame index.
 *
 * Frame identity is proved from pixels, not trusted from timestamps: each of
 * our frames must match ffmpeg's frame i better than ffmpeg's frames i-1 and
 * i+1 wherever those neighbours differ visibly from frame i, and a frame far
 * away must match clearly worse. A decoder that returns the neighbouring
 * frame (the off-by-one mediabunny users report at odd rates) fails here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { SHARED_MEDIA, ffmpegPath, hasSharedMedia, openHarness, serveFile } from './fixtures';

interface RealVideo {
  file: string;
  frameCount: number;
  width: number;
  height: number;
  hasAudio: boolean;
  container: RegExp;
}

// Figures from ../shared/media/README.md (and ffprobe -count_frames).
const VIDEOS: RealVideo[] = [
  { file: 'bottle-detection.mp4', frameCount: 1189, width: 640, height: 360, hasAudio: false, container: /mp4/i },
  { file: 'car-detection.mp4', frameCount: 377, width: 768, height: 432, hasAudio: true, container: /mp4/i },
  { file: 'walk.mkv', frameCount: 89, width: 640, height: 480, hasAudio: false, container: /matroska/i },
];

const FRAMES = 32;
/** Minimum PSNR (dB) between our frame and ffmpeg's frame of the same index. */
const MIN_PSNR = 30;
/** A neighbour frame counts as visibly different from frame i when ffmpeg's i vs neighbour is below this (dB). */
const DISTINCT_NEIGHBOUR_DB = 40;
/** Where the neighbour is visibly different, our frame must match frame i by at least this margin (dB). */
const IDENTITY_MARGIN_DB = 1;

/** PSNR (dB) over RGB between an RGBA frame and an RGB frame of the same size. */
function psnrRgbaVsRgb(rgba: Uint8Array, rgb: Uint8Array, pixels: number): number {
  let sum = 0;
  for (let p = 0; p < pixels; p++) {
    const a = p * 4;
    const b = p * 3;
    const dr = rgba[a] - rgb[b];
    const dg = rgba[a + 1] - rgb[b + 1];
    const db = rgba[a + 2] - rgb[b + 2];
    sum += dr * dr + dg * dg + db * db;
  }
  return psnrOf(sum / (pixels * 3));
}

function psnrRgbVsRgb(x: Uint8Array, y: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    sum += d * d;
  }
  return psnrOf(sum / x.length);
}

const psnrOf = (mse: number) => (mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse));

/** ffmpeg's RGB24 decode of the given frame indices (presentation order), in one pass. */
function ffmpegFrames(file: string, indices: number[], width: number, height: number): Map<number, Uint8Array> {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  // A flat sum of more than ~100 terms overflows ffmpeg's expression parser; a balanced tree does not.
  const anyOf = (a: number[]): string => (a.length === 1
    ? `eq(n\\,${a[0]})`
    : `(${anyOf(a.slice(0, a.length >> 1))}+${anyOf(a.slice(a.length >> 1))})`);
  const select = anyOf(sorted);
  const out = execFileSync(ffmpegPath!, [
    '-v', 'error', '-i', file, '-map', '0:v:0', '-vf', `select='${select}'`, '-vsync', '0',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ], { maxBuffer: 1 << 30 });
  const size = width * height * 3;
  expect(out.length, `ffmpeg returned ${out.length / size} frames for ${sorted.length} indices`).toBe(sorted.length * size);
  return new Map(sorted.map((index, k) => [index, new Uint8Array(out.buffer, out.byteOffset + k * size, size)]));
}

/** Presentation timestamps of every video frame (s), from the container's packets. */
function ffprobeTimestamps(file: string): number[] | null {
  const ffprobe = path.join(path.dirname(ffmpegPath!), 'ffprobe');
  if (!existsSync(ffprobe)) return null;
  const out = execFileSync(ffprobe, [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file,
  ], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return out.split('\n').map((l) => l.trim().replace(/,$/, '')).filter(Boolean).map(Number).sort((a, b) => a - b);
}

async function probe(page: Page, url: string) {
  return page.evaluate((u) => window.pastaHarness.probe(u), url);
}

async function sampleWithPixels(page: Page, url: string) {
  return page.evaluate(
    (u) => window.pastaHarness.sample(u, { spec: { mode: 'qwen-nframes', n: 32 }, pixels: true }),
    url,
  );
}

test.describe('real videos match ffmpeg frame by frame', () => {
  test.skip(!hasSharedMedia, `real sample videos not found in ${SHARED_MEDIA} (see ../shared/media/README.md); skipping`);
  test.skip(!ffmpegPath, 'ffmpeg not found (install it or set FFMPEG_PATH); it is the reference decoder for these tests');
  test.describe.configure({ timeout: 180_000 });

  for (const video of VIDEOS) {
    test(`${video.file}: probe, then ${FRAMES} frames (qwen-nframes) equal ffmpeg's frames of the same index`, async ({ page }, testInfo) => {
      const file = path.join(SHARED_MEDIA, video.file);
      test.skip(!existsSync(file), `${file} is absent`);
      const T0=Date.now();
      await openHarness(page);
      const url = await serveFile(page, video.file, file);

      // Probe.
      const { probe: p, timeline } = await probe(page, url);
      expect(p.codec).toBe('avc');
      expect(p.container).toMatch(video.container);
      expect(p.frameCount).toBe(video.frameCount);
      expect(p.countSource).not.toBe('estimated');
      expect([p.width, p.height]).toEqual([video.width, video.height]);
      expect(p.rotation).toBe(0);
      expect(p.hasAudio).toBe(video.hasAudio);
      expect(p.decodable).toBe(true);
      expect(p.variableRate).toBe(false);
      expect(timeline.timestamps).toHaveLength(video.frameCount);

      // Timestamps agree with ffprobe's, frame by frame, within half a frame.
      const reference = ffprobeTimestamps(file);
      if (reference) {
        expect(reference).toHaveLength(video.frameCount);
        const halfFrame = 0.5 / p.fps;
        const worst = Math.max(...reference.map((t, i) => Math.abs(t - timeline.timestamps![i])));
        expect(worst, 'largest timestamp difference from ffprobe (s)').toBeLessThan(halfFrame);
      }

      // Sample at native size with pixels.
      console.log('T probe done', Date.now()-T0);
      const result = await sampleWithPixels(page, url);
      expect(result.frames).toHaveLength(FRAMES);
      const indices = result.frames.map((f) => f.index);
      expect(indices[0]).toBe(0);
      expect(indices[FRAMES - 1]).toBe(video.frameCount - 1);
      const { width, height } = result.frames[0];
      expect([width, height]).toEqual([video.width, video.height]);
      const pixels = width * height;

      // ffmpeg's frames i-1, i, i+1 for every pick, plus the far frame used below, in one pass.
      const far = (i: number) => (i + Math.floor(video.frameCount / 2)) % video.frameCount;
      const wanted = indices.flatMap((i) => [i - 1, i, i + 1, far(i)]).filter((i) => i >= 0 && i < video.frameCount);
      console.log('T sample done', Date.now()-T0);
      const ref = ffmpegFrames(file, wanted, width, height);
      console.log('T ffmpeg done', Date.now()-T0);

      const rows: string[] = [];
      let minPsnr = Infinity;
      let discriminating = 0;
      let farGap = Infinity;
      for (const frame of result.frames) {
        const i = frame.index;
        const ours = new Uint8Array(Buffer.from(frame.rgba!, 'base64'));
        expect(ours.length).toBe(pixels * 4);
        const same = psnrRgbaVsRgb(ours, ref.get(i)!, pixels);
        minPsnr = Math.min(minPsnr, same);
        const cells = [`slot ${frame.slot} frame ${i}: ${same.toFixed(1)} dB`];
        for (const j of [i - 1, i + 1]) {
          if (!ref.has(j)) continue;
          const neighbourVsSelf = psnrRgbVsRgb(ref.get(i)!, ref.get(j)!);
          const oursVsNeighbour = psnrRgbaVsRgb(ours, ref.get(j)!, pixels);
          cells.push(`vs ${j}: ${oursVsNeighbour.toFixed(1)} dB (ffmpeg ${i}~${j}: ${neighbourVsSelf.toFixed(1)} dB)`);
          if (neighbourVsSelf < DISTINCT_NEIGHBOUR_DB) {
            discriminating++;
            expect(same, `slot ${frame.slot}: our frame ${i} must match ffmpeg's ${i} better than its ${j}`)
              .toBeGreaterThan(oursVsNeighbour + IDENTITY_MARGIN_DB);
          }
        }
        const farPsnr = psnrRgbaVsRgb(ours, ref.get(far(i))!, pixels);
        farGap = Math.min(farGap, same - farPsnr);
        rows.push(cells.join(', ')); if (process.env.DEBUG_ROWS) console.log(cells.join(', '));
        expect(same, `slot ${frame.slot} (frame ${i}) PSNR vs ffmpeg`).toBeGreaterThan(MIN_PSNR);
      }
      testInfo.annotations.push({ type: 'min PSNR vs ffmpeg (dB)', description: minPsnr.toFixed(2) });
      testInfo.annotations.push({ type: 'neighbour comparisons that discriminate frames', description: String(discriminating) });
      testInfo.annotations.push({ type: 'smallest same-vs-far PSNR gap (dB)', description: farGap.toFixed(2) });
      await testInfo.attach('psnr-per-frame.txt', { body: rows.join('\n'), contentType: 'text/plain' });
      console.log(`${video.file}: min PSNR ${minPsnr.toFixed(2)} dB over ${FRAMES} frames; ${discriminating} discriminating neighbour checks; same-vs-far gap >= ${farGap.toFixed(1)} dB`);

      // The check must be able to tell frames apart: neighbours that differ
      // visibly, and a far frame that matches clearly worse than the right one.
      expect(discriminating, 'neighbour comparisons able to catch an off-by-one').toBeGreaterThanOrEqual(8);
      expect(farGap, 'PSNR drop when compared with a frame half the video away').toBeGreaterThan(5);
    });
  }
});
