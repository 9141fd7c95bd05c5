/**
 * Makes the fixture videos once per run: pattern videos encoded by the
 * workbench's own mediabunny path in Chromium, bad inputs derived from them,
 * and an HEVC file from ffmpeg (when present) since no browser here encodes HEVC.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { chromium, type FullConfig } from '@playwright/test';
import { FIXTURE_DIR, PATTERN_FIXTURES, ffmpegPath, fixturePath, openHarness } from './fixtures';
import { withLacedBlock } from '../src/media/damage.fixture';

export default async function globalSetup(config: FullConfig) {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const use = config.projects[0].use;
  const browser = await chromium.launch(use.launchOptions);
  try {
    const page = await browser.newPage({ baseURL: use.baseURL });
    await openHarness(page);
    for (const [name, options] of Object.entries(PATTERN_FIXTURES)) {
      const base64 = await page.evaluate((o) => window.pastaHarness.makePatternVideo(o as never), options);
      writeFileSync(fixturePath(name as keyof typeof PATTERN_FIXTURES), Buffer.from(base64, 'base64'));
    }
    const audio = await page.evaluate(() => window.pastaHarness.makeToneAudio('mp4'));
    writeFileSync(fixturePath('audio-only.mp4'), Buffer.from(audio, 'base64'));
  } finally {
    await browser.close();
  }

  const good = readFileSync(fixturePath('avc.mp4'));
  writeFileSync(fixturePath('empty.mp4'), Buffer.alloc(0));
  writeFileSync(fixturePath('not-a-video.mp4'), 'This is a text file someone renamed to .mp4.\n'.repeat(40));
  // moov is at the front (fast start): the index survives, the frames after the cut do not.
  writeFileSync(fixturePath('truncated.mp4'), good.subarray(0, Math.floor(good.length * 0.4)));
  // Overwrite the sample table's boxes with noise: the container can no longer be parsed.
  const corrupt = Buffer.from(good);
  const moov = corrupt.indexOf('moov');
  for (let i = moov + 8; i < Math.min(moov + 600, corrupt.length); i++) corrupt[i] = (i * 7919) & 0xff;
  writeFileSync(fixturePath('corrupt.mp4'), corrupt);
  // A PNG image renamed .mp4: its signature, then an IHDR chunk's start.
  writeFileSync(fixturePath('image.mp4'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(200, 7)]));
  // A block header claims lacing its bytes do not hold: mediabunny's demuxer meets it with a bare assertion.
  writeFileSync(fixturePath('damaged.webm'), withLacedBlock(readFileSync(fixturePath('vp9.webm'))));

  if (ffmpegPath) {
    execFileSync(ffmpegPath, [
      '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '1',
      '-c:v', 'libx265', '-tag:v', 'hvc1', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', fixturePath('hevc.mp4'),
    ]);
    // moov at the end (ffmpeg's default), cut before it: the index of every frame is gone.
    const moovAtEnd = fixturePath('moov-cut.mp4');
    execFileSync(ffmpegPath, [
      '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '2',
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', moovAtEnd,
    ]);
    const whole = readFileSync(moovAtEnd);
    writeFileSync(moovAtEnd, whole.subarray(0, whole.indexOf('moov') - 100));
    // 25 minutes at 2 fps: its 1 fps view would ask 1,500 frames, more than the frame cache once held.
    execFileSync(ffmpegPath, [
      '-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=96x54:rate=2', '-t', '1500',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-pix_fmt', 'yuv420p', fixturePath('long-25min.mp4'),
    ]);
  }
}
