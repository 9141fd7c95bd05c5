import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PreferencePair, makePair } from '../pairs/pair';
import { FORMATS, FORMAT_IDS, exportPairs, importText, trainFrameCount } from '.';
import { TRAINER_SCHEMAS } from './trainerSchemas';

/** Any text, including astral-plane unicode, control characters, quotes and empty strings. */
const anyText = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constant(''), fc.string({ minLength: 5000, maxLength: 20000 }));
const samplingRef = fc.record({ mode: fc.constantFrom('fps' as const, 'nframes' as const), value: fc.integer({ min: 1, max: 768 }) });
const pairArb: fc.Arbitrary<PreferencePair> = fc.record({
  id: fc.string({ minLength: 1 }),
  category: fc.constantFrom('spatial' as const, 'temporal' as const, 'cross-frame' as const, 'uncategorized' as const),
  video: fc.record({ path: fc.string(), duration_s: fc.option(fc.double({ min: 0, max: 1e5, noNaN: true })), native_fps: fc.option(fc.double({ min: 0.1, max: 240, noNaN: true })) }),
  query: anyText,
  adversarial_query: anyText,
  chosen: anyText,
  rejected: anyText,
  sampling: fc.record({ chosen: samplingRef, rejected: samplingRef, train: samplingRef }),
  adversary: fc.option(fc.record({ category: fc.constantFrom('spatial' as const, 'temporal' as const, 'cross-frame' as const), recipe: fc.string(), params: fc.dictionary(fc.string(), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string())), seed: fc.integer() })),
  generator: fc.option(fc.record({ kind: fc.constantFrom('workbench' as const, 'endpoint' as const, 'import' as const, 'human' as const), name: fc.string() })),
  judge: fc.option(fc.record({ kind: fc.constantFrom('workbench' as const, 'endpoint' as const, 'import' as const, 'human' as const), name: fc.string() })),
  margin: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
  status: fc.constantFrom('pending' as const, 'accepted' as const, 'rejected' as const),
  edits: fc.array(fc.record({ at: fc.nat(), field: fc.constantFrom('chosen' as const, 'swap' as const, 'status' as const), before: fc.string(), after: fc.string() }), { maxLength: 3 }),
  tags: fc.array(fc.string(), { maxLength: 4 }),
  notes: anyText,
  created_at: fc.nat(),
  updated_at: fc.nat(),
});

const pair = (over: Partial<PreferencePair> = {}) =>
  makePair({ id: 'p1', query: 'What does the person do after picking up the bottle?', chosen: 'They walk away.', rejected: 'They put it down first.', category: 'temporal', video: { path: 'clips/a.mp4', duration_s: 12, native_fps: 30 }, ...over }, 1000);

describe('canonical JSONL', () => {
  it('import(export(x)) gives back x for any records: unicode, empty strings, very long answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pairArb, { minLength: 1, maxLength: 5 }), async (pairs) => {
        const out = exportPairs(pairs, 'canonical');
        expect(out.errors).toEqual([]);
        const back = await importText(out.text, { format: 'canonical' });
        expect(back.errors).toEqual([]);
        // -0 is written as 0 by JSON; compare as JSON values do.
        expect(JSON.parse(JSON.stringify(back.pairs))).toEqual(JSON.parse(JSON.stringify(pairs)));
      }),
      { numRuns: 60 },
    );
  });
});

describe('untrusted imports', () => {
  it('every malformed line is named with its line and field; valid lines are kept', async () => {
    const good = JSON.stringify(pair());
    const text = [
      good,
      '{"id": "x", "query": "q", "chosen": "c"',
      '',
      JSON.stringify({ ...pair({ id: 'p2' }), chosen: 42 }),
      JSON.stringify({ ...pair({ id: 'p3' }), status: 'maybe' }),
      '[1, 2]',
      JSON.stringify({ weird: true }),
      JSON.stringify({ ...pair({ id: 'p4' }), video: { path: 'a.mp4', duration_s: 'long' } }),
      JSON.stringify(pair({ id: 'p5' })),
    ].join('\n');
    const r = await importText(text);
    expect(r.pairs.map((p) => p.id)).toEqual(['p1', 'p5']);
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [2, '(line)'],
      [4, 'chosen'],
      [5, 'status'],
      [6, '(line)'],
      [7, '(record)'],
      [8, 'video.duration_s'],
    ]);
    expect(r.errors[1].message).toBe('"chosen" must be a string, got number');
    expect(r.errors[0].message).toMatch(/not valid JSON/);
  });

  it('reads each trainer format (auto-detected) into pairs, and a JSON array with record numbers', async () => {
    const p = pair();
    for (const format of FORMAT_IDS) {
      const r = await importText(exportPairs([p], format).text);
      expect(r.errors).toEqual([]);
      expect(Object.keys(r.formats)).toEqual([format]);
      const back = r.pairs[0];
      expect([back.query, back.chosen, back.rejected]).toEqual([p.query, p.chosen, p.rejected]);
      if (!FORMATS[format].drops.includes('video.path')) expect(back.video.path).toBe('clips/a.mp4');
    }
    const array = await importText(JSON.stringify([JSON.parse(exportPairs([p], 'ms-swift').text), { messages: [], rejected_response: 'no' }]));
    expect(array.pairs).toHaveLength(1);
    expect(array.errors[0]).toMatchObject({ line: 2, field: 'messages', message: '"messages" has no user turn' });
  });
});

