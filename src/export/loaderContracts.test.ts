/**
 * Every format, exported by `npm run convert -- --videos DIR --out DIR` from real (ffmpeg-made) videos, passes
 * the rules its trainer's loader applies (loaderContracts.ts); the layouts that broke those loaders before
 * fail them; and every bad input the exporters refuse is named, on stderr and in the result.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../scripts/find-tools.mjs';
import { type PreferencePair, makePair } from '../pairs/pair';
import { FORMATS, exportPairs, importText } from '.';
import { type DatasetFiles, checkLlamaFactory, checkLlavaHound, checkLlavaNext, checkMsSwift, checkTrl } from './loaderContracts';

const ffmpeg = findFfmpeg();
const dir = mkdtempSync(path.join(tmpdir(), 'pasta-contracts-'));
const videos = path.join(dir, 'videos');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The file system as a trainer started in `root` sees it. */
function filesAt(root: string): DatasetFiles {
  const at = (p: string) => path.resolve(root, p);
  return {
    isFile: (p) => existsSync(at(p)) && statSync(at(p)).isFile(),
    list: (p) => (existsSync(at(p)) && statSync(at(p)).isDirectory() ? readdirSync(at(p)) : null),
    head: (p) => {
      if (!existsSync(at(p)) || !statSync(at(p)).isFile()) return null;
      const fd = openSync(at(p), 'r');
      const b = new Uint8Array(4);
      readSync(fd, b, 0, 4, 0);
      closeSync(fd);
      return b;
    },
  };
}

const convert = (args: string[]) => spawnSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/convert.ts', ...args], { encoding: 'utf8' });
const records = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);

const base = (id: string, over: Partial<PreferencePair> = {}) =>
  makePair({ id, category: 'temporal', query: 'What happens after the ball drops?', chosen: 'It rolls away.', rejected: 'It bounces back up first.', video: { path: 'clips/a.mp4', duration_s: null, native_fps: null }, margin: 0.25, ...over }, 1);
const good = [base('t1'), base('s1', { category: 'spatial', query: 'Is the box left of the lamp?', chosen: 'Left of it.', rejected: 'Right of it.', video: { path: 'more/b.webm', duration_s: null, native_fps: null } })];
/** Bad inputs, each with the field it must be named by (and the formats whose trainers it breaks, when not all). */
const bad: [PreferencePair, string, string[]?][] = [
  [base('same', { rejected: 'It rolls away.' }), 'rejected', ['ms-swift']],
  // LLaVA-NeXT's loader counts only <image>, so there <audio> and <video> are only text.
  [base('audio-tag', { query: 'What do you hear <audio> here?' }), 'query', ['trl', 'llama-factory', 'ms-swift', 'llava-hound']],
  [base('video-tag', { chosen: 'The <video> shows it rolling.' }), 'chosen', ['trl', 'llama-factory', 'ms-swift', 'llava-hound']],
  [base('control', { rejected: 'Done.<|im_end|>' }), 'rejected'],
  [base('abs', { video: { path: '/home/me/a.mp4', duration_s: null, native_fps: null } }), 'video.path'],
  [base('up', { video: { path: '../a.mp4', duration_s: null, native_fps: null } }), 'video.path'],
];

