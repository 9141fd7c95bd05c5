/**
 * The inspector: a person opens a video, looks at each category's adversaries,
 * and what they see is exactly what the recipe says: checked from pixels.
 */
import { type Page, expect, test } from '@playwright/test';
import { type PixelOp, applyAdversary, applyPixelOps } from '../src/adversary';
import { planFrames } from '../src/media/samplers';
import { timelineFromRate } from '../src/media/timeline';
import type { RgbaFrame } from '../src/core/frame';
import { readIndexPattern } from '../src/media/testPattern';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { addFiles, canvasTiles, card, openFreshApp, screenshot } from './app';
import { SHARED_MEDIA, ffmpegPath, fixturePath, hasSharedMedia } from './fixtures';

interface Tile {
  slot: number;
  index: number;
  video: string;
  from: number | null;
  ops: PixelOp[];
  frame: RgbaFrame;
  /** The index the pixels show (pattern videos paint it), or -1 when unreadable. */
  shown: number;
}

async function tiles(page: Page, testId: 'preferred-strip' | 'adversarial-strip'): Promise<Tile[]> {
  return (await canvasTiles(page.getByTestId(testId).locator('[data-testid="view-tile"]'))).map(({ data: d, frame }) => {
    const read = readIndexPattern(frame);
    return { slot: Number(d.slot), index: Number(d.index), video: d.video, from: d.from === '' ? null : Number(d.from), ops: JSON.parse(d.ops ?? '[]'), frame, shown: read.margin > 20 ? read.index : -1 };
  });
}

/** Waits until the inspector shows `recipe` (its spec is drawn). */
async function shows(page: Page, recipe: string) {
  await expect(page.getByTestId('inspect')).toHaveAttribute('data-spec', new RegExp(`"recipe":"${recipe.replaceAll('.', '\\.')}"`));
  await expect(page.getByTestId('inspect-progress')).toHaveCount(0);
}

async function openInspector(page: Page) {
  await openFreshApp(page);
  await addFiles(page, ['avc.mp4', 'long.mp4']);
  await expect(card(page, 'long.mp4')).toHaveAttribute('data-status', 'ready');
  await card(page, 'avc.mp4').click();
  await expect(card(page, 'avc.mp4')).toHaveAttribute('data-status', 'ready');
  await page.keyboard.press('i');
  await shows(page, 'paper.spatial');
}

const pick = async (page: Page, recipe: string) => {
  await page.getByTestId('recipe-select').selectOption(recipe);
  await shows(page, recipe);
};

test('the paper recipes: dense, native-rate and uniform preferred views against 1 fps, every frame the one planned', async ({ page }) => {
  await openInspector(page);
  // avc.mp4: 60 frames at 30 fps, 2 s.
  for (const [key, recipe, preferredCount] of [['1', 'paper.spatial', 60], ['2', 'paper.temporal', 60], ['3', 'paper.cross-frame', 32]] as const) {
    await page.keyboard.press(key);
    await shows(page, recipe);
    const preferred = await tiles(page, 'preferred-strip');
    const adversarial = await tiles(page, 'adversarial-strip');
    expect(preferred).toHaveLength(preferredCount);
    expect(adversarial.map((t) => t.index)).toEqual([15, 45]); // one frame per second, centred
    for (const t of [...preferred, ...adversarial]) expect(t.shown, `${recipe} slot ${t.slot}`).toBe(t.index);
    await expect(page.getByTestId('rewrites').locator('li')).toHaveCount(3);
    await expect(page.getByTestId('recipe-doc')).toContainText('paper');
  }
});

