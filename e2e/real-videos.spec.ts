/**
 * Real camera footage (../shared/media, CC BY 4.0), encoded by tools nobody on
 * this project wrote: probe figures, and 32 sampled frames at native size
 * compared with ffmpeg's decode of the same frame indices.
 *
 * Two ffmpeg references, each made in one pass with the select filter:
 *  - plain: `-pix_fmt rgb24` with ffmpeg's defaults, what Python pipelines
 *    (torchvision, decord, PyAV) get. Every frame must be above 30 dB PSNR.
 *  - matched: ffmpeg's accurate YUV->RGB with the colour matrix Chromium
 *    applies (see VIDEOS). Our frames then equal ffmpeg's to within rounding
 *    (46-60 dB), which is what makes frame identity provable from pixels.
 *
 * Frame identity: with e = MSE(ours, ffmpeg i), f = MSE(ours, ffmpeg j) for a
 * neighbour j = i +- 1 and d = MSE(ffmpeg i, ffmpeg j), the right frame gives
 * f - e ~ +d and the neighbour frame would give f - e ~ -d. Every neighbour
 * pair that differs at all (d above a floor) must show f - e > d / 2, and the
 * same rule applied as if our frame were the neighbour must fail (negative
 * control: the check can catch the off-by-one mediabunny users report at odd
 * rates; bottle-detection.mp4 runs at 29.83 fps).
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
  /**
   * The YUV->RGB matrix for the matched reference: the file's own tag when
   * it has one, else BT.601, which is what ffmpeg assumes ('auto') and what
   * the workbench asks the decoder for on untagged video (Chromium alone would
   * take BT.709).
   */
  matrix: 'auto' | 'bt709';
  /** Lowest PSNR (dB) expected against the matched reference (measured minima: 51.3, 51.2, 46.0). */
  matchedMinPsnr: number;
}

// Figures from ../shared/media/README.md (and ffprobe -count_frames).
const VIDEOS: RealVideo[] = [
  // H.264 High, B-frames, untagged colour, limited range, 29.83 fps (179/6).
  { file: 'bottle-detection.mp4', frameCount: 1189, width: 640, height: 360, hasAudio: false, container: /mp4/i, matrix: 'auto', matchedMinPsnr: 48 },
  // H.264 Baseline (no B-frames), tagged smpte170m (BT.601) limited range, 12.5 fps, AAC audio.
  { file: 'car-detection.mp4', frameCount: 377, width: 768, height: 432, hasAudio: true, container: /mp4/i, matrix: 'auto', matchedMinPsnr: 48 },
  // Matroska, B-frames, yuvj420p (full range), untagged matrix, 30 fps.
  { file: 'walk.mkv', frameCount: 89, width: 640, height: 480, hasAudio: false, container: /matroska/i, matrix: 'auto', matchedMinPsnr: 42 },
];

const FRAMES = 32;
/** Minimum PSNR (dB) between our frame and ffmpeg's plain rgb24 decode of the same index. */
const MIN_PSNR = 30;
/** Neighbour pairs whose ffmpeg frames differ by less than this MSE cannot tell frames apart. */
const DISTINCT_MSE = 0.1;
/** Neighbour pairs that must be able to tell frames apart, per video. */
const MIN_DISCRIMINATING = 16;

const psnrOf = (mse: number) => (mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse));

/** Mean squared error over R, G, B between an RGBA frame and an RGB frame of the same size. */
function mseRgbaVsRgb(rgba: Uint8Array, rgb: Uint8Array): number {
  const pixels = rgb.length / 3;
  let sum = 0;
  for (let p = 0; p < pixels; p++) {
    const a = p * 4;
    const b = p * 3;
    const dr = rgba[a] - rgb[b];
    const dg = rgba[a + 1] - rgb[b + 1];
    const db = rgba[a + 2] - rgb[b + 2];
    sum += dr * dr + dg * dg + db * db;
  }
  return sum / (pixels * 3);
}

function mseRgb(x: Uint8Array, y: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    sum += d * d;
  }
  return sum / x.length;
}

