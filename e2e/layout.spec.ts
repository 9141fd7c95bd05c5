/**
 * Narrow windows: a person on a 1024 px wide screen can reach every control
 * of Library, Inspect and Curate (nothing cut off, no sideways scrolling of
 * the page), and at 1280 px it is comfortable: the decisions sit on one line,
 * the filmstrips are in view under the players, the recipe menu shows whole
 * names, and parameter labels are not a column of single words.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Locator, type Page, expect, test } from '@playwright/test';
import { makePair } from '../src/pairs';
import { addFiles, card, openFreshApp, wrappedTexts } from './app';

/**
 * Why `el` is not fully visible, or null: outside the window horizontally, or
 * cut by an ancestor that hides its overflow.
 */
async function clipping(el: Locator): Promise<string | null> {
  return el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const name = `${node.tagName.toLowerCase()}${(node as HTMLElement).dataset.testid ? `[${(node as HTMLElement).dataset.testid}]` : ''} "${(node.textContent ?? '').trim().slice(0, 30)}"`;
    if (r.width === 0 || r.height === 0) return `${name} has no size`;
    if (r.left < -0.5 || r.right > window.innerWidth + 0.5) return `${name} spans x ${r.left.toFixed(0)}-${r.right.toFixed(0)}, the window is ${window.innerWidth} wide`;
    for (let a = node.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const b = a.getBoundingClientRect();
      if (r.left < b.left - 0.5 || r.right > b.right + 0.5) return `${name} is cut by ${a.tagName.toLowerCase()}.${a.className} (x ${r.left.toFixed(0)}-${r.right.toFixed(0)} inside ${b.left.toFixed(0)}-${b.right.toFixed(0)})`;
    }
    return null;
  });
}

async function expectUncut(locators: Locator[]) {
  const problems: string[] = [];
  for (const l of locators) for (const el of await l.all()) {
    const why = await clipping(el);
    if (why) problems.push(why);
  }
  expect(problems).toEqual([]);
}

/** The page itself never scrolls sideways. */
async function expectNoSideScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(await page.evaluate(() => window.innerWidth));
}

/** Options of a select whose text is wider than the select shows. */
async function truncatedOptions(select: Locator): Promise<string[]> {
  return select.evaluate((node) => {
    const sel = node as HTMLSelectElement;
    const ctx = document.createElement('canvas').getContext('2d')!;
    const style = getComputedStyle(sel);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    // The text area: the select's width less its padding, border and the arrow (about 20 px in Chromium).
    const room = sel.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    return [...sel.options].filter((o) => ctx.measureText(o.text).width > room).map((o) => o.text);
  });
}

/** How many lines the label's own text (before its field) takes. */
async function labelLines(label: Locator): Promise<number> {
  return label.evaluate((node) => {
    const text = [...node.childNodes].find((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim());
    if (!text) return 0;
    const range = document.createRange();
    range.selectNodeContents(text);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
}

async function libraryWithVideos(page: Page) {
  await openFreshApp(page);
  await addFiles(page, ['avc.mp4', 'long.mp4']);
  await expect(card(page, 'long.mp4')).toHaveAttribute('data-status', 'ready');
  await card(page, 'avc.mp4').click();
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
}

async function shows(page: Page, recipe: string) {
  await expect(page.getByTestId('inspect')).toHaveAttribute('data-spec', new RegExp(`"recipe":"${recipe.replaceAll('.', '\\.')}"`));
  await expect(page.getByTestId('inspect-progress')).toHaveCount(0);
}

/** Opens a view from the navigation (the keys are tested elsewhere). */
const openView = (page: Page, name: 'Inspect' | 'Curate') => page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name }).click();

async function curateOnePair(page: Page) {
  await openView(page, 'Curate');
  await expect(page.getByTestId('curate')).toBeVisible();
  const pair = makePair({
    id: 'p1', query: 'What happens first?', chosen: 'A', rejected: 'B', category: 'cross-frame',
    video: { path: 'clips/a-rather-long-folder-name/long.mp4', duration_s: 30, native_fps: 30 },
    adversary: { category: 'cross-frame', recipe: 'visual.cross-frame.identity-swap', params: { other: 'avc.mp4' }, seed: 0 }, margin: 0.47,
  }, 1);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'pasta-layout-')), 'pairs.jsonl');
  writeFileSync(file, JSON.stringify(pair));
  await page.getByTestId('pairs-file-input').setInputFiles(file);
  await expect(page.getByTestId('pair-panel')).toHaveAttribute('data-id', 'p1');
}