test('order recipes show exactly the preferred frames, reordered as the labels say', async ({ page }) => {
  await openInspector(page);
  await page.keyboard.press('2');
  for (const recipe of ['visual.temporal.reverse', 'visual.temporal.shuffle', 'visual.temporal.local-shuffle', 'visual.temporal.segment-swap']) {
    await pick(page, recipe);
    const preferred = await tiles(page, 'preferred-strip');
    const adversarial = await tiles(page, 'adversarial-strip');
    expect(adversarial).toHaveLength(32);
    expect(adversarial.map((t) => t.from).sort((a, b) => a! - b!)).toEqual(preferred.map((t) => t.slot));
    for (const t of adversarial) {
      expect(t.shown).toBe(preferred[t.from!].shown);
      expect(Buffer.from(t.frame.data).equals(Buffer.from(preferred[t.from!].frame.data))).toBe(true);
    }
    if (recipe.endsWith('reverse')) expect(adversarial[0].shown).toBe(preferred.at(-1)!.shown);
    await expect(page.getByTestId('recipe-doc')).toContainText('extension');
    // Same spec, same result in Node: avc.mp4 is 60 frames at 30 fps.
    const spec = JSON.parse((await page.getByTestId('inspect').getAttribute('data-spec'))!);
    const tl = timelineFromRate(0, 2, 30);
    const inNode = applyAdversary(spec, { video: { id: adversarial[0].video, timeline: tl }, plan: planFrames(tl, { mode: 'uniform', n: 32 }) });
    expect(adversarial.map((t) => [t.index, t.from])).toEqual(inNode.adversarial.frames.map((f) => [f.index, f.from]));
  }
});

test('pixel recipes: the mirrored frame is the flipped original, shuffled patches and swapped regions are exactly the transformed originals', async ({ page }) => {
  await openInspector(page);
  for (const recipe of ['visual.spatial.mirror', 'visual.spatial.patch-shuffle', 'visual.spatial.region-swap']) {
    await pick(page, recipe);
    const preferred = await tiles(page, 'preferred-strip');
    const adversarial = await tiles(page, 'adversarial-strip');
    let changed = 0;
    for (const t of adversarial) {
      expect(t.ops.length).toBe(1);
      const expected = applyPixelOps(preferred[t.from!].frame, t.ops);
      expect(Buffer.from(t.frame.data).equals(Buffer.from(expected.data)), `${recipe} slot ${t.slot}`).toBe(true);
      if (!Buffer.from(t.frame.data).equals(Buffer.from(preferred[t.from!].frame.data))) changed++;
    }
    // Pattern frames have flat regions, so a swap can land on equal pixels; most frames must still change.
    expect(changed, recipe).toBeGreaterThan(adversarial.length / 2);
    if (recipe.endsWith('mirror')) {
      // Independent of applyPixelOps: the first pixel of each row is the last pixel of the original's row.
      const [a, p] = [adversarial[5].frame, preferred[5].frame];
      for (const y of [0, 40, p.height - 1]) {
        const row = y * p.width * 4;
        expect(Array.from(a.data.slice(row, row + 4))).toEqual(Array.from(p.data.slice(row + (p.width - 1) * 4, row + p.width * 4)));
      }
    }
  }
  // The difference overlay shows where the mirror changed pixels.
  await pick(page, 'visual.spatial.mirror');
  await page.keyboard.press('d');
  await expect(page.getByTestId('adversarial-player')).toHaveAttribute('data-overlay', 'true');
});

test('cross-frame recipes: a splice shows the other video\'s frames, a freeze repeats the frame before the gap', async ({ page }) => {
  await openInspector(page);
  await page.keyboard.press('3');
  await page.getByTestId('recipe-select').selectOption('visual.cross-frame.drop-freeze');
  await shows(page, 'visual.cross-frame.drop-freeze');
  let preferred = await tiles(page, 'preferred-strip');
  let adversarial = await tiles(page, 'adversarial-strip');
  const frozen = adversarial.filter((t) => t.from !== t.slot);
  expect(frozen.length).toBe(8); // 25% of 32
  for (const t of frozen) expect(t.shown).toBe(preferred[frozen[0].slot - 1].shown);

  // The splice takes the other library video by default; choosing it explicitly works too.
  await pick(page, 'visual.cross-frame.splice');
  await page.getByTestId('param-other').selectOption({ label: 'long.mp4' });
  await shows(page, 'visual.cross-frame.splice');
  // The spec names the video as pair records do (its path), not by a library id.
  expect(await page.getByTestId('param-other').inputValue()).toBe('long.mp4');
  preferred = await tiles(page, 'preferred-strip');
  adversarial = await tiles(page, 'adversarial-strip');
  const spliced = adversarial.filter((t) => t.video !== preferred[0].video);
  expect(spliced.length).toBe(8);
  for (const t of spliced) {
    expect(t.from).toBeNull();
    expect(t.shown).toBe(t.index); // long.mp4's own frame, decoded for this slot
  }
  await expect(page.getByTestId('adversarial-strip').getByTestId('tile-origin').filter({ hasText: 'long.mp4' })).toHaveCount(8);
});

