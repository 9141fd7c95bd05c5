/**
 * Inspector redraw benchmark: how long a recipe or seed switch takes to show
 * new pixels on 32 frames (frames cached, pixel ops in a Worker), against the
 * first view of the same video, which decodes (the reference, same run).
 * Target: a switch redraws in under 100 ms.
 *
 * Usage: npm run bench:inspect -- [video] [--switches N] [--dist DIR]
 *   video  default ../shared/media/bottle-detection.mp4
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { findChromium } from './find-tools.mjs';
import { ensureBuild, startPreview } from './preview-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const switches = Number(option('--switches', '12'));
const dist = path.resolve(ROOT, option('--dist', process.env.PASTA_DIST ?? 'dist'));
const video = path.resolve(argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? path.join(ROOT, '../shared/media/bottle-detection.mp4'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Presses `key` and returns ms until the inspector shows a spec other than the
 * one before it, painted (next animation frame). Plain source text: tsx would
 * add helpers to a function that do not exist in the page.
 */
function timeKey(page: Page, key: string): Promise<number> {
  return page.evaluate(`new Promise((resolve) => {
    const spec = () => document.querySelector('[data-testid="inspect"]')?.getAttribute('data-spec') || null;
    const before = spec();
    const t0 = performance.now();
    const poll = () => (spec() && spec() !== before ? resolve(performance.now() - t0) : requestAnimationFrame(poll));
    window.dispatchEvent(new KeyboardEvent('keydown', { key: ${JSON.stringify(key)} }));
    requestAnimationFrame(poll);
  })`);
}

async function main() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run `node scripts/ensure-tools.mjs`');
  ensureBuild(ROOT, dist, 'index.html');
  const { port, child } = await startPreview(ROOT, dist, 'index.html');
  const browser = await chromium.launch({ executablePath, args: ['--enable-unsafe-webgpu'] });
  try {
    const page = await browser.newPage({ baseURL: `http://127.0.0.1:${port}`, viewport: { width: 1440, height: 900 } });
    await page.goto('/');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.getByTestId('file-input').setInputFiles(video);
    const card = page.locator('[data-testid="video-card"]').first();
    await card.click();
    await page.locator('[data-testid="video-card"][data-status="ready"]').first().waitFor();
    // First view: decodes the frames (the reference).
    const cold = await timeKey(page, 'i');
    await page.keyboard.press('2');
    await page.getByTestId('recipe-select').selectOption('visual.temporal.shuffle');
    await page.locator('[data-testid="inspect"][data-spec*="shuffle"]').waitFor();
    const reroll: number[] = [];
    for (let i = 0; i < switches; i++) reroll.push(await timeKey(page, 'r'));
    await page.keyboard.press('1');
    await page.getByTestId('recipe-select').selectOption('visual.spatial.mirror');
    await page.locator('[data-testid="inspect"][data-spec*="mirror"]').waitFor();
    const pixels: number[] = [];
    for (let i = 0; i < switches; i++) pixels.push(await timeKey(page, 'r'));
    const patch: number[] = [];
    await page.getByTestId('recipe-select').selectOption('visual.spatial.patch-shuffle');
    await page.locator('[data-testid="inspect"][data-spec*="patch"]').waitFor();
    for (let i = 0; i < switches; i++) patch.push(await timeKey(page, 'r'));
    const warm = median([...reroll, ...pixels, ...patch]);
    console.log(`video ${path.basename(video)}; 32 uniform frames at 224 px`);
    console.log(`first view (decodes):                 ${cold.toFixed(0)} ms`);
    console.log(`re-roll, temporal shuffle (order):    median ${median(reroll).toFixed(1)} ms  [${reroll.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`re-roll, mirror (pixels, Worker):     median ${median(pixels).toFixed(1)} ms  [${pixels.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`re-roll, patch shuffle (pixels):      median ${median(patch).toFixed(1)} ms  [${patch.map((x) => x.toFixed(0)).join(', ')}]`);
    console.log(`ratio first view / switch = ${(cold / warm).toFixed(1)}; target: a switch under 100 ms: ${warm < 100 ? 'met' : 'not met'}`);
    console.log(JSON.stringify({ video: path.basename(video), first_view_ms: Math.round(cold), switch_order_ms: median(reroll), switch_mirror_ms: median(pixels), switch_patch_ms: median(patch), switch_median_ms: warm, ratio_first_view_vs_switch: cold / warm }));
  } finally {
    await browser.close();
    if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
