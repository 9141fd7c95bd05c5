/**
 * Curating: a person imports pairs (some malformed), decides with the
 * keyboard, reloads, and exports a zip that trainers can read.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { exportPairs } from '../src/export';
import { type PreferencePair, makePair } from '../src/pairs';
import { addFiles, card, openFreshApp, screenshot, wrappedTexts } from './app';

const spec = (recipe: string, category: 'spatial' | 'temporal' | 'cross-frame') => ({ category, recipe, params: {}, seed: 3 });
const base = (i: number, over: Partial<PreferencePair> = {}) =>
  makePair({ id: `pair-${i}`, query: `Question ${i}: what happens after the first event?`, chosen: `Chosen answer ${i}`, rejected: `Rejected answer ${i}`, video: { path: 'clips/avc.mp4', duration_s: 2, native_fps: 30 }, created_at: 1000 + i, ...over }, 1000 + i);

function pairFile(): string {
  const canonical = [
    base(1, { category: 'temporal', adversary: spec('visual.temporal.reverse', 'temporal'), margin: 1.5 }),
    base(2, { category: 'spatial', adversary: spec('visual.spatial.mirror', 'spatial'), margin: 0.2 }),
    base(3, { category: 'cross-frame', adversary: spec('paper.cross-frame', 'cross-frame') }),
    base(4, { category: 'temporal', adversary: spec('paper.temporal', 'temporal'), chosen: '<img src=x onerror="window.__xss = 1"><b>bold?</b>' }),
    base(5, { category: 'temporal', video: { path: 'missing/elsewhere.mp4', duration_s: 5, native_fps: 25 } }),
  ].map((p) => JSON.stringify(p));
  const trl = exportPairs([base(6)], 'trl').text.trim();
  const swift = exportPairs([base(7)], 'ms-swift').text.trim();
  return [canonical[0], canonical[1], '{"id": "broken", ', canonical[2], JSON.stringify({ ...base(8), rejected: undefined }), canonical[3], canonical[4], trl, swift].join('\n');
}

async function importFile(page: Page) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pasta-pairs-'));
  const file = path.join(dir, 'pairs.jsonl');
  writeFileSync(file, pairFile());
  await page.getByTestId('pairs-file-input').setInputFiles(file);
  await expect(page.getByTestId('import-count')).toHaveText('7');
}

const rowStatus = (page: Page, id: string) => page.locator(`[data-testid="queue-row"][data-id="${id}"]`);

test('import names malformed lines and keeps the rest; text is shown as text; decisions by keyboard survive a reload; undo', async ({ page }) => {
  await openFreshApp(page);
  await addFiles(page, ['avc.mp4']);
  await expect(card(page, 'avc.mp4')).toHaveAttribute('data-status', 'ready');
  await page.keyboard.press('c');
  await expect(page.getByTestId('curate-empty')).toBeVisible();
  // The header names the open project (the store's, not a fixed label).
  await expect(page.getByTestId('current-project')).toHaveText('Project: Default');
  await importFile(page);
  const errors = page.getByTestId('import-errors');
  await expect(errors.locator('li')).toHaveCount(2);
  await expect(errors).toContainText('line 3: (line) not valid JSON');
  await expect(errors).toContainText('line 5: rejected "rejected" is missing');
  await expect(page.getByTestId('import-unmatched')).toContainText('missing/elsewhere.mp4');
  await expect(page.getByTestId('pair-counts').locator('tr[data-category="all"] td[data-status="pending"]')).toHaveText('7');

  // The first pair, with its frames rebuilt from its adversary spec.
  await expect(page.getByTestId('pair-panel')).toHaveAttribute('data-id', 'pair-1');
  await expect(page.getByTestId('pair-adversarial').locator('[data-testid="view-tile"]')).toHaveCount(32);
  await screenshot(page, 'curate.png');

  await page.keyboard.press('Enter'); // accept pair-1, on to pair-2
  await expect(rowStatus(page, 'pair-1')).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId('pair-panel')).toHaveAttribute('data-id', 'pair-2');
  await page.keyboard.press('Backspace'); // reject pair-2
  await expect(rowStatus(page, 'pair-2')).toHaveAttribute('data-status', 'rejected');
  await expect(page.getByTestId('pair-panel')).toHaveAttribute('data-id', 'pair-3');
  await page.keyboard.press('s'); // swap pair-3
  await expect(page.getByTestId('pair-chosen')).toHaveText('Rejected answer 3');
  await page.keyboard.press('Control+z'); // undo the swap
  await expect(page.getByTestId('pair-chosen')).toHaveText('Chosen answer 3');
  await page.keyboard.press('e');
  await page.getByTestId('edit-chosen').fill('A better chosen answer');
  await page.getByTestId('edit-tags').fill('hard, left-right');
  await page.getByTestId('save-edit').click();
  await expect(page.getByTestId('pair-chosen')).toHaveText('A better chosen answer');
  await expect(page.getByTestId('pair-tags')).toHaveText('hardleft-right');
  await page.keyboard.press('Enter'); // accept pair-3
  // pair-4's answer is markup from an untrusted file: shown as text, never run.
  await expect(page.getByTestId('pair-panel')).toHaveAttribute('data-id', 'pair-4');
  await expect(page.getByTestId('pair-chosen')).toHaveText('<img src=x onerror="window.__xss = 1"><b>bold?</b>');
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(page.getByTestId('pair-panel').locator('img, b')).toHaveCount(0);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('pair-panel')).toHaveAttribute('data-id', 'pair-3');

  await page.reload();
  await expect(page.getByTestId('curate')).toBeVisible();
  await expect(rowStatus(page, 'pair-1')).toHaveAttribute('data-status', 'accepted');
  await expect(rowStatus(page, 'pair-2')).toHaveAttribute('data-status', 'rejected');
  await expect(rowStatus(page, 'pair-3')).toHaveAttribute('data-status', 'accepted');
  await expect(page.getByTestId('pair-panel')).toHaveAttribute('data-id', 'pair-3');
  await expect(page.getByTestId('pair-chosen')).toHaveText('A better chosen answer');
  await expect(page.getByTestId('pair-counts').locator('tr[data-category="all"] td[data-status="accepted"]')).toHaveText('2');

  // Bulk: accept every temporal pair at once.
  await page.getByTestId('filter-category').selectOption('temporal');
  await page.keyboard.press('b');
  await page.getByTestId('select-all').click();
  await page.getByTestId('bulk-accept').click();
  await expect(page.getByTestId('pair-counts').locator('tr[data-category="temporal"] td[data-status="accepted"]')).toHaveText('3');
  await page.keyboard.press('?');
  for (const d of ['Accept the pair', 'Reject the pair', 'Swap chosen and rejected', 'Edit the pair', 'Next pair', 'Undo the last curation action']) await expect(page.getByTestId('shortcut-list')).toContainText(d);
});

test('pair frame captions stay whole ("0.47 s", "⇠ new"), and "⇠ new" is explained as Inspect says it', async ({ page }) => {
  await openFreshApp(page);
  await addFiles(page, ['long.mp4']);
  await expect(card(page, 'long.mp4')).toHaveAttribute('data-status', 'ready');
  await page.keyboard.press('c');
  // The paper's cross-frame views of a 30 s video: most of its 1 fps frames are not among the 32 uniform ones.
  const pair = base(1, { category: 'cross-frame', adversary: spec('paper.cross-frame', 'cross-frame'), video: { path: 'long.mp4', duration_s: 30, native_fps: 30 } });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pasta-pairs-')), 'one.jsonl');
  writeFileSync(file, JSON.stringify(pair));
  await page.getByTestId('pairs-file-input').setInputFiles(file);
  const origins = page.getByTestId('pair-adversarial').getByTestId('tile-origin');
  await expect(origins.filter({ hasText: '⇠ new' }).first()).toBeVisible();
  expect(await wrappedTexts(page.getByTestId('pair-frames').locator('figcaption > span'))).toEqual([]);
  await expect(page.getByTestId('pair-frames').getByTestId('origin-legend')).toContainText('⇠ new: not in the preferred view');
  await expect(origins.filter({ hasText: '⇠ new' }).first()).toHaveAttribute('title', 'not in the preferred view');
});

test('export: a TRL zip whose image lists resolve to JPEG frames, with a manifest of specs and seeds; LLaMA-Factory with dataset_info.json', async ({ page }) => {
  await openFreshApp(page);
  await addFiles(page, ['avc.mp4']);
  await expect(card(page, 'avc.mp4')).toHaveAttribute('data-status', 'ready');
  await page.keyboard.press('c');
  await importFile(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Enter'); // accept pair-1, 2, 3
  await page.keyboard.press('x');
  await expect(page.getByTestId('export-count')).toContainText('3 pairs');
  await page.getByTestId('export-format').selectOption('trl');
  await page.getByTestId('export-clips').check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  expect(download.suggestedFilename()).toBe('pasta_dpo.trl.zip');
  const zip = unzipSync(new Uint8Array(readFileSync(await download.path())));
  const records = new TextDecoder().decode(zip['pasta_dpo.trl.jsonl']).trim().split('\n').map((l) => JSON.parse(l));
  expect(records.map((r) => r.id)).toEqual(['pair-1', 'pair-2', 'pair-3']);
  for (const r of records) {
    expect(r.images.length).toBe(32);
    for (const img of r.images) {
      expect(zip[img], img).toBeDefined();
      expect([zip[img][0], zip[img][1]]).toEqual([0xff, 0xd8]); // JPEG
    }
  }
  const manifest = JSON.parse(new TextDecoder().decode(zip['manifest.json']));
  expect(manifest.pairs.map((p: { id: string }) => p.id)).toEqual(['pair-1', 'pair-2', 'pair-3']);
  expect(manifest.pairs[0].adversary).toEqual({ category: 'temporal', recipe: 'visual.temporal.reverse', params: {}, seed: 3 });
  expect(manifest.pairs[0].adversary_kind).toBe('visual (PASTA Workbench extension)');
  expect(manifest.pairs[2].adversary_kind).toBe('paper (VideoPASTA)');
  expect(manifest.pairs[0].train_frames).toHaveLength(32);
  expect(manifest.pairs[0].views.adversarial[0].index).toBe(manifest.pairs[0].views.preferred.at(-1).index); // reversed
  expect(zip[manifest.pairs[0].views.adversarial[0].file]).toBeDefined();
  expect(zip[manifest.pairs[0].clip.file].length).toBeGreaterThan(1000);
  expect(new TextDecoder().decode(zip[manifest.pairs[0].clip.file].subarray(4, 8))).toBe('ftyp'); // MP4
  expect(JSON.stringify(manifest)).not.toMatch(/\/tmp\/|\/home\/|C:\\\\/);

  await page.getByTestId('export-format').selectOption('llama-factory');
  await page.getByTestId('export-frames').uncheck();
  await page.getByTestId('export-clips').uncheck();
  const [lf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  const lfZip = unzipSync(new Uint8Array(readFileSync(await lf.path())));
  const info = JSON.parse(new TextDecoder().decode(lfZip['dataset_info.json']));
  expect(info.pasta_dpo).toMatchObject({ formatting: 'sharegpt', ranking: true });
  const lfRecords = new TextDecoder().decode(lfZip[info.pasta_dpo.file_name]).trim().split('\n').map((l) => JSON.parse(l));
  expect(lfRecords).toHaveLength(3);
  expect(lfRecords[0].videos).toEqual(['clips/avc.mp4']);
});