test('a copied splice spec names its video by file name and works in another library; a missing video is named', async ({ page, browser }) => {
  await openInspector(page);
  await page.keyboard.press('3');
  await pick(page, 'visual.cross-frame.splice');
  await page.getByText('Spec as JSON').click();
  const copied = await page.getByTestId('spec-json').innerText();
  expect(JSON.parse(copied).params.other).toBe('long.mp4');
  expect(copied).not.toMatch(/"v-/);
  const firstIds = new Set((await tiles(page, 'adversarial-strip')).map((t) => t.video));

  // Another browser: a fresh profile whose library holds the same files under other ids.
  const other = await browser.newContext();
  const there = await other.newPage();
  await openFreshApp(there);
  await there.getByTestId('file-input').setInputFiles((['avc.mp4', 'long.mp4'] as const).map((name) => ({ name, mimeType: 'video/mp4', buffer: readFileSync(fixturePath(name)) })));
  await expect(card(there, 'long.mp4')).toHaveAttribute('data-status', 'ready');
  await card(there, 'avc.mp4').click();
  await expect(card(there, 'avc.mp4')).toHaveAttribute('data-status', 'ready');
  await there.keyboard.press('i');
  await shows(there, 'paper.spatial');
  await there.getByText('Spec as JSON').click();
  await there.getByTestId('spec-input').fill(copied);
  await there.getByTestId('apply-spec').click();
  await shows(there, 'visual.cross-frame.splice');
  await expect(there.getByTestId('adversary-error')).toHaveCount(0);
  const thereTiles = await tiles(there, 'adversarial-strip');
  const thereSpliced = thereTiles.filter((t) => t.video !== thereTiles[0].video);
  expect(thereSpliced.length).toBe(8);
  for (const t of thereSpliced) expect(firstIds.has(t.video), 'another library, other ids').toBe(false);
  await expect(there.getByTestId('adversarial-strip').getByTestId('tile-origin').filter({ hasText: 'long.mp4' })).toHaveCount(8);

  // A spec naming a video this library lacks: a named, visible error, and the view stays.
  await there.getByTestId('spec-input').fill(copied.replace('long.mp4', 'bottles.mp4'));
  await there.getByTestId('apply-spec').click();
  await expect(there.getByTestId('adversary-error')).toBeVisible();
  await expect(there.getByTestId('adversary-error')).toContainText('MissingVideoError (params.other)');
  await expect(there.getByTestId('adversary-error')).toContainText('video "bottles.mp4" named by "other" is not in the library');
  await other.close();
});

test('query slots are placeholders to fill: empty boxes with an example, the example words marked in the queries', async ({ page }) => {
  await openInspector(page);
  const panel = page.getByTestId('query-panel');
  await expect(panel.getByTestId('slot-hint')).toContainText('Fill in: what is in your video');
  const inputs = panel.locator('input[data-testid^="slot-"]');
  const n = await inputs.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    await expect(inputs.nth(i)).toHaveValue('');
    await expect(inputs.nth(i)).toHaveAttribute('placeholder', /^e\.g\. \S/);
  }
  const first = inputs.first();
  const slot = (await first.getAttribute('data-testid'))!.replace('slot-', '');
  const aligned = panel.getByTestId('aligned-query');
  await expect(aligned.locator(`[data-testid="slot-placeholder"][data-slot="${slot}"]`)).not.toHaveCount(0);
  await expect(panel.getByTestId('rewrites').getByTestId('slot-placeholder').first()).toBeVisible();

  // Filled in, the slot is no longer a placeholder: its words are the user's.
  await first.fill('green bottle');
  await first.blur();
  await expect(aligned).toContainText('green bottle');
  await expect(aligned.locator(`[data-testid="slot-placeholder"][data-slot="${slot}"]`)).toHaveCount(0);
  await expect(first).toHaveAttribute('data-filled', 'true');
});