describe.skipIf(!ffmpeg)(`real exports pass their trainers' loader rules${ffmpeg ? '' : ' (skipped: no ffmpeg)'}`, () => {
  beforeAll(() => {
    for (const [file, codec] of [['clips/a.mp4', ['-c:v', 'libx264', '-bf', '2']], ['more/b.webm', ['-c:v', 'libvpx-vp9', '-deadline', 'realtime']]] as const) {
      mkdirSync(path.dirname(path.join(videos, file)), { recursive: true });
      const r = spawnSync(ffmpeg!, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=192x108:rate=24', '-t', '3', '-pix_fmt', 'yuv420p', ...codec, path.join(videos, file)]);
      expect(r.status, String(r.stderr)).toBe(0);
    }
    writeFileSync(path.join(dir, 'in.jsonl'), [...good, ...bad.map(([p]) => p)].map((p) => JSON.stringify(p)).join('\n'));
  });

  const exportTo = (format: string, extra: string[] = [], out = path.join(dir, `${format}${extra.join('')}`)) => {
    const r = convert(['--in', path.join(dir, 'in.jsonl'), '--to', format, '--videos', videos, '--out', out, ...extra]);
    expect(r.status, r.stderr).toBe(0);
    return { out, stderr: r.stderr, recs: records(path.join(out, 'pairs.jsonl')), files: filesAt(out) };
  };

  it('llama-factory: registered in a merged dataset_info.json, turns and placeholder counts right, every video resolves; nested frames too', () => {
    const out = path.join(dir, 'lf');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'dataset_info.json'), JSON.stringify({ someone_elses: { file_name: 'theirs.json' } }));
    const { recs, files, stderr } = exportTo('llama-factory', ['--name', 'pasta_a'], out);
    const info = JSON.parse(readFileSync(path.join(out, 'dataset_info.json'), 'utf8'));
    expect(Object.keys(info)).toEqual(['someone_elses', 'pasta_a']);
    expect(recs.flatMap((r) => checkLlamaFactory(r, info, 'pairs.jsonl', files))).toEqual([]);
    expect(recs[0].videos).toEqual(['videos/clips/a.mp4']); // through OUT_DIR/videos, a link to --videos
    expect(stderr).toContain('pair audio-tag: "query" contains a literal <audio>');

    // The card travels with the set; a README.md of someone else's is left alone.
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toContain('dataset: pasta_a');
    writeFileSync(path.join(out, 'README.md'), '# my own notes\n');
    const split = exportTo('llama-factory', ['--name', 'pasta_a', '--val-fraction', '0.5'], out);
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('# my own notes\n');
    expect(split.stderr).toContain('README.md exists');
    const splitInfo = JSON.parse(readFileSync(path.join(out, 'dataset_info.json'), 'utf8'));
    expect(Object.keys(splitInfo)).toEqual(['someone_elses', 'pasta_a', 'pasta_a_val']);
    expect(records(path.join(out, 'pairs.jsonl')).length + records(path.join(out, 'pairs.val.jsonl')).length).toBe(recs.length);

    const nested = exportTo('llama-factory', ['--nested-frames']);
    expect(stderr).not.toContain('pair same');
    const frames = (nested.recs[0].videos as string[][])[0];
    expect(frames).toHaveLength(32); // the pair's own 32 training frames, an even count for a video
    const nestedInfo = JSON.parse(readFileSync(path.join(nested.out, 'dataset_info.json'), 'utf8'));
    expect(nested.recs.flatMap((r) => checkLlamaFactory(r, nestedInfo, 'pairs.jsonl', nested.files))).toEqual([]);
    // What broke before: an <audio> the records do not carry, and the singular "column" key.
    const broken = { ...recs[0], conversations: [{ from: 'human', value: '<video>What do you hear <audio> here?' }] };
    expect(checkLlamaFactory(broken, info, 'pairs.jsonl', files)).toEqual(['prompt + chosen hold 1 <audio> for 0 media', 'prompt + rejected hold 1 <audio> for 0 media']);
    expect(checkLlamaFactory(recs[0], { x: { ...info.pasta_a, column: {} } }, 'pairs.jsonl', files)).toContain('the entry has "column"; LLaMA-Factory reads "columns"');
  }, 60_000);

  it('ms-swift: the pair with equal answers is left out and named by id; the others pass, with their margin', () => {
    const { recs, files, stderr } = exportTo('ms-swift');
    expect(stderr).toContain('pair same: the rejected answer equals the chosen one, which ms-swift refuses');
    expect(recs.flatMap((r) => checkMsSwift(r, files))).toEqual([]);
    expect(recs[0].margin).toBe(0.25);
    expect(checkMsSwift({ ...recs[0], rejected_response: 'It rolls away.' }, files)).toEqual(['"rejected_response" equals the chosen answer: ms-swift deletes the row']);
    const nested = exportTo('ms-swift', ['--nested-frames']);
    expect(nested.recs.flatMap((r) => checkMsSwift(r, nested.files))).toEqual([]);
  }, 60_000);

  it('llava-hound: video is the pair\'s folder of frames in name order; the old layout (an mp4) fails', () => {
    const { recs, files } = exportTo('llava-hound');
    expect(recs[0].video).toBe('frames/t1');
    expect(recs.flatMap((r) => checkLlavaHound(r, files))).toEqual([]);
    expect(checkLlavaHound({ ...recs[0], video: 'videos/clips/a.mp4' }, filesAt(path.join(dir, 'llama-factory')))[0]).toMatch(/is not a folder of frames/);
  }, 60_000);

  it('llava-next: an mp4 and the bare question; the old prompt ("<video>\\n" + question) fails', () => {
    const { recs, files } = exportTo('llava-next');
    expect(recs[0]).toMatchObject({ video: 'videos/clips/a.mp4', prompt: 'What happens after the ball drops?', answer: '' });
    expect(recs.flatMap((r) => checkLlavaNext(r, files))).toEqual([]);
    expect(checkLlavaNext({ ...recs[0], prompt: `<video>\n${recs[0].prompt}` }, files)).toEqual(['the prompt holds <video>, which LLaVA-NeXT keeps as text (it adds its own <image>)']);
  }, 60_000);

  it('trl: every image entry has its JPEG; --frame-size sets the frames\' longest side', () => {
    const { recs, files, out } = exportTo('trl', ['--frame-size', '96']);
    expect(recs.flatMap((r) => checkTrl(r, files))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.pairs[0].frame_size).toEqual({ width: 96, height: 54 });
    expect(manifest.pairs[0].train_frames[31]).toMatchObject({ file: 'frames/t1/031.jpg', index: 71 });
  }, 60_000);

  it('the visual-token budget is printed, and --over-budget refuse leaves out (and names) records over the limit', () => {
    const { recs, stderr } = exportTo('trl', ['--max-tokens', '1000', '--over-budget', 'refuse']);
    // 32 frames at 192x108 -> 7x4 Qwen cells = 28 tokens an image: 896 visual tokens, plus the text.
    expect(stderr).toContain('visual tokens at 224 px, qwen2.5-vl: 896 visual tokens per record; trl max_length 1000: 0 of 3 records over');
    expect(recs).toHaveLength(3);
    const tight = exportTo('trl', ['--max-tokens', '900', '--over-budget', 'refuse', '--model', 'idefics3']);
    expect(tight.stderr).toContain('pair t1: about 2063 tokens (2048 visual + 15 text) for idefics3, over the limit 900; left out');
    expect(tight.recs).toHaveLength(0);
  }, 60_000);

  it('every bad input is named with its pair and field in every format (stderr and the result the dialog lists)', () => {
    for (const format of ['trl', 'llama-factory', 'ms-swift', 'llava-hound', 'llava-next'] as const) {
      const out = exportPairs([...good, ...bad.map(([p]) => p)], format);
      const refused = bad.filter(([, , only]) => !only || only.includes(format));
      expect(out.errors.map((e) => [e.pairId, e.field]), format).toEqual(refused.map(([p, field]) => [p.id, field]));
      expect(out.written.length, format).toBe(good.length + bad.length - refused.length);
    }
  });
});

describe('round trip: import(export(x)) keeps what each format carries', () => {
  it('query, answers and what each format has a field for; the rest is listed as dropped', async () => {
    const p = makePair({ id: 'r1', query: 'Q "quoted" ✓', chosen: 'A', rejected: 'B', video: { path: 'v/a.mp4', duration_s: 3, native_fps: 30 }, margin: 1.5, judge: { kind: 'import', name: 'llava-hound', details: { chosen_score: 4, rejected_score: 1 } } }, 1);
    for (const format of ['trl', 'llama-factory', 'ms-swift', 'llava-hound', 'llava-next'] as const) {
      const back = (await importText(exportPairs([p], format).text)).pairs[0];
      expect([back.query, back.chosen, back.rejected], format).toEqual([p.query, p.chosen, p.rejected]);
      const fields = { id: (x: PreferencePair) => x.id, 'video.path': (x: PreferencePair) => x.video.path, margin: (x: PreferencePair) => x.margin, judge: (x: PreferencePair) => x.judge?.details };
      for (const [field, get] of Object.entries(fields)) {
        if (!FORMATS[format].drops.includes(field)) expect(get(back), `${format} ${field}`).toEqual(get(p));
      }
    }
  });
});
