import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadModelFolder } from '../model';
import { BuiltinModel } from '../respond';
import { benchmarkItems, parseBenchmarkTable, runBenchmark } from '.';

const folder = 'public/models/pasta-tiny';

describe('the committed built-in model', () => {
  it("reproduces its model card's benchmark table with the card's own command", async () => {
    const card = await readFile(join(folder, 'README.md'), 'utf8');
    const command = /npm run eval -- --seed (\d+) --per-category (\d+)/.exec(card);
    expect(command, 'the card names the eval command that made its table').not.toBeNull();
    const [seed, perCategory] = [Number(command![1]), Number(command![2])];
    const expected = parseBenchmarkTable(card);
    expect(expected.size).toBeGreaterThanOrEqual(4 + 15);

    const model = await loadModelFolder(async (f) => new Uint8Array(await readFile(join(folder, f))));
    const scorer = await BuiltinModel.create(ort, model, { provider: 'cpu', scoreRows: 32, scoreSlots: 24 });
    const r = await runBenchmark(scorer, benchmarkItems(seed, perCategory, model.config.imageSize), seed);
    await scorer.release();
    const fresh = new Map<string, [number, number, number]>([
      ...Object.keys(r.accuracy).map((c) => [c, [r.n[c as 'general'], r.accuracy[c as 'general'], r.adversarial_accuracy[c as 'general']]] as [string, [number, number, number]]),
      ...Object.entries(r.per_template).map(([t, v]) => [t, [v.n, v.accuracy, v.adversarial_accuracy]] as [string, [number, number, number]]),
    ]);
    for (const [row, [n, acc, adv]] of expected) {
      const got = fresh.get(row);
      expect(got, row).toBeDefined();
      expect(got![0], `${row} n`).toBe(n);
      // One question either way: float rounding on another CPU may flip a near-tie between two options.
      expect(Math.abs(got![1] - acc) * n, `${row} accuracy`).toBeLessThanOrEqual(1.01);
      expect(Math.abs(got![2] - adv) * n, `${row} accuracy on the breaking view`).toBeLessThanOrEqual(1.01);
    }
  }, 300_000);
});
