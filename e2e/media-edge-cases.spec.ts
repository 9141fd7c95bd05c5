/** Files that are valid but unusual: variable frame rate, rotation, no stated duration, 4K, and cancellation. */
import { expect, test, type Page } from '@playwright/test';
import { PATTERN_FIXTURES, fixturePath, openHarness, serveFile } from './fixtures';

async function sample(page: Page, name: keyof typeof PATTERN_FIXTURES, spec: object, maxSide?: number) {
  const url = await serveFile(page, name, fixturePath(name));
  return page.evaluate(([u, s, m]) => window.pastaHarness.sample(u as string, { spec: s as never, maxSide: m as number | undefined }), [url, spec, maxSide] as const);
}

test.beforeEach(async ({ page }) => openHarness(page));

test('variable frame rate: detected, and time-based sampling picks the frame on screen', async ({ page }) => {
  const r = await sample(page, 'vfr.mp4', { mode: 'uniform', n: 8 }, 128);
  expect(r.probe).toMatchObject({ variableRate: true, frameCount: 35 });
  // Last frame at 2.3 s lasts the encoder's default 1/30 s.
  expect(r.probe.duration).toBeCloseTo(2.3 + 1 / 30, 3);
  // Bin centres 0.146, 0.438, 0.729, ... 2.188 s over the fixture's 10 / 40 / 5 fps sections.
  expect(r.frames.map((f) => f.index)).toEqual([1, 4, 7, 10, 22, 30, 31, 33]);
  for (const f of r.frames) expect(f.pattern.index).toBe(f.index);
});

for (const rotation of [90, 180, 270] as const) {
  test(`rotation ${rotation}: reported and applied, frames come out upright`, async ({ page }) => {
    const name = `rotated${rotation}.mp4` as const;
    const sideways = rotation !== 180;
    const r = await sample(page, name, { mode: 'qwen-nframes', n: 4 });
    expect(r.probe).toMatchObject({ rotation, codedWidth: 320, codedHeight: 192, width: sideways ? 192 : 320, height: sideways ? 320 : 192 });
    expect(r.frames[0]).toMatchObject({ width: sideways ? 192 : 320, height: sideways ? 320 : 192 });
    // The pattern was painted unrotated: undo the clockwise rotation, then read it.
    const url = await serveFile(page, name, fixturePath(name));
    const read = await page.evaluate(async ([u, rot]) => {
      const result = await window.pastaHarness.sample(u as string, { spec: { mode: 'qwen-nframes', n: 4 }, pixels: true });
      return result.frames.map((f) => {
        const src = Uint8ClampedArray.from(atob(f.rgba!), (c) => c.charCodeAt(0));
        const W = rot === 180 ? f.width : f.height; // coded size
        const H = rot === 180 ? f.height : f.width;
        const out = new Uint8ClampedArray(W * H * 4);
        for (let y = 0; y < f.height; y++) for (let x = 0; x < f.width; x++) {
          // displayed (x, y) came from coded (cx, cy)
          const [cx, cy] = rot === 90 ? [y, H - 1 - x] : rot === 180 ? [W - 1 - x, H - 1 - y] : [W - 1 - y, x];
          out.set(src.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 4), (cy * W + cx) * 4);
        }
        return window.pastaHarness.readIndexPattern({ width: W, height: H, data: out }).index;
      });
    }, [url, rotation] as const);
    expect(read).toEqual(r.frames.map((f) => f.index));
  });
}

test('a one-frame video: 32 slots of the same frame, decoded once', async ({ page }) => {
  const r = await sample(page, 'one-frame.mp4', { mode: 'uniform', n: 32 }, 64);
  expect(r.probe.frameCount).toBe(1);
  expect(r.notes.join()).toMatch(/frames repeat/);
  expect(r.frames).toHaveLength(32);
  for (const f of r.frames) expect([f.index, f.pattern.index]).toEqual([0, 0]);
});

test('WebM that states neither duration nor cues: still probed, counted and sampled', async ({ page }) => {
  const r = await sample(page, 'no-duration.webm', { mode: 'uniform', n: 10 }, 128);
  expect(r.probe).toMatchObject({ frameCount: 50, countSource: 'counted', variableRate: false });
  expect(r.probe.duration).toBeCloseTo(2, 2);
  for (const f of r.frames) expect(f.pattern.index).toBe(f.index);
});

test('a frame count the container does not state is estimated and marked so when counting is too costly', async ({ page }) => {
  const url = await serveFile(page, 'no-duration.webm', fixturePath('no-duration.webm'));
  // Pretend the file is too large to walk: the count comes from duration x frame rate.
  const r = await page.evaluate((u) => window.pastaHarness.probe(u, { countPacketsBelowBytes: 0 }), url);
  expect(r.probe).toMatchObject({ countSource: 'estimated', frameCount: 50 });
  expect(r.probe.fps).toBeCloseTo(25, 1);
  expect(r.timeline.timestamps).toBeUndefined();
});

test('an estimated timeline (30 fps WebM, millisecond timestamps) still decodes the exact frames', async ({ page }) => {
  const url = await serveFile(page, 'vp9.webm', fixturePath('vp9.webm'));
  const r = await page.evaluate((u) => window.pastaHarness.sample(u, { spec: { mode: 'uniform', n: 32 }, maxSide: 128, probeOptions: { countPacketsBelowBytes: 0 } }), url);
  expect(r.probe).toMatchObject({ countSource: 'estimated', frameCount: 60 });
  for (const f of r.frames) expect(f.pattern.index).toBe(f.index);
});

test('4K video: decoded downscaled to the requested size', async ({ page }) => {
  const r = await sample(page, '4k.mp4', { mode: 'qwen-nframes', n: 8 }, 224);
  expect(r.probe).toMatchObject({ width: 3840, height: 2160 });
  expect(r.frames[0]).toMatchObject({ width: 224, height: 126 });
  for (const f of r.frames) expect(f.pattern.index).toBe(f.index);
});

test('audio track is reported', async ({ page }) => {
  const url = await serveFile(page, 'with-audio.webm', fixturePath('with-audio.webm'));
  const r = await page.evaluate((u) => window.pastaHarness.probe(u), url);
  expect(r.probe).toMatchObject({ hasAudio: true, audioCodec: 'Opus', container: 'WebM', codec: 'vp9' });
  const silent = await page.evaluate((u) => window.pastaHarness.probe(u), await serveFile(page, 'avc.mp4', fixturePath('avc.mp4')));
  expect(silent.probe).toMatchObject({ hasAudio: false, audioCodec: null, container: 'MP4', countSource: 'container' });
});

test('cancelling a decode stops it with CancelledError and the Worker keeps working', async ({ page }) => {
  const url = await serveFile(page, 'avc.mp4', fixturePath('avc.mp4'));
  const r = await page.evaluate((u) => window.pastaHarness.cancelDuring(u, { mode: 'dense', maxFrames: 60 }, 5), url);
  expect(r).toMatchObject({ outcome: 'CancelledError', workerAlive: true });
  expect(r.progressed).toBeGreaterThanOrEqual(5);
  expect(r.progressed).toBeLessThan(60);
});
