import { expect, test } from '@playwright/test';
import { PATTERN_FIXTURES, fixturePath, openHarness, serveFile } from './fixtures';

type Name = keyof typeof PATTERN_FIXTURES;

async function sample(page: import('@playwright/test').Page, name: Name, spec: object, maxSide = 224) {
  const url = await serveFile(page, name, fixturePath(name));
  return page.evaluate(([u, s, m]) => window.pastaHarness.sample(u as string, { spec: s as never, maxSide: m as number }), [url, spec, maxSide] as const);
}

test.beforeEach(async ({ page }) => openHarness(page));

for (const name of ['avc.mp4', 'vp9.webm', 'av1.webm', 'avc.mkv', 'ntsc.mp4'] as const) {
  test(`${name}: every sampled frame is the frame the plan named (pixels)`, async ({ page }) => {
    const result = await sample(page, name, { mode: 'uniform', n: 32 });
    const fixture = PATTERN_FIXTURES[name];
    expect(result.probe.frameCount).toBe('frameCount' in fixture ? fixture.frameCount : 0);
    expect(result.frames).toHaveLength(32);
    for (const f of result.frames) {
      expect(f.pattern.margin, `frame ${f.index} is clean`).toBeGreaterThan(40);
      expect(f.pattern.index, `slot ${f.slot}`).toBe(f.index);
    }
    expect(result.frames[0].width).toBe(224);
    expect(result.frames[0].height).toBe(168);
  });
}

test('Qwen nframes plan decodes the exact frames', async ({ page }) => {
  const result = await sample(page, 'avc.mp4', { mode: 'qwen-nframes', n: 8 });
  expect(result.frames.map((f) => f.index)).toEqual([0, 8, 17, 25, 34, 42, 51, 59]);
  expect(result.frames.map((f) => f.pattern.index)).toEqual([0, 8, 17, 25, 34, 42, 51, 59]);
});
