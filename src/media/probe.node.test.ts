/**
 * Probing needs no decoder, so it runs in Node on the real sample videos
 * (../shared/media, CC BY 4.0). Skips with a message when they are absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../scripts/find-tools.mjs';
import { CancelledError, CorruptFileError, EmptyFileError, UnrecognizedFormatError } from './errors';
import { withLacedBlock } from './damage.fixture';
import { probeVideo } from './probe';

const MEDIA = path.resolve(__dirname, '../../../shared/media');
const haveMedia = existsSync(path.join(MEDIA, 'bottle-detection.mp4'));
const blobOf = (name: string) => new Blob([readFileSync(path.join(MEDIA, name))]);

describe.skipIf(!haveMedia)(`real sample videos (${haveMedia ? MEDIA : '../shared/media is absent: skipped'})`, () => {
  it('bottle-detection.mp4: exact count from the sample table', async () => {
    const { probe, timeline } = await probeVideo(blobOf('bottle-detection.mp4'));
    expect(probe).toMatchObject({
      container: 'MP4', codec: 'avc', codecName: 'H.264', width: 640, height: 360, rotation: 0,
      frameCount: 1189, countSource: 'container', hasAudio: false, truncated: false, variableRate: false,
    });
    expect(probe.fps).toBeCloseTo(29.83, 1);
    expect(probe.duration).toBeCloseTo(39.9, 0);
    expect(timeline.timestamps).toHaveLength(1189);
  });
  it('car-detection.mp4: has an AAC audio track', async () => {
    const { probe } = await probeVideo(blobOf('car-detection.mp4'));
    expect(probe).toMatchObject({ width: 768, height: 432, frameCount: 377, hasAudio: true, audioCodec: 'AAC' });
    expect(probe.fps).toBeCloseTo(12.5, 1);
  });
  it('walk.mkv: Matroska frames counted from packets', async () => {
    const { probe } = await probeVideo(blobOf('walk.mkv'));
    expect(probe).toMatchObject({ container: 'Matroska', codec: 'avc', width: 640, height: 480, frameCount: 89, countSource: 'counted' });
    expect(probe.fps).toBeCloseTo(30, 0);
  });
});

describe.skipIf(!haveMedia)('progress and cancellation (skipped without ../shared/media)', () => {
  it('reports how far the timeline has been read', async () => {
    const seen: number[] = [];
    await probeVideo(blobOf('bottle-detection.mp4'), { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(0);
    for (const f of seen) expect(f).toBeGreaterThan(0.8); // 1024 of 1189 frames read at the first report
    for (const f of seen) expect(f).toBeLessThanOrEqual(1);
  });
  it('stops with CancelledError when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(probeVideo(blobOf('bottle-detection.mp4'), { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('bad input in Node', () => {
  it('names empty and unrecognised inputs', async () => {
    await expect(probeVideo(new Blob([]))).rejects.toBeInstanceOf(EmptyFileError);
    await expect(probeVideo(new Blob(['just some text, renamed .mp4'.repeat(20)]))).rejects.toBeInstanceOf(UnrecognizedFormatError);
  });
  it('a PNG or text file renamed .mp4 is named for what it is', async () => {
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...new Array(40).fill(7)])], 'bottles.mp4');
    const e = await probeVideo(png).catch((x: Error) => x);
    expect(e).toBeInstanceOf(UnrecognizedFormatError);
    expect((e as Error).message).toBe('not a video file: it is a PNG image with a .mp4 name (its first bytes say so)');
    const text = await probeVideo(new File(['just some text\n'.repeat(20)], 'notes.mov')).catch((x: Error) => x);
    expect((text as Error).message).toBe('not a video file: it is a text file with a .mov name (its first bytes say so)');
  });
});

const ffmpeg = findFfmpeg();
describe.skipIf(!ffmpeg)(`files made with ffmpeg (${ffmpeg ? 'ffmpeg found' : 'no ffmpeg: skipped'})`, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pasta-probe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const make = (name: string, args: string[]) => {
    const file = path.join(dir, name);
    execFileSync(ffmpeg!, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=854x480:rate=30', '-t', '0.5', ...args, file]);
    return new Blob([readFileSync(file)]);
  };

  it('an MP4 cut before its moov atom (written at the end) says it is truncated and why', async () => {
    const whole = new Uint8Array(await make('moov-at-end.mp4', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']).arrayBuffer());
    const moov = Buffer.from(whole).indexOf('moov') - 4;
    const e = await probeVideo(new Blob([whole.subarray(0, moov - 100)])).catch((x: Error) => x);
    expect(e).toBeInstanceOf(CorruptFileError);
    expect((e as Error).message).toMatch(/^the MP4 is truncated: its moov atom \(the index of its frames\) is missing, and the file stops inside its mdat box/);
  });

  it('a WebM with a damaged block header is a named CorruptFileError, never mediabunny\'s bare "Assertion failed."', async () => {
    const webm = new Uint8Array(await make('vp8.webm', ['-c:v', 'libvpx', '-b:v', '200k']).arrayBuffer());
    expect((await probeVideo(new Blob([webm]))).probe.frameCount).toBe(15);
    const e = await probeVideo(new Blob([withLacedBlock(webm)])).catch((x: Error) => x);
    expect(e).toBeInstanceOf(CorruptFileError);
    expect((e as Error).message).not.toMatch(/assertion/i);
    expect((e as Error).message).toMatch(/^the file is damaged: the demuxer met data that breaks its container structure/);
  });

  it('a one-hour file whose last frame comes early is constant rate, not VFR', async () => {
    const file = path.join(dir, 'hour-last-short.mp4');
    // 1 fps for an hour; the last frame is shown half an interval early, as a cut can leave it.
    execFileSync(ffmpeg!, [
      '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=1', '-t', '3600',
      '-vf', "settb=1/1000,setpts='if(eq(N,3599),N-0.5,N)/TB'", '-vsync', 'passthrough', '-enc_time_base', '1/1000',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file,
    ]);
    const { probe, timeline } = await probeVideo(new Blob([readFileSync(file)]));
    expect(timeline.timestamps![3599] - timeline.timestamps![3598]).toBeCloseTo(0.5);
    expect(probe).toMatchObject({ frameCount: 3600, variableRate: false });
    expect(probe.fps).toBeCloseTo(1, 3);
  }, 60_000);

  it('HEVC: the codec string names the sample entry the file stores (hvc1 or hev1)', async () => {
    for (const tag of ['hvc1', 'hev1']) {
      const { probe } = await probeVideo(make(`${tag}.mp4`, ['-c:v', 'libx265', '-tag:v', tag, '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p']));
      expect(probe.codecString?.split('.')[0], tag).toBe(tag);
    }
  });

  // ffmpeg -aspect 16:9 on a size that is not exactly 16:9 stores non-square pixels; ffprobe still says 854x480.
  it('non-square pixels: the size is the coded one ffprobe shows and the trainer decodes; a player shows one more row', async () => {
    const webm = (await probeVideo(make('aspect.webm', ['-aspect', '16:9', '-c:v', 'libvpx-vp9', '-b:v', '100k']))).probe;
    expect(webm).toMatchObject({ width: 854, height: 480, displayWidth: 854, displayHeight: 481 });
    const mkv = (await probeVideo(make('aspect.mkv', ['-vf', 'scale=642:360', '-aspect', '16:9', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']))).probe;
    expect(mkv).toMatchObject({ width: 642, height: 360, displayWidth: 642, displayHeight: 361 });
    const square = (await probeVideo(make('square.mkv', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']))).probe;
    expect(square).toMatchObject({ width: 854, height: 480, displayWidth: 854, displayHeight: 480 });
  });
});
