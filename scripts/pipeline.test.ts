/**
 * `npm run pipeline` end to end against a real `transformers serve` (the tiny Idefics3 of scripts/tiny_vlm.py)
 * on loopback, over a folder holding one real sample video (walk.mkv, ../shared/media, CC BY 4.0, linked into a
 * temporary folder, never copied): canonical records with paths relative to --videos that the canonical importer
 * reads back unchanged, the frames of each view sent as images (the server counts 7 prompt tokens a frame), a
 * second run that asks nothing twice, and a judge whose reply is not JSON failing its jobs by name.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importText } from '../src/export/importText';
import { checkCanonical } from '../src/pairs';
import { findServePython } from './find-tools.mjs';
import { startTransformersServe, type TransformersServe } from './transformersServe';

const ROOT = path.resolve(__dirname, '..');
const MEDIA = path.resolve(ROOT, '../shared/media/walk.mkv');
const python = findServePython();
const why = !existsSync(MEDIA) ? '../shared/media/walk.mkv is absent' : !python ? 'no Python with transformers serve' : '';
let server: TransformersServe | undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'pasta-pipeline-'));
const videos = path.join(dir, 'videos');

function pipeline(out: string, ...extra: string[]) {
  const run = spawnSync('npx', ['tsx', 'scripts/pipeline.ts', '--videos', videos, '--endpoint', server!.baseUrl, '--model', server!.model, '--categories', 'spatial,temporal', '--frames', '4', '--max-side', '64', '--max-tokens', '8', '--out', out, ...extra], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  return { status: run.status, stderr: run.stderr, summary: last.startsWith('{') ? JSON.parse(last) : null, out };
}

describe.skipIf(!!why)(`npm run pipeline against transformers serve${why ? ` (skipped: ${why})` : ''}`, () => {
  beforeAll(async () => {
    server = await startTransformersServe();
    spawnSync('mkdir', ['-p', path.join(videos, 'walks')]);
    symlinkSync(MEDIA, path.join(videos, 'walks', 'walk.mkv'));
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes canonical pairs from the server, resumes without asking twice', () => {
    const first = pipeline(path.join(dir, 'pairs.jsonl'));
    expect(first.status, first.stderr).toBe(0);
    expect(first.summary).toMatchObject({ videos: 1, jobs: 2, done: 2, failed: 0 });
    expect(first.summary.tokens.prompt).toBeGreaterThan(0);
    const text = readFileSync(first.out, 'utf8');
    const records = text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(records.length).toBe(first.summary.pairs);
    // The tiny random model's answers almost always differ from each other: the plain rule keeps most of the 6 candidates.
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(checkCanonical(r)).toEqual(r);
      expect(r.video.path).toBe('walks/walk.mkv');
      expect(r.generator).toMatchObject({ kind: 'endpoint', name: server!.model, details: { video_as: 'image_url' } });
      expect(r.judge.kind).toBe('workbench');
      // Every frame of the sparse view reached the model: 7 prompt tokens each on this server.
      expect(r.generator.details.frames).toBeGreaterThan(0);
      expect(r.generator.details.prompt_tokens).toBeGreaterThanOrEqual(7 * r.generator.details.frames);
    }
    return importText(text, { format: 'canonical' }).then((imported) => {
      expect(imported.errors).toEqual([]);
      expect(imported.pairs).toEqual(records);
      const again = pipeline(first.out);
      expect(again.status, again.stderr).toBe(0);
      expect(again.summary).toMatchObject({ jobs: 0, pairs: 0 });
      expect(readFileSync(first.out, 'utf8')).toBe(text);
      // `npm run convert --from canonical` takes the records unchanged: a TRL folder with the training frames decoded from --videos.
      const trl = path.join(dir, 'trl');
      const convert = spawnSync('npx', ['tsx', 'scripts/convert.ts', '--in', first.out, '--from', 'canonical', '--to', 'trl', '--videos', videos, '--out', trl, '--frame-size', '64'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
      expect(convert.status, convert.stderr).toBe(0);
      const rows = readFileSync(path.join(trl, 'pairs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(rows).toHaveLength(records.length);
      expect(rows.map((r) => r.chosen[0].content[0].text)).toEqual(records.map((r) => r.chosen));
      expect(rows.map((r) => r.rejected[0].content[0].text)).toEqual(records.map((r) => r.rejected));
      for (const r of rows) for (const image of r.images) expect(existsSync(path.join(trl, image))).toBe(true);
    });
  }, 300_000);

  it('names a judge whose reply is not the JSON asked for, job by job', () => {
    const judged = pipeline(path.join(dir, 'judged.jsonl'), '--judge-endpoint', server!.baseUrl, '--judge-model', server!.model);
    expect(judged.status).toBe(1);
    expect(judged.summary.failed).toBe(2);
    for (const f of judged.summary.failures) expect(f.error).toMatch(/^JudgeReplyError: /);
  }, 300_000);

  it('with --queries endpoint, a model that cannot write the questions fails each job by name and writes nothing', () => {
    const written = pipeline(path.join(dir, 'written.jsonl'), '--queries', 'endpoint');
    expect(written.status).toBe(1);
    expect(written.summary).toMatchObject({ done: 0, failed: 2, pairs: 0 });
    for (const f of written.summary.failures) expect(f.error).toMatch(/^QueryReplyError: /);
    expect(existsSync(written.out)).toBe(false);
  }, 300_000);

  it('refuses to start when the check fails: a model the server does not serve, exit code 2, the check printed', () => {
    const run = spawnSync('npx', ['tsx', 'scripts/pipeline.ts', '--videos', videos, '--endpoint', server!.baseUrl, '--model', 'llava-7b', '--out', path.join(dir, 'never.jsonl')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/connection: FAILED/);
    expect(run.stdout).toMatch(/FAIL model: .*pinned to 'pasta-tiny-vlm'/);
    expect(existsSync(path.join(dir, 'never.jsonl.jobs'))).toBe(false);
  }, 180_000);
});
