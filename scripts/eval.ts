/**
 * `npm run eval`: the held-out benchmark of the built-in model in Node.
 *
 *   npm run eval -- --seed S --per-category N [--model DIR] [--adapter DIR] [--ep cpu|wasm] [--markdown]
 *
 * Fresh scenes of the eval split from seed S (never seen in pretraining),
 * N multiple-choice questions per category spread over its templates, scored
 * on the preferred view and on the view that breaks each category. Progress
 * goes to stderr; the last line of stdout is one JSON object.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarkItems, benchmarkTable, runBenchmark } from '../src/eval';
import { loadModelFolder, mergeAdapter } from '../src/model';
import { BuiltinModel } from '../src/respond';
import type { OrtModule } from '../src/runtime';
import { progressLine } from './progress';

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    'per-category': { type: 'string', default: '150' },
    model: { type: 'string', default: 'public/models/pasta-tiny' },
    adapter: { type: 'string' },
    ep: { type: 'string', default: 'cpu' },
    markdown: { type: 'boolean', default: false },
  },
});
const seed = Number(args.seed);
const perCategory = Number(args['per-category']);
if (!Number.isInteger(seed)) throw new TypeError(`--seed must be an integer, got ${args.seed}`);
if (!Number.isInteger(perCategory) || perCategory < 1) throw new TypeError(`--per-category must be a positive integer, got ${args['per-category']}`);
if (args.ep !== 'cpu' && args.ep !== 'wasm') throw new TypeError(`--ep must be cpu or wasm, got ${args.ep}`);

const readFrom = (dir: string) => async (file: string) => readFile(join(dir, file)).then((b) => new Uint8Array(b), () => undefined);
let model = await loadModelFolder(readFrom(args.model));
if (args.adapter) model = await mergeAdapter(model, readFrom(args.adapter));

let ort: OrtModule;
if (args.ep === 'cpu') ort = await import('onnxruntime-node');
else {
  const web = await import('onnxruntime-web');
  web.env.wasm.numThreads = 2;
  ort = web;
}

const started = performance.now();
const items = benchmarkItems(seed, perCategory, model.config.imageSize);
const scorer = await BuiltinModel.create(ort, model, { provider: args.ep, scoreRows: 32, scoreSlots: 24 });
const result = await runBenchmark(scorer, items, seed, (done, total) => process.stderr.write(`\r${progressLine(done, total, (performance.now() - started) / 1000, 'options scored')}`));
await scorer.release();
process.stderr.write('\n');
if (args.markdown) console.log(benchmarkTable(result));
else {
  const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
  for (const [t, r] of Object.entries(result.per_template)) console.log(`${t.padEnd(28)} n ${String(r.n).padStart(4)}  chance ${pct(r.chance)}  accuracy ${pct(r.accuracy)}  adversarial ${pct(r.adversarial_accuracy)}`);
}
console.log(JSON.stringify(result));
