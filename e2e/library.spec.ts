/** A researcher builds a library, samples frames, and finds it all again after a reload. */
import { mkdtempSync, copyFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { addFiles, card, cardMeta, filmstripIndices, openFreshApp, screenshot } from './app';
import { SHARED_MEDIA, fixturePath, hasSharedMedia } from './fixtures';

test.beforeEach(async ({ page }) => openFreshApp(page));

test('adding videos with the file picker shows each one with its metadata', async ({ page }) => {
  await addFiles(page, ['avc.mp4', 'with-audio.webm', 'vfr.mp4', 'rotated90.mp4', 'no-duration.webm']);
  await expect(page.getByTestId('video-card')).toHaveCount(5);
  expect(await cardMeta(page, 'avc.mp4')).toEqual({
    container: 'MP4', codec: 'H.264', resolution: '320×240', fps: '30', frames: '60', audio: 'no', rotation: '0°',
  });
  expect(await cardMeta(page, 'with-audio.webm')).toMatchObject({ container: 'WebM', codec: 'VP9', audio: 'yes (Opus)' });
  expect(await cardMeta(page, 'vfr.mp4')).toMatchObject({ frames: '35', fps: expect.stringContaining('VFR') });
  // ffprobe prints rotation=-90 for this file (mediabunny's clockwise 90).
  expect(await cardMeta(page, 'rotated90.mp4')).toMatchObject({ resolution: '192×320', rotation: '-90° (turns 90° clockwise)' });
  expect(await cardMeta(page, 'no-duration.webm')).toMatchObject({ frames: '50', fps: '25' });
  await expect(card(page, 'avc.mp4').locator('img')).toBeVisible(); // thumbnail
});

test('selecting a video shows 32 sampled frames, and each tile shows the frame it names', async ({ page }) => {
  await addFiles(page, ['avc.mp4']);
  await card(page, 'avc.mp4').click();
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
  await expect(page.getByTestId('plan-summary')).toContainText('uniform 32: 32 frames at 224 px');
  const tiles = await filmstripIndices(page);
  for (const t of tiles) {
    expect(t.margin).toBeGreaterThan(40);
    expect(t.shown).toBe(t.claimed);
  }
  // Centred uniform sampling over 60 frames: bin centres at (k + 0.5) * 60 / 32.
  expect(tiles.map((t) => t.claimed)).toEqual(Array.from({ length: 32 }, (_, k) => Math.floor(((k + 0.5) * 60) / 32)));
  // One mark per sampled frame under the player; clicking one shows that frame in the player.
  await expect(page.getByTestId('sample-marks').locator('.mark')).toHaveCount(32);
  await page.getByTestId('sample-marks').locator('.mark').nth(31).click();
  await expect.poll(() => page.getByTestId('player').evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(59 / 30, 2); // slot 31 is frame 59
});

test('sampler input out of range is named where it was typed, and the last good value stays', async ({ page }) => {
  await addFiles(page, ['avc.mp4']);
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
  await expect(page.getByTestId('sampler-param-hint')).toHaveText('allowed: 1 to 1024 frames');
  for (const [typed, message] of [['0', '0 is out of range: 1 to 1024 frames'], ['-3', '-3 is out of range'], ['5000', '5000 is out of range'], ['', 'enter a whole number of frames from 1 to 1024']] as const) {
    await page.getByTestId('sampler-param').fill(typed);
    await expect(page.getByTestId('sampler-param-error')).toContainText(message);
    await expect(page.getByTestId('sampler-param-error')).toContainText('still sampling 32');
    await expect(page.getByTestId('sampler-param')).toHaveAttribute('aria-invalid', 'true');
  }
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
  await page.getByTestId('sampler-param').fill('16');
  await expect(page.getByTestId('sampler-param-error')).toHaveCount(0);
  await expect(page.getByTestId('frame-tile')).toHaveCount(16);
});

test('switching samplers re-plans and re-decodes', async ({ page }) => {
  await addFiles(page, ['avc.mp4']);
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
  await page.getByTestId('sampler-mode').selectOption('qwen-fps');
  await page.getByTestId('sampler-param').fill('2');
  await expect(page.getByTestId('frame-tile')).toHaveCount(4); // 2 s x 2 fps = 4 (>= the minimum 4)
  await page.getByTestId('sampler-mode').selectOption('sparse');
  await expect(page.getByTestId('frame-tile')).toHaveCount(2); // 2 s at 1 fps
  await page.getByTestId('sampler-mode').selectOption('qwen-nframes');
  await page.getByTestId('sampler-param').fill('7');
  await expect(page.getByTestId('plan-note')).toContainText('n rounded from 7 to 8');
  await expect(page.getByTestId('frame-tile')).toHaveCount(8);
  const tiles = await filmstripIndices(page);
  expect(tiles.map((t) => t.claimed)).toEqual([0, 8, 17, 25, 34, 42, 51, 59]);
  expect(tiles.map((t) => t.shown)).toEqual([0, 8, 17, 25, 34, 42, 51, 59]);
  await page.getByTestId('max-side').selectOption('112');
  await expect.poll(() => page.getByTestId('frame-tile').first().locator('canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBe(112);
});

test('the library, the selection and the sampler survive a reload', async ({ page }) => {
  await addFiles(page, ['avc.mp4', 'vp9.webm']);
  await cardMeta(page, 'vp9.webm');
  await card(page, 'vp9.webm').click();
  await page.getByTestId('sampler-mode').selectOption('qwen-nframes');
  await page.getByTestId('sampler-param').fill('6');
  await expect(page.getByTestId('frame-tile')).toHaveCount(6);
  await page.reload();
  await expect(page.getByTestId('video-card')).toHaveCount(2);
  await expect(card(page, 'vp9.webm')).toHaveAttribute('aria-selected', 'true');
  expect(await cardMeta(page, 'vp9.webm')).toMatchObject({ codec: 'VP9', frames: '60' });
  await expect(page.getByTestId('sampler-mode')).toHaveValue('qwen-nframes');
  await expect(page.getByTestId('frame-tile')).toHaveCount(6);
  const tiles = await filmstripIndices(page); // decoded again from the stored file
  expect(tiles.map((t) => t.shown)).toEqual(tiles.map((t) => t.claimed));
});

test('bad files get a named error on their own card while the others keep working', async ({ page }) => {
  await addFiles(page, ['empty.mp4', 'not-a-video.mp4', 'audio-only.mp4', 'corrupt.mp4', 'avc.mp4']);
  const errorOf = (name: string) => card(page, name).getByTestId('video-error');
  await expect(errorOf('empty.mp4')).toContainText('EmptyFileError');
  await expect(errorOf('not-a-video.mp4')).toContainText('UnrecognizedFormatError');
  await expect(errorOf('audio-only.mp4')).toContainText('NoVideoTrackError: audio-only file (Opus)');
  await expect(errorOf('corrupt.mp4')).toContainText('CorruptFileError');
  expect(await cardMeta(page, 'avc.mp4')).toMatchObject({ frames: '60' });
  await card(page, 'avc.mp4').click();
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
  // The log lists every failure.
  await expect(page.getByTestId('log-button')).toContainText('4');
  await page.keyboard.press('l');
  await expect(page.getByTestId('log-panel')).toContainText('empty.mp4');
  await expect(page.getByTestId('log-panel')).toContainText('UnrecognizedFormatError');
});

test('a PNG renamed .mp4, an MP4 cut before its moov atom and a damaged WebM each say what is wrong', async ({ page }) => {
  const { ffmpegPath } = await import('./fixtures');
  const names = ['image.mp4', 'damaged.webm', ...(ffmpegPath ? (['moov-cut.mp4'] as const) : [])] as const;
  await addFiles(page, [...names]);
  const errorOf = (name: string) => card(page, name).getByTestId('video-error');
  await expect(errorOf('image.mp4')).toContainText('UnrecognizedFormatError: not a video file: it is a PNG image with a .mp4 name');
  await expect(errorOf('damaged.webm')).toContainText('CorruptFileError: the file is damaged');
  await expect(errorOf('damaged.webm')).not.toContainText('Assertion');
  if (ffmpegPath) await expect(errorOf('moov-cut.mp4')).toContainText('CorruptFileError: the MP4 is truncated: its moov atom (the index of its frames) is missing');
  await page.keyboard.press('l');
  await expect(page.getByTestId('log-panel')).not.toContainText('Assertion failed');
});

test('a truncated file fails on decode, named on its card and in the sampler', async ({ page }) => {
  await addFiles(page, ['truncated.mp4']);
  await card(page, 'truncated.mp4').click();
  await expect(card(page, 'truncated.mp4').getByTestId('video-error')).toContainText('CorruptFileError');
  await expect(page.getByTestId('sampling-error')).toContainText('CorruptFileError');
});

test('an HEVC file is described, and names its codec as the reason it cannot be decoded', async ({ page }) => {
  const { ffmpegPath } = await import('./fixtures');
  test.skip(!ffmpegPath, 'ffmpeg is not installed: it makes the HEVC fixture (apt-get install ffmpeg)');
  await addFiles(page, ['hevc.mp4']);
  await expect(card(page, 'hevc.mp4').getByTestId('video-error')).toContainText('UnsupportedCodecError: this browser cannot decode HEVC (H.265) video (hvc1.');
  expect(await cardMeta(page, 'hevc.mp4')).toMatchObject({ codec: 'HEVC (H.265)', resolution: '320×240', frames: '25' });
});

test('selecting a video this browser cannot decode says so once, with no player left loading', async ({ page }) => {
  const { ffmpegPath } = await import('./fixtures');
  test.skip(!ffmpegPath, 'ffmpeg is not installed: it makes the HEVC fixture (apt-get install ffmpeg)');
  await addFiles(page, ['hevc.mp4', 'avc.mp4']);
  await expect(card(page, 'hevc.mp4').getByTestId('video-error')).toContainText('UnsupportedCodecError');
  await card(page, 'hevc.mp4').click();
  const detail = page.getByRole('region', { name: 'Selected video' });
  await expect(detail.getByTestId('player-unavailable')).toContainText('This browser has no decoder for HEVC (H.265)');
  await expect(detail.getByTestId('player')).toHaveCount(0);
  // Its error once, not once from the record and again from a sampling attempt.
  await expect(detail.getByText('UnsupportedCodecError')).toHaveCount(1);
  await expect(detail.getByTestId('sampling-error')).toHaveCount(0);
  await expect(detail.getByTestId('sampling-progress')).toHaveCount(0);
  // The next video plays and samples as before.
  await card(page, 'avc.mp4').click();
  await expect(detail.getByTestId('player')).toBeVisible();
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
});

test('videos can be dropped onto the library', async ({ page }) => {
  const bytes = await import('node:fs').then((fs) => fs.readFileSync(fixturePath('avc.mkv')).toString('base64'));
  const dataTransfer = await page.evaluateHandle((b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'dropped.mkv', { type: 'video/x-matroska' }));
    return dt;
  }, bytes);
  await page.getByTestId('drop-zone').dispatchEvent('dragover', { dataTransfer });
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
  expect(await cardMeta(page, 'dropped.mkv')).toMatchObject({ container: 'Matroska', codec: 'H.264', frames: '60', fps: '25' });
});

test('a whole folder can be added; files that are not videos are skipped and logged', async ({ page }) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pasta-folder-'));
  try {
    copyFileSync(fixturePath('avc.mp4'), path.join(dir, 'one.mp4'));
    copyFileSync(fixturePath('vp9.webm'), path.join(dir, 'two.webm'));
    writeFileSync(path.join(dir, 'notes.txt'), 'not a video');
    await page.getByTestId('folder-input').setInputFiles(dir);
    await expect(page.getByTestId('video-card')).toHaveCount(2);
    await expect(card(page, 'one.mp4')).toContainText(`${path.basename(dir)}/one.mp4`);
    await page.keyboard.press('l');
    await expect(page.getByTestId('log-panel')).toContainText('skipped 1 file(s) that are not videos');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keyboard: ? lists shortcuts, J/K move, Delete removes, Ctrl+Z restores, Esc cancels sampling', async ({ page }) => {
  await addFiles(page, ['avc.mp4', 'vp9.webm']);
  await cardMeta(page, 'vp9.webm');
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcut-list')).toContainText('Play or pause the player');
  await screenshot(page, 'shortcuts.png');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcut-list')).toHaveCount(0);
  await expect(card(page, 'avc.mp4')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('j');
  await expect(card(page, 'vp9.webm')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('k');
  await expect(card(page, 'avc.mp4')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('video-card')).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('video-card')).toHaveCount(2);
  await page.reload(); // the undo reached storage too
  await expect(page.getByTestId('video-card')).toHaveCount(2);

  // A long decode (every one of 900 frames) can be cancelled with Esc.
  await addFiles(page, ['long.mp4']);
  await cardMeta(page, 'long.mp4');
  await card(page, 'long.mp4').click();
  await page.getByTestId('sampler-mode').selectOption('dense');
  await page.getByTestId('sampler-param').fill('900');
  await expect(page.getByTestId('sampling-progress')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sampling-cancelled')).toContainText('Sampling cancelled.');
  await expect(page.getByTestId('sampling-error')).toHaveCount(0);
  await expect(page.getByTestId('frame-tile')).toHaveCount(0);
});

test('the README screenshots: a real library in light and dark themes', async ({ page }) => {
  // Real footage when ../shared/media is there, the pattern fixtures otherwise.
  const real = hasSharedMedia ? ['bottle-detection.mp4', 'car-detection.mp4', 'walk.mkv'] : [];
  await page.getByTestId('file-input').setInputFiles([
    ...real.map((f) => path.join(SHARED_MEDIA, f)),
    ...(['avc.mp4', 'not-a-video.mp4'] as const).map(fixturePath),
  ]);
  await cardMeta(page, real[0] ?? 'avc.mp4');
  await expect(card(page, 'not-a-video.mp4').getByTestId('video-error')).toBeVisible();
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
  await screenshot(page, 'library.png');
  await page.keyboard.press('t');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await screenshot(page, 'library-dark.png');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
