/**
 * TRL is the judge: `npm run convert -- --to trl --videos DIR --out DIR` writes a set, and TRL's own
 * DPOTrainer (LoRA, CPU) trains two steps on it through `datasets.load_dataset("json", ...)` run inside that
 * folder, once with relative and once with absolute paths (scripts/trl_dpo_check.py, one Python process).
 * The model is a tiny random Idefics3 built there; nothing comes from a hub. Skips with a message when
 * ffmpeg or the reference Python (ensure-tools makes it) is absent.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFfmpeg, findReferencePython } from '../../scripts/find-tools.mjs';
import { runTrlCheck } from '../../scripts/trlCheck';
import { makePair } from '../pairs/pair';

const python = findReferencePython();
const ffmpeg = findFfmpeg();
const why = !python ? 'no reference Python with torch, transformers, trl, peft, datasets and pillow (run scripts/ensure-tools.mjs)' : !ffmpeg ? 'no ffmpeg' : '';

const dir = mkdtempSync(path.join(tmpdir(), 'pasta-trl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const convert = (args: string[]) => spawnSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/convert.ts', ...args], { encoding: 'utf8' });

/** A test-pattern clip made by ffmpeg itself: H.264 with B-frames in MP4, or VP9 in WebM. */
function makeVideo(file: string, codec: string[]) {
  mkdirSync(path.dirname(file), { recursive: true });
  const r = spawnSync(ffmpeg!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '4', '-pix_fmt', 'yuv420p', ...codec, file]);
  if (r.status !== 0) throw new Error(`ffmpeg could not make ${file}: ${r.stderr}`);
}

describe.skipIf(!!why)(`TRL DPOTrainer trains on our export${why ? ` (skipped: ${why})` : ''}`, () => {
  it('two LoRA steps on npm run convert output (relative and --absolute paths): loss ln 2 at step 0, every image resolves, no frame padding', () => {
    const videos = path.join(dir, 'videos');
    makeVideo(path.join(videos, 'clips/a.mp4'), ['-c:v', 'libx264', '-bf', '2', '-g', '50']);
    makeVideo(path.join(videos, 'other/b.webm'), ['-c:v', 'libvpx-vp9', '-deadline', 'realtime']);
    const sampling = (train: { mode: 'fps' | 'nframes'; value: number }) => ({ chosen: { mode: 'fps' as const, value: 2 }, rejected: { mode: 'fps' as const, value: 1 }, train });
    const pairs = [
      // An odd count stays odd: TRL reads frames as separate images, so padding would only add a duplicate picture.
      makePair({ id: 'odd', query: 'What does the person do after picking up the bottle?', chosen: 'They walk away.', rejected: 'They put it down first.', video: { path: 'clips/a.mp4', duration_s: null, native_fps: null }, sampling: sampling({ mode: 'nframes', value: 5 }) }, 1),
      makePair({ id: 'fps/1', query: 'Is the cup left of the plate?', chosen: 'Yes, it is left of it.', rejected: 'No, it is right of it.', video: { path: 'other/b.webm', duration_s: null, native_fps: null }, sampling: sampling({ mode: 'fps', value: 1 }) }, 1),
      makePair({ id: 'paper', query: 'Does the same person appear in every scene?', chosen: 'Yes, the same person.', rejected: 'No, two different people.', video: { path: 'clips/a.mp4', duration_s: 4, native_fps: 25 } }, 1),
    ];
    const input = path.join(dir, 'in.jsonl');
    writeFileSync(input, pairs.map((p) => JSON.stringify(p)).join('\n'));
    const rel = path.join(dir, 'trl-relative');
    const abs = path.join(dir, 'trl-absolute');
    for (const [out, extra] of [[rel, []], [abs, ['--absolute']]] as const) {
      const r = convert(['--in', input, '--from', 'auto', '--to', 'trl', '--videos', videos, '--out', out, ...extra]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('wrote 3 trl records');
    }
    const records = readFileSync(path.join(rel, 'pairs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.images.length)).toEqual([5, 4, 32]);
    expect(records[0].images[0]).toBe('frames/odd/000.jpg');
    expect(JSON.parse(readFileSync(path.join(abs, 'pairs.jsonl'), 'utf8').split('\n')[0]).images[0]).toBe(path.join(abs, 'frames/odd/000.jpg'));

    for (const r of runTrlCheck(python!, path.join(dir, 'work'), [rel, abs])) {
      expect(r.problems).toEqual([]);
      expect(r).toMatchObject({ records: 3, images: 41, steps: 2 });
      expect(r.losses[0]).toBeCloseTo(Math.LN2, 4);
      expect(r.rewards_chosen_0).toBe(0);
    }
  }, 420_000);
});