test('bad specs: an unknown recipe, a parameter out of range and a missing spliced video are named, and the view stays as it was', async ({ page }) => {
  await openInspector(page);
  await page.keyboard.press('2');
  await pick(page, 'visual.temporal.reverse');
  const before = await page.getByTestId('inspect').getAttribute('data-spec');
  const beforeTiles = (await tiles(page, 'adversarial-strip')).map((t) => t.shown);

  await page.getByText('Spec as JSON').click();
  const paste = async (spec: object) => {
    await page.getByTestId('spec-input').fill(JSON.stringify(spec));
    await page.getByTestId('apply-spec').click();
  };
  await paste({ category: 'temporal', recipe: 'visual.temporal.wobble', params: {}, seed: 0 });
  await expect(page.getByTestId('adversary-error')).toContainText('UnknownRecipeError');
  await expect(page.getByTestId('adversary-error')).toContainText('unknown recipe "visual.temporal.wobble"');

  await paste({ category: 'cross-frame', recipe: 'visual.cross-frame.splice', params: { other: 'no-such-video' }, seed: 0 });
  await expect(page.getByTestId('adversary-error')).toContainText('MissingVideoError');

  await paste({ category: 'temporal', recipe: 'visual.temporal.shuffle', params: { fraction: 3 }, seed: 0 });
  await expect(page.getByTestId('adversary-error')).toContainText('ParamOutOfRangeError (params.fraction)');

  await pick(page, 'visual.temporal.shuffle');
  const shuffled = await page.getByTestId('inspect').getAttribute('data-spec');
  await page.getByTestId('param-fraction').fill('7');
  await expect(page.getByTestId('adversary-error')).toContainText('fraction = 7 is out of range');
  await expect(page.getByTestId('inspect')).toHaveAttribute('data-spec', shuffled!);

  await pick(page, 'visual.temporal.reverse');
  await expect(page.getByTestId('adversary-error')).toHaveCount(0);
  expect(await page.getByTestId('inspect').getAttribute('data-spec')).toBe(before);
  expect((await tiles(page, 'adversarial-strip')).map((t) => t.shown)).toEqual(beforeTiles);
});

