/**
 * A researcher meets the built-in model: the demo videos on first start, the
 * Ask panel, the Evaluate view, and the browser's forward passes checked
 * against Node's. Works with any valid weights in public/models/pasta-tiny/:
 * it checks behaviour and agreement, never accuracy.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import * as ort from 'onnxruntime-node';
import { loadModelFolder } from '../src/model';
import { BuiltinModel } from '../src/respond';
import { generateScene, questionsFor } from '../src/synth';
import { DEMO_SCENES } from '../src/ui/demo/demoScenes';
import { parityItems } from '../src/ui/harness/parityItems';
import { addFiles, card, cardMeta, clearStorage, openFreshApp, screenshot } from './app';

const MODEL_DIR = path.resolve('public/models/pasta-tiny');
// The weights are committed; without them every test here must fail, not skip.
if (!existsSync(path.join(MODEL_DIR, 'model.safetensors'))) throw new Error(`no model weights in ${MODEL_DIR}: run npm run pretrain`);

/** The first start in a browser: nothing stored, not even the note that demo videos were offered. */
async function openFirstStart(page: Page) {
  await page.goto('/harness.html'); // same origin, without the app (which would add the demos while we clear)
  await clearStorage(page);
  await page.goto('/');
}

/** Console errors, uncaught errors and policy violations the page reports (recharts and the model Worker must cause none). */
function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.location().url.endsWith('/favicon.ico')) return; // the browser's own request; the app has no icon
    if (m.type() === 'error' || /Content Security Policy/.test(m.text())) problems.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

const demoCards = (page: Page) => page.locator('[data-testid="video-card"][data-name^="demo-"]');

async function waitForDemos(page: Page) {
  await expect(demoCards(page)).toHaveCount(DEMO_SCENES.length, { timeout: 60_000 });
  for (const c of await demoCards(page).all()) await expect(c).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
}

test('the first start shows the synthetic demo videos: real MP4 files, probed and decodable', async ({ page }) => {
  await openFirstStart(page);
  await waitForDemos(page);
  const names = await demoCards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-name')!));
  for (const name of names) {
    expect(await cardMeta(page, name)).toMatchObject({ container: 'MP4', codec: 'H.264', resolution: '128×128', fps: '8', frames: '32' });
    await expect(card(page, name).locator('img')).toBeVisible(); // thumbnail decoded
  }
  await card(page, names[2]).click();
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);

  // A reload keeps them, once; removing one and asking for the demos brings it back.
  await page.reload();
  await waitForDemos(page);
  await card(page, names[0]).click();
  await page.keyboard.press('Delete');
  await expect(demoCards(page)).toHaveCount(DEMO_SCENES.length - 1);
  await page.getByTestId('add-demo-videos').click();
  await waitForDemos(page);
});

test('an emptied library stays empty after a reload: demo videos come only on the first start or when asked for', async ({ page }) => {
  await openFreshApp(page);
  await page.reload();
  await expect(page.getByText('No videos yet.')).toBeVisible();
  await expect(page.getByTestId('video-card')).toHaveCount(0);
});

test('Ask on a demo video: a generated answer, each option’s log-probability and the ground truth', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 860 });
  const problems = collectProblems(page);
  await openFirstStart(page);
  await waitForDemos(page);
  await page.keyboard.press('a');
  await expect(page.getByTestId('ask-view')).toBeVisible();
  await page.getByTestId('ask-video').first().click();
  const scene = generateScene(DEMO_SCENES[0].split, DEMO_SCENES[0].seed);
  const questions = questionsFor(scene);
  // Pick a question with three or more options if there is one, else the first.
  const index = Math.max(0, questions.findIndex((q) => q.options.length >= 3));
  const q = questions[index];
  await page.getByTestId('ask-question-select').selectOption(String(index));
  await expect(page.getByTestId('ask-question-input')).toHaveValue(q.text);
  await expect(page.getByTestId('ask-real-notice')).toHaveCount(0);
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-provider', /^(wasm|webgpu)$/, { timeout: 120_000 });
  await page.getByTestId('ask-run').click();

  await expect(page.getByTestId('ask-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('ask-asked')).toHaveText(q.text);
  await expect(page.getByTestId('ask-generated')).not.toBeEmpty();
  await expect(page.getByTestId('ask-truth')).toHaveText(q.answer);
  const rows = page.getByTestId('ask-option');
  await expect(rows).toHaveCount(q.options.length);
  const logps = await rows.evaluateAll((els) => els.map((e) => ({ option: e.getAttribute('data-option'), logp: Number(e.getAttribute('data-logp')) })));
  expect(logps.map((r) => r.option)).toEqual(q.options);
  for (const r of logps) {
    expect(Number.isFinite(r.logp)).toBe(true);
    expect(r.logp).toBeLessThan(0);
  }
  const best = logps.reduce((a, b) => (b.logp > a.logp ? b : a));
  await expect(page.getByTestId('ask-choice')).toHaveText(best.option!);
  await expect(page.getByTestId('ask-chart').locator('.recharts-bar-rectangle')).toHaveCount(q.options.length);
  await expect(page.getByTestId('ask-frames').locator('canvas')).toHaveCount(8);
  await screenshot(page, 'ask.png');

  // N asks the next question of the list.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('n');
  await expect(page.getByTestId('ask-asked')).toHaveText(questions[(index + 1) % questions.length].text, { timeout: 30_000 });
  // `?` lists the Ask view's keys, and A / V open the views from anywhere.
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcut-list')).toContainText('Ask the next question of the list');
  await expect(page.getByTestId('shortcut-list')).toContainText('Open Evaluate');
  await page.keyboard.press('Escape');
  await page.keyboard.press('v');
  await expect(page.getByTestId('evaluate')).toBeVisible();
  await page.keyboard.press('a');
  await expect(page.getByTestId('ask-view')).toBeVisible();
  expect(problems).toEqual([]);
});