describe('each export matches its trainer', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const samples = [pair(), pair({ id: 'p2', sampling: { chosen: { mode: 'fps', value: 2 }, rejected: { mode: 'fps', value: 1 }, train: { mode: 'nframes', value: 31 } } }), pair({ id: 'p3', query: 'Ünïcødé ✓ "quoted"\nsecond line' })];

  for (const format of ['trl', 'llama-factory', 'ms-swift', 'llava-hound', 'llava-next'] as const) {
    it(`${format}: every record passes the schema and the placeholder rules`, () => {
      const out = exportPairs(samples, format);
      expect(out.errors).toEqual([]);
      const validate = ajv.compile(TRAINER_SCHEMAS[format]);
      const records = out.text.trim().split('\n').map((l) => JSON.parse(l));
      expect(records).toHaveLength(samples.length);
      records.forEach((r, i) => {
        expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
        const all = JSON.stringify(r);
        if (format === 'llama-factory' || format === 'ms-swift') expect(all.match(/<video>/g)!.length).toBe(r.videos.length);
        if (format === 'llava-hound') expect(all.match(/<video>/g)!.length).toBe(1);
        if (format === 'llava-next') expect(r.prompt).toBe(samples[i].query); // the loader adds its own <image>
        if (format === 'trl') {
          expect(r.prompt[0].content.filter((c: { type: string }) => c.type === 'image').length).toBe(r.images.length);
          expect(r.images.length).toBe(trainFrameCount(samples[i])); // not padded to even: images are separate pictures
        }
      });
    });
  }

  it('llama-factory comes with its dataset_info.json entry', () => {
    const out = exportPairs(samples, 'llama-factory', { datasetName: 'pasta_set', fileName: 'pasta_set.jsonl' });
    const info = JSON.parse(out.extraFiles['dataset_info.json']);
    expect(ajv.validate(TRAINER_SCHEMAS['llama-factory-dataset-info'], info)).toBe(true);
    expect(info.pasta_set.file_name).toBe('pasta_set.jsonl');
  });

  it('pairs a trainer would misread are left out and named: a literal <image> in text, absolute or escaping paths', () => {
    const bad = [pair({ id: 'tag', chosen: 'I see an <image> of a cat' }), pair({ id: 'abs', video: { path: '/home/me/videos/a.mp4', duration_s: 1, native_fps: 30 } }), pair({ id: 'win', video: { path: 'C:\\data\\a.mp4', duration_s: 1, native_fps: 30 } }), pair({ id: 'up', video: { path: '../secret/a.mp4', duration_s: 1, native_fps: 30 } }), pair({ id: 'ok' })];
    for (const format of ['trl', 'llama-factory', 'ms-swift', 'llava-hound', 'llava-next'] as const) {
      const out = exportPairs(bad, format);
      expect(out.written.map((p) => p.id)).toEqual(['ok']);
      expect(out.errors.map((e) => [e.pairId, e.field])).toEqual([['tag', 'chosen'], ['abs', 'video.path'], ['win', 'video.path'], ['up', 'video.path']]);
      expect(out.text).not.toMatch(/home\/me|C:|\.\.\//);
    }
  });
});

describe('npm run convert', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [path.resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/convert.ts', ...args], { encoding: 'utf8' });

  it('converts, reports malformed lines with their numbers on stderr, and exits 0 when something valid was read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pasta-convert-'));
    try {
      const input = path.join(dir, 'in.jsonl');
      writeFileSync(input, [JSON.stringify(pair()), 'not json', JSON.stringify({ ...pair({ id: 'p2' }), rejected: null })].join('\n'));
      const out = path.join(dir, 'out.jsonl');
      const r = run(['--in', input, '--from', 'canonical', '--to', 'llama-factory', '--out', out]);
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('in.jsonl:2: (line): not valid JSON');
      expect(r.stderr).toContain('in.jsonl:3: rejected: "rejected" is missing');
      expect(r.stderr).toMatch(/read 1 records \(1 canonical\), 2 malformed; wrote 1 llama-factory records/);
      expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1);
      expect(JSON.parse(readFileSync(path.join(dir, 'dataset_info.json'), 'utf8')).out.file_name).toBe('out.jsonl');

      writeFileSync(input, 'garbage\n{"also": "garbage"}\n');
      const bad = run(['--in', input, '--from', 'auto', '--to', 'ms-swift', '--out', out]);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('no valid records');
      expect(run(['--in', input, '--to', 'parquet', '--out', out]).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