for (const width of [1024, 1280]) {
  test.describe(`at ${width} px wide`, () => {
    test.use({ viewport: { width, height: 800 } });

    test('every control of the header, Library, Inspect and Curate is in view, none cut off', async ({ page }) => {
      await libraryWithVideos(page);
      const header = page.locator('header.topbar');
      await expectNoSideScroll(page);
      expect(await wrappedTexts(page.locator('[data-testid="video-card"] dd')), 'card metadata values stay on one line').toEqual([]);
      await expectUncut([header.getByRole('button'), card(page, 'avc.mp4').locator('[data-field]'), page.getByRole('region', { name: 'Selected video' }).locator('select, input')]);

      await openView(page, 'Inspect');
      await shows(page, 'paper.spatial');
      await page.keyboard.press('3');
      await page.getByTestId('recipe-select').selectOption('visual.cross-frame.splice');
      await shows(page, 'visual.cross-frame.splice');
      await expectNoSideScroll(page);
      const side = page.getByTestId('inspect-side');
      await expectUncut([
        header.getByRole('button'), page.getByRole('tab'), page.getByTestId('overlay-toggle'), page.getByTestId('grid-toggle'),
        side.locator('select, input, button'), page.getByTestId('preferred-strip'), page.getByTestId('adversarial-strip'),
      ]);
      expect(await truncatedOptions(page.getByTestId('recipe-select')), 'recipe names shown whole').toEqual([]);
      for (const label of await page.getByTestId('adversary-controls').locator('label').all()) {
        expect(await labelLines(label), `"${(await label.innerText()).split('\n')[0]}"`).toBeLessThanOrEqual(2);
      }

      await curateOnePair(page);
      await expectNoSideScroll(page);
      await expectUncut([header.getByRole('button'), page.getByTestId('pair-counts'), page.getByTestId('pair-actions').getByRole('button'), page.getByTestId('open-export')]);
      // The export dialog fits the window (it scrolls inside), so its Export button can be reached.
      await page.getByTestId('open-export').click();
      await expect(page.getByTestId('export-run')).toBeVisible();
      await page.getByTestId('export-run').scrollIntoViewIfNeeded();
      await expect(page.getByTestId('export-run')).toBeInViewport({ ratio: 1 });
      await expectUncut([page.getByTestId('export-run')]);
      await page.getByTestId('export-dialog').getByRole('button', { name: 'Close' }).click();
      await expect(page.getByTestId('export-dialog')).toHaveCount(0);
      // Accept, Reject, Swap and Edit on one line.
      const tops = await page.getByTestId('pair-actions').getByRole('button').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      expect(new Set(tops).size, `button tops ${tops.join(', ')}`).toBe(1);
    });

    test('Inspect shows the filmstrips under the players, without a large empty area between them', async ({ page }) => {
      await libraryWithVideos(page);
      await openView(page, 'Inspect');
      await shows(page, 'paper.spatial');
      const players = await page.getByTestId('adversarial-player').boundingBox();
      const strip = page.getByTestId('preferred-strip');
      await expect(strip.getByTestId('view-tile').first()).toBeInViewport({ ratio: 1 });
      const stripBox = await strip.boundingBox();
      expect(stripBox!.y - (players!.y + players!.height), 'gap between the players and the first filmstrip').toBeLessThan(120);
    });
  });
}
