/**
 * The decoder's shortcuts (skipping non-reference H.264 frames, splitting the
 * work over parallel decoders) must not change a single pixel: compare them
 * with a plain one-decoder, decode-everything run on real B-frame videos.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { SHARED_MEDIA, hasSharedMedia, openHarness, serveFile } from './fixtures';

test.skip(!hasSharedMedia, `../shared/media is absent (${SHARED_MEDIA}): the real B-frame videos are needed`);

for (const file of ['bottle-detection.mp4', 'walk.mkv']) {
  test(`${file}: frames are byte-identical with and without skipping and parallel decoders`, async ({ page }) => {
    await openHarness(page);
    const url = await serveFile(page, file, path.join(SHARED_MEDIA, file));
    const run = (decode: object) => page.evaluate(([u, d]) => window.pastaHarness.sample(u as string, {
      spec: { mode: 'qwen-nframes', n: 32 }, maxSide: 224, pixels: true, decode: d as never,
    }).then((r) => r.frames.map((f) => f.rgba)), [url, decode] as const);
    const plain = await run({ lanes: 1, skipDisposable: false });
    expect(plain).toHaveLength(32);
    expect(new Set(plain).size, 'the frames differ from one another').toBeGreaterThan(16);
    expect(await run({})).toEqual(plain); // the defaults: skip non-reference frames, two decoders
    expect(await run({ lanes: 3, skipDisposable: true })).toEqual(plain);
  });
}