test('a typed question with an unknown word is named in the panel, and everything else keeps working', async ({ page }) => {
  test.setTimeout(180_000);
  await openFreshApp(page);
  await addFiles(page, ['avc.mp4']);
  await expect(card(page, 'avc.mp4')).toHaveAttribute('data-status', 'ready');
  await page.getByRole('link', { name: 'Ask' }).click();
  await page.getByTestId('ask-video').first().click();
  // A user's own video: the panel says the model only knows the synthetic world.
  await expect(page.getByTestId('ask-real-notice')).toContainText('answers about this video will be poor');
  await expect(page.getByTestId('ask-question-select')).toHaveCount(0);

  await page.getByTestId('ask-question-input').fill('is the banana left of the red circle ?');
  await page.getByTestId('ask-options-input').fill('yes, no');
  await page.getByTestId('ask-run').click();
  const error = page.getByTestId('ask-error');
  await expect(error).toHaveAttribute('data-error', 'UnknownWordError', { timeout: 120_000 });
  await expect(error).toContainText('UnknownWordError: the word "banana" is not in the model\'s vocabulary');
  await expect(page.getByTestId('ask-known-words')).toContainText('circle');
  await expect(page.getByTestId('ask-result')).toHaveCount(0);
  await page.keyboard.press('l');
  await expect(page.getByTestId('log-panel')).toContainText('UnknownWordError');
  await page.keyboard.press('l');

  // A question in the vocabulary works on the same video; the Library still samples it.
  await page.getByTestId('ask-question-input').fill('is the red circle left or right of the blue square ?');
  await page.getByTestId('ask-options-input').fill('left, right');
  await page.getByTestId('ask-run').click();
  await expect(page.getByTestId('ask-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('ask-error')).toHaveCount(0);
  await expect(page.getByTestId('ask-option')).toHaveCount(2);
  await expect(page.getByTestId('ask-truth')).toHaveCount(0); // no ground truth for a real video
  await page.getByRole('link', { name: 'Library' }).click();
  await expect(page.getByTestId('frame-tile')).toHaveCount(32);
});

test('Evaluate: inputs are checked where typed; a small benchmark shows progress, a chart and tables, survives a reload, and can be cancelled', async ({ page }) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1280, height: 1000 });
  const problems = collectProblems(page);
  await openFreshApp(page);
  await page.keyboard.press('v');
  await expect(page.getByTestId('evaluate')).toBeVisible();
  await expect(page.getByTestId('eval-empty')).toBeVisible();
  await page.getByTestId('eval-per-category').fill('0');
  await expect(page.getByTestId('eval-per-category-error')).toHaveText('0 is out of range: 1 to 500');
  await expect(page.getByTestId('eval-run')).toBeDisabled();
  await page.getByTestId('eval-seed').fill('x');
  await expect(page.getByTestId('eval-seed-error')).toContainText('enter a whole number');
  await page.getByTestId('eval-seed').fill('77');
  await page.getByTestId('eval-per-category').fill('8');
  await expect(page.getByTestId('eval-seed-error')).toHaveCount(0);
  await expect(page.getByTestId('eval-per-category-error')).toHaveCount(0);
  await page.getByTestId('eval-run').click();
  await expect(page.getByTestId('eval-progress')).toBeVisible();
  await expect(page.getByTestId('eval-result')).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('eval-progress')).toHaveCount(0);

  const rows = page.getByTestId('eval-row');
  await expect(rows).toHaveCount(4);
  for (const row of await rows.all()) await expect(row.locator('td').nth(1)).toHaveText('8');
  expect(await page.getByTestId('eval-template-row').count()).toBeGreaterThanOrEqual(4);
  await expect(page.getByTestId('eval-chart').locator('.recharts-bar-rectangle')).toHaveCount(8);
  await expect(page.getByTestId('eval-chart').locator('.recharts-errorBar')).not.toHaveCount(0);
  await expect(page.getByTestId('eval-result')).toHaveAttribute('data-seed', '77');
  await screenshot(page, 'evaluate.png');

  // The last result survives a reload.
  const table = await page.getByTestId('eval-table').innerText();
  await page.reload();
  await expect(page.getByTestId('evaluate')).toBeVisible();
  expect(await page.getByTestId('eval-table').innerText()).toBe(table);
  await expect(page.getByTestId('eval-seed')).toHaveValue('77');

  // A large run can be cancelled; the last result stays.
  await page.getByTestId('eval-per-category').fill('400');
  await page.getByTestId('eval-run').click();
  await expect(page.getByTestId('eval-progress')).toBeVisible();
  await page.getByTestId('eval-cancel').click();
  await expect(page.getByTestId('eval-cancelled')).toBeVisible();
  await expect(page.getByTestId('eval-progress')).toHaveCount(0);
  expect(await page.getByTestId('eval-table').innerText()).toBe(table);
  expect(problems).toEqual([]);
});

