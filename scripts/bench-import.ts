/**
 * Import benchmark: a 10,000-pair canonical JSONL file imported in the
 * Curate view (parse, check, store in IndexedDB, show), timed from choosing the
 * file to the count on screen, against JSON.parse of every line in the same
 * page (the floor any import has). Target: under 5 s.
 *
 * Usage: npm run bench:import -- [--pairs N] [--dist DIR]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { makePair } from '../src/pairs';
import { findChromium } from './find-tools.mjs';
import { ensureBuild, startPreview } from './preview-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const count = Number(option('--pairs', '10000'));
const dist = path.resolve(ROOT, option('--dist', process.env.PASTA_DIST ?? 'dist'));

async function main() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run `node scripts/ensure-tools.mjs`');
  const categories = ['spatial', 'temporal', 'cross-frame'] as const;
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify(
      makePair({
        id: `bench-${i}`,
        category: categories[i % 3],
        query: `What happens to the object after event ${i}? ${'detail '.repeat(i % 20)}`,
        chosen: `It moves to the left of the table, then leaves the scene (${i}).`,
        rejected: `It stays exactly where it was the whole time (${i}).`,
        video: { path: `videos/clip_${i % 500}.mp4`, duration_s: 30, native_fps: 30 },
        adversary: { category: categories[i % 3], recipe: `paper.${categories[i % 3]}`, params: {}, seed: i },
      }, 1000 + i),
    ),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'pasta-bench-import-'));
  const file = path.join(dir, 'pairs-10k.jsonl');
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, text);
  ensureBuild(ROOT, dist, 'index.html');
  const { port, child } = await startPreview(ROOT, dist, 'index.html');
  const browser = await chromium.launch({ executablePath });
  try {
    const page = await browser.newPage({ baseURL: `http://127.0.0.1:${port}`, viewport: { width: 1440, height: 900 } });
    await page.goto('/');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.getByRole('link', { name: 'Curate' }).click();
    await page.getByTestId('curate-empty').waitFor();
    const t0 = Date.now();
    await page.getByTestId('pairs-file-input').setInputFiles(file);
    await page.locator(`[data-testid="import-count"]:text-is("${count}")`).waitFor({ timeout: 120_000 });
    const importMs = Date.now() - t0;
    const parseMs = (await page.evaluate(
      `(() => { const t = ${JSON.stringify(text)}; const t0 = performance.now(); for (const l of t.split('\\n')) if (l) JSON.parse(l); return performance.now() - t0; })()`,
    )) as number;
    await page.reload();
    const t1 = Date.now();
    await page.locator('[data-testid="pair-counts"] tr[data-category="all"] td[data-status="all"]').filter({ hasText: String(count) }).waitFor({ timeout: 120_000 });
    const reloadMs = Date.now() - t1;
    console.log(`${count} canonical pairs, ${(text.length / 1e6).toFixed(1)} MB`);
    console.log(`import (read, check, store in IndexedDB, show): ${importMs} ms; target under 5000 ms: ${importMs < 5000 ? 'met' : 'not met'}`);
    console.log(`reference, JSON.parse of every line in the page: ${parseMs.toFixed(0)} ms; ratio import / parse = ${(importMs / parseMs).toFixed(1)}`);
    console.log(`reload until the counts show all ${count}: ${reloadMs} ms`);
    console.log(JSON.stringify({ pairs: count, import_ms: importMs, parse_ms: Math.round(parseMs), ratio_import_vs_parse: importMs / parseMs, reload_ms: reloadMs }));
  } finally {
    await browser.close();
    if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
