/** Each bad input gets its own named error, and the Worker keeps serving good files afterwards. */
import { expect, test, type Page } from '@playwright/test';
import { ffmpegPath, fixturePath, openHarness, serveFile, type FixtureName } from './fixtures';

async function attempt(page: Page, name: FixtureName) {
  const url = await serveFile(page, name, fixturePath(name));
  return page.evaluate((u) => window.pastaHarness.sampleOrError(u, { spec: { mode: 'uniform', n: 32 }, maxSide: 224 }), url);
}

test.beforeEach(async ({ page }) => openHarness(page));

test.afterEach(async ({ page }) => {
  // A good file still works after every failure.
  const ok = await attempt(page, 'avc.mp4');
  expect(ok).toMatchObject({ ok: true, frames: 32 });
});

test('zero-byte file: EmptyFileError', async ({ page }) => {
  expect(await attempt(page, 'empty.mp4')).toMatchObject({ ok: false, stage: 'probe', name: 'EmptyFileError', code: 'empty-file', isMediaError: true });
});

test('text file renamed .mp4: UnrecognizedFormatError', async ({ page }) => {
  const r = await attempt(page, 'not-a-video.mp4');
  expect(r).toMatchObject({ ok: false, stage: 'probe', name: 'UnrecognizedFormatError', code: 'unrecognized-format' });
  expect(r.ok === false && r.message).toMatch(/not a video file/);
});

test('audio-only file: NoVideoTrackError that names the audio codec', async ({ page }) => {
  const r = await attempt(page, 'audio-only.mp4');
  expect(r).toMatchObject({ ok: false, stage: 'probe', name: 'NoVideoTrackError', code: 'no-video-track' });
  expect(r.ok === false && r.message).toMatch(/audio-only file \(Opus\)/);
});

test('truncated file: probe flags it, CorruptFileError when frames past the cut are needed', async ({ page }) => {
  const url = await serveFile(page, 'truncated.mp4', fixturePath('truncated.mp4'));
  expect((await page.evaluate((u) => window.pastaHarness.probe(u), url)).probe).toMatchObject({ truncated: true, frameCount: 60 });
  const whole = await serveFile(page, 'avc.mp4', fixturePath('avc.mp4'));
  expect((await page.evaluate((u) => window.pastaHarness.probe(u), whole)).probe).toMatchObject({ truncated: false });
  const r = await attempt(page, 'truncated.mp4');
  expect(r).toMatchObject({ ok: false, stage: 'decode', name: 'CorruptFileError', code: 'corrupt-file' });
});

test('corrupt container: CorruptFileError', async ({ page }) => {
  const r = await attempt(page, 'corrupt.mp4');
  expect(r).toMatchObject({ ok: false, stage: 'probe', name: 'CorruptFileError', code: 'corrupt-file' });
});

test('HEVC: UnsupportedCodecError that names the codec; probe still describes the file', async ({ page }) => {
  test.skip(!ffmpegPath, 'ffmpeg is not installed: it is needed to make the HEVC fixture (apt-get install ffmpeg)');
  const url = await serveFile(page, 'hevc.mp4', fixturePath('hevc.mp4'));
  const probed = await page.evaluate((u) => window.pastaHarness.probe(u), url);
  expect(probed.probe).toMatchObject({ codec: 'hevc', codecName: 'HEVC (H.265)', decodable: false, width: 320, height: 240, frameCount: 25 });
  const r = await attempt(page, 'hevc.mp4');
  expect(r).toMatchObject({ ok: false, stage: 'decode', name: 'UnsupportedCodecError', code: 'unsupported-codec', codec: 'HEVC (H.265)' });
  // The fixture is tagged hvc1 (as Apple writes HEVC): the message names that tag, not hev1.
  expect(r.ok === false && r.message).toMatch(/cannot decode HEVC \(H\.265\) video \(hvc1\./);
  expect(probed.probe?.codecString).toMatch(/^hvc1\./);
});
