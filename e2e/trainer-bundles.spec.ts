/**
 * A person exports a TRL zip from the app and the same pairs with `npm run convert`; TRL's own DPOTrainer
 * (scripts/trl_dpo_check.py: a tiny random Idefics3, LoRA, CPU, two steps) trains on both, read with
 * `datasets.load_dataset("json", ...)` inside each folder. Both name the same source frames. The ms-swift
 * export names the pair it refuses in the dialog.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { findReferencePython } from '../scripts/find-tools.mjs';
import { runTrlCheck } from '../scripts/trlCheck';
import { makePair } from '../src/pairs';
import { addFiles, card, openFreshApp } from './app';
import { fixturePath } from './fixtures';

const python = findReferencePython();
const sampling = (train: { mode: 'fps' | 'nframes'; value: number }) => ({ chosen: { mode: 'fps' as const, value: 2 }, rejected: { mode: 'fps' as const, value: 1 }, train });
const pair = (id: string, over = {}) =>
  makePair({ id, query: `What happens in ${id}?`, chosen: `The ball rolls in ${id}.`, rejected: `The ball bounces in ${id}.`, video: { path: 'clips/avc.mp4', duration_s: 2, native_fps: 30 }, ...over }, 1000);

test('TRL trains on the app\'s zip and on npm run convert of the same pairs; ms-swift\'s refusal is named in the dialog', async ({ page }) => {
  test.skip(!python, 'no reference Python with torch, transformers, trl, peft, datasets and pillow (scripts/ensure-tools.mjs makes one)');
  test.setTimeout(420_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'pasta-bundles-'));
  const pairs = [pair('odd', { sampling: sampling({ mode: 'nframes', value: 5 }) }), pair('paper'), pair('fps', { sampling: sampling({ mode: 'fps', value: 2 }) }), pair('same', { rejected: 'The ball rolls in same.', chosen: 'The ball rolls in same.' })];
  const input = path.join(dir, 'pairs.jsonl');
  writeFileSync(input, pairs.map((p) => JSON.stringify(p)).join('\n'));

  await openFreshApp(page);
  await addFiles(page, ['avc.mp4']);
  await expect(card(page, 'avc.mp4')).toHaveAttribute('data-status', 'ready');
  await page.keyboard.press('c');
  await page.getByTestId('pairs-file-input').setInputFiles(input);
  await expect(page.getByTestId('import-count')).toHaveText('4');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Enter');
  await page.keyboard.press('x');

  await page.getByTestId('export-format').selectOption('ms-swift');
  await expect(page.getByTestId('export-drops')).toContainText('adversary');
  await page.getByTestId('export-val').fill('0.5');
  await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  await expect(page.getByTestId('export-outcome')).toContainText('pair same: the rejected answer equals the chosen one, which ms-swift refuses');
  await expect(page.getByTestId('export-outcome')).toContainText('put every pair on one side'); // one video: no split possible
  await page.getByTestId('export-val').fill('0');
  await expect(page.getByTestId('export-outcome')).toContainText('Wrote 3 pairs');

  // LLaMA-Factory keeps the other datasets of the folder's dataset_info.json.
  await page.getByTestId('export-format').selectOption('llama-factory');
  const theirs = path.join(dir, 'dataset_info.json');
  writeFileSync(theirs, JSON.stringify({ someone_elses: { file_name: 'theirs.json' } }));
  await page.getByTestId('export-dataset-info').setInputFiles(theirs);
  await page.getByTestId('export-frames').uncheck();
  const [lf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  const info = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(await lf.path())))['dataset_info.json']));
  expect(Object.keys(info)).toEqual(['someone_elses', 'pasta_dpo']);
  await page.getByTestId('export-frames').check();

  await page.getByTestId('export-format').selectOption('trl');
  await page.getByTestId('export-licence').fill('CC BY 4.0');
  // 224x168 frames are 48 Qwen2.5-VL tokens an image: the two 32-frame pairs pass TRL's max_length.
  await expect(page.getByTestId('export-budget')).toContainText('qwen2.5-vl: 192-1536 visual tokens per record; trl max_length 1024: 2 of 4 records over');
  await page.getByTestId('export-family').selectOption('idefics3');
  await expect(page.getByTestId('export-budget')).toContainText('idefics3: 256-2048 visual tokens per record');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
  const zipDir = path.join(dir, 'zip');
  for (const [name, data] of Object.entries(unzipSync(new Uint8Array(readFileSync(await download.path()))))) {
    mkdirSync(path.dirname(path.join(zipDir, name)), { recursive: true });
    writeFileSync(path.join(zipDir, name), data);
  }

  expect(readFileSync(path.join(zipDir, 'README.md'), 'utf8')).toContain('Licence: CC BY 4.0.');

  const videos = path.join(dir, 'videos');
  mkdirSync(path.join(videos, 'clips'), { recursive: true });
  symlinkSync(fixturePath('avc.mp4'), path.join(videos, 'clips/avc.mp4'));
  const convertDir = path.join(dir, 'convert');
  const r = spawnSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/convert.ts', '--in', input, '--to', 'trl', '--videos', videos, '--out', convertDir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);

  // The app's zip and the command pick the same source frames for every pair (no even padding: 5 stays 5).
  const picks = (file: string) => JSON.parse(readFileSync(file, 'utf8')).pairs.map((p: { id: string; train_frames: { index: number }[] }) => [p.id, p.train_frames.map((f) => f.index)]);
  expect(picks(path.join(zipDir, 'manifest.json'))).toEqual(picks(path.join(convertDir, 'manifest.json')));
  expect(picks(path.join(convertDir, 'manifest.json')).map(([, f]: [string, number[]]) => f.length)).toEqual([5, 32, 4, 32]);

  for (const res of runTrlCheck(python!, path.join(dir, 'work'), [path.join(zipDir, 'pasta_dpo.trl.jsonl'), convertDir])) {
    expect(res.problems).toEqual([]);
    expect(res).toMatchObject({ records: 4, images: 73, steps: 2 });
    expect(res.losses[0]).toBeCloseTo(Math.LN2, 4);
  }
});