/**
 * ffmpeg's RGB24 decode of the given frame indices (presentation order) in one
 * pass; `scale` is an optional scale filter appended after the selection.
 */
function ffmpegFrames(file: string, indices: number[], width: number, height: number, scale?: string): Map<number, Uint8Array> {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  // A flat sum of more than ~100 terms overflows ffmpeg's expression parser; a balanced tree does not.
  const anyOf = (a: number[]): string => (a.length === 1
    ? `eq(n\\,${a[0]})`
    : `(${anyOf(a.slice(0, a.length >> 1))}+${anyOf(a.slice(a.length >> 1))})`);
  const filter = `select='${anyOf(sorted)}'${scale ? `,${scale}` : ''}`;
  const out = execFileSync(ffmpegPath!, [
    '-v', 'error', '-i', file, '-map', '0:v:0', '-vf', filter, '-vsync', '0',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ], { maxBuffer: 1 << 30 });
  const size = width * height * 3;
  expect(out.length, `ffmpeg returned ${out.length / size} frames for ${sorted.length} indices`).toBe(sorted.length * size);
  return new Map(sorted.map((index, k) => [index, new Uint8Array(out.buffer, out.byteOffset + k * size, size)]));
}

/** Presentation timestamps of every video frame (s), from the container's packets; null without ffprobe. */
function ffprobeTimestamps(file: string): number[] | null {
  const ffprobe = path.join(path.dirname(ffmpegPath!), 'ffprobe');
  if (!existsSync(ffprobe)) return null;
  const out = execFileSync(ffprobe, [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file,
  ], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return out.split('\n').map((l) => l.trim().replace(/,$/, '')).filter(Boolean).map(Number).sort((a, b) => a - b);
}

function probe(page: Page, url: string) {
  return page.evaluate((u) => window.pastaHarness.probe(u), url);
}

function sampleNativeWithPixels(page: Page, url: string) {
  return page.evaluate(
    ([u, n]) => window.pastaHarness.sample(u, { spec: { mode: 'qwen-nframes', n }, pixels: true }),
    [url, FRAMES] as const,
  );
}

test.describe('real videos match ffmpeg frame by frame', () => {
  test.skip(!hasSharedMedia, `real sample videos not found in ${SHARED_MEDIA} (see ../shared/media/README.md): skipping the real-video tests`);
  test.skip(!ffmpegPath, 'ffmpeg not found (install it or set FFMPEG_PATH): it is the reference decoder for the real-video tests');
  test.describe.configure({ timeout: 180_000 });

  for (const video of VIDEOS) {
    test(`${video.file}: probe, then ${FRAMES} native-size frames equal ffmpeg's frames of the same index`, async ({ page }, testInfo) => {
      const file = path.join(SHARED_MEDIA, video.file);
      test.skip(!existsSync(file), `${file} is absent`);
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
        const worst = Math.max(...reference.map((t, i) => Math.abs(t - timeline.timestamps![i])));
        expect(worst, 'largest timestamp difference from ffprobe (s)').toBeLessThan(0.5 / p.fps);
      }

      // 32 frames, qwen-nframes (indices are exact frame numbers), native size, with pixels.
      const result = await sampleNativeWithPixels(page, url);
      expect(result.frames).toHaveLength(FRAMES);
      const indices = result.frames.map((f) => f.index);
      expect(indices[0]).toBe(0);
      expect(indices[FRAMES - 1]).toBe(video.frameCount - 1);
      const { width, height } = result.frames[0];
      expect([width, height]).toEqual([video.width, video.height]);
      const ours = result.frames.map((f) => {
        const rgba = new Uint8Array(Buffer.from(f.rgba!, 'base64'));
        expect(rgba.length).toBe(width * height * 4);
        return rgba;
      });

      // Reference 1: ffmpeg's plain rgb24 decode of the same indices.
      const plain = ffmpegFrames(file, indices, width, height);
      const plainPsnr = indices.map((i, k) => psnrOf(mseRgbaVsRgb(ours[k], plain.get(i)!)));

      // Reference 2: matched colour conversion, frames i-1, i, i+1 and a frame half the video away.
      const far = (i: number) => (i + Math.floor(video.frameCount / 2)) % video.frameCount;
      const wanted = indices.flatMap((i) => [i - 1, i, i + 1, far(i)]).filter((i) => i >= 0 && i < video.frameCount);
      const matched = ffmpegFrames(file, wanted, width, height, `scale=in_color_matrix=${video.matrix}:flags=accurate_rnd+full_chroma_int`);

      const rows: string[] = [];
      const matchedPsnr: number[] = [];
      let discriminating = 0;
      let controlsCaught = 0;
      let farGap = Infinity;
      const identityFailures: string[] = [];
      indices.forEach((i, k) => {
        const e = mseRgbaVsRgb(ours[k], matched.get(i)!);
        matchedPsnr.push(psnrOf(e));
        const cells = [`slot ${k} frame ${i}: plain ${plainPsnr[k].toFixed(2)} dB, matched ${psnrOf(e).toFixed(2)} dB`];
        for (const j of [i - 1, i + 1]) {
          if (!matched.has(j)) continue;
          const d = mseRgb(matched.get(i)!, matched.get(j)!);
          const f = mseRgbaVsRgb(ours[k], matched.get(j)!);
          cells.push(`vs ${j}: d=${d.toFixed(2)} f-e=${(f - e).toFixed(2)}`);
          if (d < DISTINCT_MSE) continue;
          discriminating++;
          if (!(f - e > d / 2)) identityFailures.push(`slot ${k}: our frame ${i} is not closer to ffmpeg's ${i} than to its ${j} (d=${d.toFixed(2)}, f-e=${(f - e).toFixed(2)})`);
          // Negative control: were our frame ffmpeg's j, the same rule must reject it.
          if (!(e - f > d / 2)) controlsCaught++;
        }
        farGap = Math.min(farGap, psnrOf(e) - psnrOf(mseRgbaVsRgb(ours[k], matched.get(far(i))!)));
        rows.push(cells.join(', '));
      });

      const minPlain = Math.min(...plainPsnr);
      const minMatched = Math.min(...matchedPsnr);
      testInfo.annotations.push(
        { type: 'min PSNR vs ffmpeg rgb24 (dB)', description: minPlain.toFixed(2) },
        { type: `min PSNR vs ffmpeg matched (${video.matrix}, accurate) (dB)`, description: minMatched.toFixed(2) },
        { type: 'frame-identity checks (neighbour pairs that differ)', description: `${discriminating}, negative controls caught ${controlsCaught}` },
        { type: 'smallest PSNR drop vs a frame half the video away (dB)', description: farGap.toFixed(2) },
      );
      await testInfo.attach('psnr-per-frame.txt', { body: rows.join('\n'), contentType: 'text/plain' });
      console.log(
        `${video.file}: min PSNR ${minPlain.toFixed(2)} dB vs ffmpeg rgb24, ${minMatched.toFixed(2)} dB vs matched conversion; `
        + `${discriminating} identity checks (${controlsCaught} negative controls caught); far-frame drop >= ${farGap.toFixed(1)} dB`,
      );

      for (const [k, psnr] of plainPsnr.entries()) expect(psnr, `slot ${k} (frame ${indices[k]}) PSNR vs ffmpeg rgb24`).toBeGreaterThan(MIN_PSNR);
      for (const [k, psnr] of matchedPsnr.entries()) expect(psnr, `slot ${k} (frame ${indices[k]}) PSNR vs matched ffmpeg`).toBeGreaterThan(video.matchedMinPsnr);
      expect(identityFailures, 'frames that match a neighbour at least as well as the named frame').toEqual([]);
      // The identity check has teeth: enough pairs, and each would reject the neighbour frame.
      expect(discriminating, 'neighbour pairs able to catch an off-by-one').toBeGreaterThanOrEqual(MIN_DISCRIMINATING);
      expect(controlsCaught, 'negative controls (neighbour frame presented as ours) rejected').toBe(discriminating);
      expect(farGap, 'PSNR drop when compared with a frame half the video away').toBeGreaterThan(5);
    });
  }
});
