/** Helpers for tests that drive the workbench the way a person does. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { LIBRARY_DB_NAME } from '../src/library/libraryDb';
import { DEMOS_OFFERED_KEY } from '../src/ui/demo/demoScenes';
import type { RgbaFrame } from '../src/core/frame';
import { readIndexPattern } from '../src/media/testPattern';
import { fixturePath, type FixtureName } from './fixtures';

export const SCREENSHOT_DIR = path.resolve('docs/screenshots');

/** Forgets everything this origin stored: preferences and the library database. */
export async function clearStorage(page: Page) {
  await page.evaluate(async (dbName) => {
    localStorage.clear();
    await new Promise<void>((resolve) => {
      const r = indexedDB.deleteDatabase(dbName);
      r.onsuccess = r.onerror = r.onblocked = () => resolve();
    });
  }, LIBRARY_DB_NAME);
}

/** Opens the workbench with an empty library and default preferences (as after the first start: no demo videos are added by themselves). */
export async function openFreshApp(page: Page) {
  await page.addInitScript((key) => localStorage.setItem(key, '1'), DEMOS_OFFERED_KEY);
  await page.goto('/');
  await clearStorage(page);
  await page.reload();
  await expect(page.getByText('No videos yet.')).toBeVisible();
}

/** A fresh workbench with one of the real sample videos (../shared/media) in the library, on the Pipeline view. */
export async function openPipelineWith(page: Page, file: string) {
  await openFreshApp(page);
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.locator(`[data-testid="video-card"][data-name="${path.basename(file)}"]`)).not.toHaveAttribute('data-status', 'probing');
  await page.keyboard.press('w');
  await expect(page.getByTestId('pipeline-view')).toBeVisible();
}

export async function addFiles(page: Page, names: FixtureName[]) {
  await page.getByTestId('file-input').setInputFiles(names.map(fixturePath));
}

export const card = (page: Page, name: string): Locator => page.locator(`[data-testid="video-card"][data-name="${name}"]`);

/** Waits for a card to finish probing and returns its metadata fields. */
export async function cardMeta(page: Page, name: string): Promise<Record<string, string>> {
  const c = card(page, name);
  await expect(c).not.toHaveAttribute('data-status', 'probing');
  const fields = c.locator('[data-field]');
  const out: Record<string, string> = {};
  for (const f of await fields.all()) out[(await f.getAttribute('data-field'))!] = (await f.innerText()).replace(/\s+/g, ' ').trim();
  return out;
}

/** Each matched element's data attributes and the pixels of its canvas (moved out of the page as base64). */
export async function canvasTiles(tiles: Locator): Promise<{ data: Record<string, string>; frame: RgbaFrame }[]> {
  const raw = await tiles.evaluateAll((els) =>
    els.map((el) => {
      const c = el.querySelector('canvas')!;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let s = '';
      for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return { data: { ...(el as HTMLElement).dataset } as Record<string, string>, width: c.width, height: c.height, rgba: btoa(s) };
    }),
  );
  return raw.map((t) => ({ data: t.data, frame: { width: t.width, height: t.height, data: new Uint8ClampedArray(Buffer.from(t.rgba, 'base64')) } }));
}

/** Reads every filmstrip tile's pixels and the pattern index they show, next to the index the tile claims. */
export async function filmstripIndices(page: Page): Promise<{ claimed: number; shown: number; margin: number }[]> {
  return (await canvasTiles(page.getByTestId('frame-tile'))).map((t) => {
    const { index, margin } = readIndexPattern(t.frame);
    return { claimed: Number(t.data.index), shown: index, margin };
  });
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name) });
}

/** The texts among `parts` that break across lines (each part's text should stay on one line). */
export async function wrappedTexts(parts: Locator): Promise<string[]> {
  return parts.evaluateAll((els) =>
    els.flatMap((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      return lines.size > 1 ? [el.textContent ?? ''] : [];
    }),
  );
}