test('keyboard: categories, re-roll, play, frame step, the grid of all categories, and ? lists the shortcuts; the choice survives a reload', async ({ page }) => {
  await openInspector(page);
  await page.keyboard.press('2');
  await pick(page, 'visual.temporal.shuffle');
  const first = (await tiles(page, 'adversarial-strip')).map((t) => t.from);
  await page.keyboard.press('r');
  await expect(page.getByTestId('inspect')).toHaveAttribute('data-spec', /"seed":1/);
  const rerolled = (await tiles(page, 'adversarial-strip')).map((t) => t.from);
  expect(rerolled).not.toEqual(first);
  await page.getByTestId('seed').fill('0');
  await expect(page.getByTestId('inspect')).toHaveAttribute('data-spec', /"seed":0/);
  expect((await tiles(page, 'adversarial-strip')).map((t) => t.from)).toEqual(first);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // keys typed into a field are the field's

  await expect(page.getByRole('tab', { name: 'Temporal' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('>');
  await page.keyboard.press('>');
  await expect(page.getByTestId('scrubber')).toHaveValue('2');
  await expect(page.getByTestId('adversarial-player')).toHaveAttribute('data-slot', '2');
  await page.keyboard.press('<');
  await expect(page.getByTestId('scrubber')).toHaveValue('1');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveText('Pause');
  await expect(page.getByTestId('scrubber')).not.toHaveValue('1');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toHaveText('Play');

  await page.keyboard.press('?');
  const list = page.getByTestId('shortcut-list');
  for (const d of ['Re-roll the seed', 'Spatial adversaries', 'Play or pause both views', 'Step both views one frame forward', 'Show or hide the difference overlay', 'Show all three categories at once']) {
    await expect(list).toContainText(d);
  }
  await expect(list).not.toContainText('Add video files');
  await page.keyboard.press('Escape');

  await page.keyboard.press('g');
  for (const c of ['spatial', 'temporal', 'cross-frame']) {
    await expect(page.getByTestId(`grid-${c}-adversarial`).locator('canvas').first()).toBeVisible();
  }
  await page.keyboard.press('g');
  await shows(page, 'visual.temporal.shuffle');

  await page.reload();
  await expect(page.getByTestId('inspect')).toHaveAttribute('data-spec', /"recipe":"visual\.temporal\.shuffle".*"seed":0/);
});

test('the README screenshots: a real video, its temporal adversary, and all three categories', async ({ page }) => {
  // Real footage when ../shared/media is there, a pattern fixture otherwise.
  await openFreshApp(page);
  const name = hasSharedMedia ? 'bottle-detection.mp4' : 'avc.mp4';
  await page.getByTestId('file-input').setInputFiles([hasSharedMedia ? path.join(SHARED_MEDIA, name) : fixturePath('avc.mp4'), fixturePath('long.mp4')]);
  await card(page, name).click();
  await expect(card(page, name)).toHaveAttribute('data-status', 'ready');
  await page.keyboard.press('i');
  await shows(page, 'paper.spatial');
  await page.keyboard.press('2');
  await pick(page, 'visual.temporal.reverse');
  await page.keyboard.press('>');
  await page.keyboard.press('>');
  await page.keyboard.press('>');
  // At 1280 px the filmstrips are in view under the players, not below the fold.
  expect(page.viewportSize()?.width).toBe(1280);
  await expect(page.getByTestId('preferred-strip').getByTestId('view-tile').first()).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('adversarial-strip').getByTestId('view-tile').first()).toBeInViewport();
  await screenshot(page, 'inspect.png');
  await page.keyboard.press('1');
  await pick(page, 'visual.spatial.mirror');
  await page.keyboard.press('d');
  await expect(page.getByTestId('adversarial-player')).toHaveAttribute('data-overlay', 'true');
  await screenshot(page, 'inspect-difference.png');
  await page.keyboard.press('d');
  await page.keyboard.press('g');
  for (const c of ['spatial', 'temporal', 'cross-frame']) await expect(page.getByTestId(`grid-${c}-adversarial`).locator('canvas').first()).toBeVisible();
  await screenshot(page, 'inspect-grid.png');
});

test('a 25-minute video in Inspect: the 1 fps view is capped at 768 frames and says so, and the app stays up', async ({ page }) => {
  test.skip(!ffmpegPath, 'ffmpeg makes the long fixture');
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openFreshApp(page);
  await addFiles(page, ['long-25min.mp4']);
  await card(page, 'long-25min.mp4').click();
  await expect(card(page, 'long-25min.mp4')).toHaveAttribute('data-status', 'ready');
  await page.keyboard.press('i');
  await expect(page.getByTestId('inspect')).toHaveAttribute('data-spec', /"recipe":"paper\.spatial"/, { timeout: 120_000 });
  await expect(page.getByTestId('inspect-progress')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByText(/capped at 768 frames \(Qwen2\.5-VL's fps limit\)/)).toBeVisible();
  await expect(page.getByTestId('adversarial-strip').locator('[data-testid="view-tile"]')).toHaveCount(768);
  await expect(page.getByTestId('view-error')).toHaveCount(0);
  expect(errors).toEqual([]);
  // A reload comes back to a working view.
  await page.reload();
  await expect(page.getByTestId('inspect')).toHaveAttribute('data-spec', /"recipe":"paper\.spatial"/, { timeout: 120_000 });
  expect(errors).toEqual([]);
});

test('an HEVC video this browser cannot decode is marked, not offered, as a splice source', async ({ page }) => {
  test.skip(!ffmpegPath, 'ffmpeg makes the HEVC fixture');
  await openFreshApp(page);
  await addFiles(page, ['avc.mp4', 'hevc.mp4', 'long.mp4']);
  await expect(card(page, 'long.mp4')).toHaveAttribute('data-status', 'ready');
  await expect(card(page, 'hevc.mp4')).not.toHaveAttribute('data-status', 'probing');
  await card(page, 'avc.mp4').click();
  await page.keyboard.press('i');
  await shows(page, 'paper.spatial');
  await page.keyboard.press('3');
  await pick(page, 'visual.cross-frame.splice');
  const select = page.getByTestId('param-other');
  const hevc = select.locator('option', { hasText: 'hevc.mp4' });
  await expect(hevc).toBeDisabled();
  await expect(hevc).toHaveText(/cannot be decoded: H\.265|cannot be decoded: HEVC/);
  // The default source is a video that decodes.
  await expect(select.locator('option:checked')).toHaveText('long.mp4');
  await expect(page.getByTestId('adversary-error')).toHaveCount(0);
});