test('Inspect: the model answers on both views with the margin between them, only for a query in its vocabulary', async ({ page }) => {
  test.setTimeout(180_000);
  await openFirstStart(page);
  await waitForDemos(page);
  await demoCards(page).first().click();
  await page.keyboard.press('i');
  await expect(page.getByTestId('preferred-strip')).toBeVisible({ timeout: 60_000 });
  const panel = page.getByTestId('inspect-model');
  // The aligned query is natural language the tiny model cannot read: it says so and asks nothing.
  const aligned = (await page.getByTestId('aligned-query').innerText()).replace(/^Aligned\s*/, '').trim();
  await expect(page.getByTestId('inspect-model-query')).toHaveValue(aligned);
  await page.getByTestId('inspect-model-run').click();
  await expect(page.getByTestId('inspect-model-unknown')).toContainText('the model does not know', { timeout: 120_000 });
  await expect(page.getByTestId('inspect-model-result')).toHaveCount(0);

  const scene = generateScene(DEMO_SCENES[0].split, DEMO_SCENES[0].seed);
  await page.getByTestId('inspect-model-query').fill(questionsFor(scene)[0].text);
  await expect(page.getByTestId('inspect-model-unknown')).toHaveCount(0);
  await page.getByTestId('inspect-model-run').click();
  await expect(panel.getByTestId('inspect-model-result')).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByTestId('inspect-model-preferred')).not.toBeEmpty();
  await expect(panel.getByTestId('inspect-model-adversarial')).not.toBeEmpty();
  const margin = Number(await panel.getByTestId('inspect-model-margin').getAttribute('data-margin'));
  expect(Number.isFinite(margin)).toBe(true);
  // The same answer on both views scores the same: no margin.
  const [p, a] = [await panel.getByTestId('inspect-model-preferred').innerText(), await panel.getByTestId('inspect-model-adversarial').innerText()];
  if (p === a) expect(margin).toBeCloseTo(0, 6);
});

test('browser forward passes (model Worker on WASM, and WebGPU when there is an adapter) equal Node CPU within 1e-4', async ({ page }) => {
  test.setTimeout(300_000);
  const seeds = [1, 2, 3];
  const perScene = 3;
  const model = await loadModelFolder(async (f) => new Uint8Array(await readFile(path.join(MODEL_DIR, f))));
  const node = await BuiltinModel.create(ort, model, { provider: 'cpu' });
  const items = parityItems(seeds, perScene);
  const expected = await node.score(items);
  const expectedGen: Awaited<ReturnType<BuiltinModel["generate"]>>[] = [];
  for (const seed of seeds) {
    const scene = generateScene('eval', seed);
    expectedGen.push(await node.generate(items.find((it) => it.question === questionsFor(scene)[0].text)!.frames, questionsFor(scene)[0].text, 4));
  }
  await node.release();

  await page.goto('/train-harness.html');
  await page.waitForFunction(() => !!window.pastaModel);
  const providers: ('wasm' | 'webgpu')[] = ['wasm'];
  if (await page.evaluate(() => window.pastaModel.hasWebGpu())) providers.push('webgpu');
  test.info().annotations.push({ type: 'providers compared with Node CPU', description: providers.join(', ') });
  for (const provider of providers) {
    const info = await page.evaluate((p) => window.pastaModel.load(p), provider);
    expect(info.provider).toBe(provider);
    const got = await page.evaluate(([p, s, n]) => window.pastaModel.score(p, s, n), [provider, seeds, perScene] as const);
    expect(got).toHaveLength(expected.length);
    got.forEach((g, i) => {
      const e = expected[i];
      expect(Math.abs(g.logp - e.logp), `${provider} item ${i} total: ${g.logp} vs Node ${e.logp}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(e.logp)));
      expect(g.tokens).toHaveLength(e.tokens.length);
      g.tokens.forEach((t, k) => expect(Math.abs(t - e.tokens[k]), `${provider} item ${i} word ${k}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(e.tokens[k]))));
    });
    const gen = await page.evaluate(([p, s]) => window.pastaModel.generate(p, s), [provider, seeds] as const);
    gen.forEach((g, i) => {
      expect(g.ids, `${provider} generation ${i}`).toEqual(expectedGen[i].ids);
      g.logps.forEach((l, k) => expect(Math.abs(l - expectedGen[i].logps[k])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expectedGen[i].logps[k]))));
    });
  }
});
