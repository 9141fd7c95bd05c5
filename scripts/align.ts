/**
 * `npm run align`: annotation-free DPO alignment of the built-in model, headless in Node (same code as the
 * browser, on onnxruntime-node's CPU provider).
 *
 *   npm run align -- --pairs N --seed S [--categories spatial,temporal,cross_frame] [--out DIR]
 *                    [--model DIR] [--eval-seed E] [--eval-per-category 150] [--rank 8] [--alpha 16]
 *                    [--targets q_proj,k_proj,v_proj,o_proj,fc1,fc2] [--beta 0.1] [--loss sigmoid] [--sft-weight 0] [--lr 1e-3]
 *                    [--epochs 3] [--batch 8] [--max-train-seconds 300] [--min-gap 0] [--balance per-template|none]
 *                    [--category-weights 1,1,1] [--oracle]
 *
 * 1. Pairs from the model itself on train-split scenes from seed S (src/align: r+ on the preferred view,
 *    r- from the adversarial views and rewrites; ground truth only reports pair precision).
 * 2. LoRA DPO on them (src/train: BuiltinDpoTrainer), at most --max-train-seconds of training.
 *    With --oracle the pairs come from ground truth instead (r+ the true answer): the upper bound, labelled so.
 * 3. The held-out benchmark (eval-split scenes from seed E ≠ S) before and after, the adapter merged.
 * Writes DIR/adapter_config.json, DIR/adapter_model.safetensors (PEFT layout), DIR/pairs.jsonl (pair store
 * records), DIR/train_log.json. Progress goes to stderr; the last line of stdout is one JSON object.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { type MakePairsResult, PAIR_CATEGORIES, type PairCategory, type SelfPair, makeOraclePairs, makeSelfPairs, pairPrecision, pairRule, selfPairRecord } from '../src/align';
import { type BenchmarkResult, SYNTH_CATEGORIES, benchmarkItems, runBenchmark } from '../src/eval';
import { type LoadedModel, geometry, loadModelFolder, mergeAdapter, patchify } from '../src/model';
import { BuiltinModel } from '../src/respond';
import { type BuiltinPair, BuiltinDpoTrainer, DEFAULT_ADAMW, type DpoLossType, adapterFiles, trainPairEpochs } from '../src/train';
import { progressLine } from './progress';

const { values: args } = parseArgs({
  options: {
    pairs: { type: 'string', default: '600' },
    seed: { type: 'string', default: '0' },
    categories: { type: 'string', default: PAIR_CATEGORIES.join(',') },
    out: { type: 'string' },
    model: { type: 'string', default: 'public/models/pasta-tiny' },
    'eval-seed': { type: 'string' },
    'eval-per-category': { type: 'string', default: '150' },
    rank: { type: 'string', default: '8' },
    alpha: { type: 'string', default: '16' },
    targets: { type: 'string', default: 'q_proj,k_proj,v_proj,o_proj,fc1,fc2' },
    beta: { type: 'string', default: '0.1' },
    'sft-weight': { type: 'string', default: '0' },
    loss: { type: 'string', default: 'sigmoid' },
    lr: { type: 'string', default: '1e-3' },
    epochs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '8' },
    'max-train-seconds': { type: 'string', default: '300' },
    'min-gap': { type: 'string', default: '0' },
    balance: { type: 'string', default: 'per-template' },
    'max-questions': { type: 'string' },
    oracle: { type: 'boolean', default: false },
    'category-weights': { type: 'string' },
  },
});
const int = (name: string, least: number) => {
  const v = Number(args[name as keyof typeof args]);
  if (!Number.isInteger(v) || v < least) throw new TypeError(`--${name} must be an integer of at least ${least}, got ${args[name as keyof typeof args]}`);
  return v;
};
const num = (name: string) => {
  const v = Number(args[name as keyof typeof args]);
  if (!Number.isFinite(v)) throw new TypeError(`--${name} must be a number, got ${args[name as keyof typeof args]}`);
  return v;
};
const wanted = int('pairs', 1);
const seed = int('seed', 0);
const evalSeed = args['eval-seed'] === undefined ? seed + 1 : int('eval-seed', 0);
if (evalSeed === seed) throw new TypeError(`--eval-seed must differ from --seed (${seed}): the held-out scenes come from another seed`);
const categories = args.categories.split(',').map((c) => c.trim()).filter(Boolean) as PairCategory[];
for (const c of categories) if (!PAIR_CATEGORIES.includes(c)) throw new TypeError(`--categories: "${c}" is not one of ${PAIR_CATEGORIES.join(', ')}`);
if (args.balance !== 'per-template' && args.balance !== 'none') throw new TypeError(`--balance must be per-template or none, got ${args.balance}`);
const out = args.out ?? `bench-out/align/seed-${seed}`;
const slots = 24; // the longest question plus the answer window, as pretraining packs them
const lora = { rank: int('rank', 1), alpha: num('alpha'), targets: args.targets.split(',').map((t) => t.trim()).filter(Boolean) };
const dpo = { loss: args.loss as DpoLossType, beta: num('beta'), sftWeight: num('sft-weight') };

const readFrom = (dir: string) => async (file: string) => readFile(join(dir, file)).then((b) => new Uint8Array(b), () => undefined);
const base = await loadModelFolder(readFrom(args.model));
const modelName = args.model.replace(/\/+$/, '').split('/').pop()!;
const log = (s: string) => process.stderr.write(s);
const started = performance.now();
const since = () => (performance.now() - started) / 1000;

const held = benchmarkItems(evalSeed, int('eval-per-category', 1), base.config.imageSize);
async function benchmark(model: LoadedModel, label: string): Promise<BenchmarkResult> {
  const scorer = await BuiltinModel.create(ort, model, { provider: 'cpu', scoreRows: 32, scoreSlots: slots });
  const t0 = performance.now();
  const r = await runBenchmark(scorer, held, evalSeed, (d, n) => log(`\r${label}: ${progressLine(d, n, (performance.now() - t0) / 1000, 'options scored')}`));
  log('\n');
  await scorer.release();
  return r;
}

/** Oracle pairs in the shape of a self-pair result: no candidates, so no yield; the rule says what they are. */
function oracleResult(pairs: SelfPair[]): MakePairsResult {
  const tallyOf = (keep: (p: SelfPair) => boolean) => {
    const n = pairs.filter(keep).length;
    return { questions: n, candidates: 0, kept: n, yield: Number.NaN, pairs: n };
  };
  return {
    pairs,
    rule: { ...pairRule(), id: 'oracle', text: 'ORACLE: r+ is the true answer and r- another option, from ground truth (an upper bound, not annotation-free)' },
    sources: {},
    questions: pairs.length,
    perCategory: Object.fromEntries(categories.map((c) => [c, tallyOf((p) => p.category === c)])),
    perTemplate: Object.fromEntries([...new Set(pairs.map((p) => p.template))].map((t) => [t, { ...tallyOf((p) => p.template === t), classes: {} }])),
    perSource: {},
    ended: 'done',
    givenUp: [],
  };
}

// 1. Pairs from the model itself (or, with --oracle, from ground truth: the upper bound).
const responder = await BuiltinModel.create(ort, base, { provider: 'cpu', scoreRows: 32, scoreSlots: slots });
const rule = pairRule(num('min-gap'));
const made: MakePairsResult = args.oracle
  ? oracleResult(makeOraclePairs({ pairs: wanted, seed, categories, imageSize: base.config.imageSize }))
  : await makeSelfPairs(responder, {
      pairs: wanted, seed, categories, rule, balance: args.balance, imageSize: base.config.imageSize,
      maxQuestions: args['max-questions'] === undefined ? undefined : int('max-questions', 1),
      onProgress: (p) => log(`\rpairs: ${progressLine(p.questions, p.maxQuestions, since(), `${p.pairs} balanced pairs`)}`),
    });
log('\n');
await responder.release();
const precision = pairPrecision(made.pairs);
const precisionBySource = pairPrecision(made.pairs, (p) => p.source);
const precisionByTemplate = pairPrecision(made.pairs, (p) => p.template);
const pairSeconds = since();
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'pairs.jsonl'), made.pairs.map((p) => JSON.stringify(selfPairRecord(p, { model: modelName, adapter: 'none' }, made.rule))).join('\n') + '\n');
console.log(`${made.pairs.length} pairs from ${made.questions} questions in ${pairSeconds.toFixed(0)} s (${made.ended}); rule: ${made.rule.text}`);
if (made.givenUp.length) console.log(`  given up (no pair from their first questions: the model answers them the same on every view): ${made.givenUp.join(', ')}`);
const prec = (x: { precision: number } | undefined) => (x ? `${(100 * x.precision).toFixed(0).padStart(3)}%` : '   -');
for (const [t, r] of Object.entries(made.perTemplate)) {
  console.log(`  ${t.padEnd(24)} questions ${String(r.questions).padStart(4)}  kept ${String(r.kept).padStart(4)}/${String(r.candidates).padEnd(4)} yield ${(100 * r.yield).toFixed(0).padStart(3)}%  pairs ${String(r.pairs).padStart(3)}  precision ${prec(precisionByTemplate[t])}  by r+ class ${JSON.stringify(r.classes)}`);
}
for (const [s, r] of Object.entries(made.perSource)) console.log(`  source ${s.padEnd(16)} kept ${String(r.kept).padStart(4)}/${String(r.candidates).padEnd(5)} yield ${(100 * r.yield).toFixed(0).padStart(3)}%  pairs ${String(r.pairs).padStart(3)}  precision ${prec(precisionBySource[s])}`);

// 2. LoRA DPO.
const g = geometry(base.config);
const pairs: BuiltinPair[] = made.pairs.map((p) => {
  const patches = new Float32Array(g.visualTokens * g.patchValues);
  patchify(base.config, p.frames, patches, 0);
  return { patches, question: p.question.text, chosen: p.chosen, rejected: p.rejected, category: categories.indexOf(p.category) };
});
const batch = int('batch', 1);
// The paper's per-category loss weights, in --categories order.
const categoryWeights = args['category-weights']?.split(',').map(Number);
const trainer = await BuiltinDpoTrainer.create(ort, base, { provider: 'cpu', pairs: batch, slots, lora, dpo, adamw: DEFAULT_ADAMW, seed, categories: categories.length, categoryWeights });
const run = await trainPairEpochs(trainer, pairs, {
  epochs: int('epochs', 1), lr: num('lr'), seed, categories, maxSeconds: num('max-train-seconds'),
  onStep: (m) => log(`\rtrain: ${progressLine(m.step, Math.ceil(pairs.length / batch) * int('epochs', 1), m.seconds, `loss ${m.loss.toFixed(3)} acc ${m['rewards/accuracies'].toFixed(2)} margin ${m['rewards/margins'].toFixed(3)}`)}`),
});
log('\n');
const files = adapterFiles(await trainer.adapters(), lora, { baseModel: modelName, header: { seed: String(seed), pairs: String(pairs.length), steps: String(run.steps) } });
await trainer.release();
for (const [f, bytes] of Object.entries(files)) writeFileSync(join(out, f), bytes);
const tail = run.log.slice(-Math.max(1, Math.ceil(pairs.length / batch)));
const mean = (k: 'loss' | 'rewards/accuracies' | 'rewards/margins' | 'rewards/chosen' | 'rewards/rejected') => tail.reduce((s, m) => s + m[k], 0) / tail.length;
console.log(`trained ${run.steps}/${run.totalSteps} steps in ${run.seconds.toFixed(0)} s (${run.ended}); last epoch: loss ${mean('loss').toFixed(3)}, rewards/accuracies ${mean('rewards/accuracies').toFixed(2)}, margins ${mean('rewards/margins').toFixed(3)}, chosen ${mean('rewards/chosen').toFixed(3)}, rejected ${mean('rewards/rejected').toFixed(3)}`);
writeFileSync(join(out, 'train_log.json'), `${JSON.stringify({ settings: { pairs: pairs.length, seed, eval_seed: evalSeed, categories, category_weights: categoryWeights ?? null, oracle: args.oracle, lora, dpo, lr: num('lr'), epochs: int('epochs', 1), batch }, pairs: { rule: made.rule, per_category: made.perCategory, per_template: made.perTemplate, per_source: made.perSource, precision, precision_by_source: precisionBySource, precision_by_template: precisionByTemplate }, steps: run.log })}\n`);

// 3. Held-out before and after, the adapter merged.
const before = await benchmark(base, 'before');
const after = await benchmark(await mergeAdapter(base, async (f) => files[f]), 'after');
const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
console.log(`\nheld-out accuracy, eval-split scenes from seed ${evalSeed} (${held.length / SYNTH_CATEGORIES.length} per category):`);
console.log('| category | n | before % (95% interval) | after % (95% interval) | change | breaking view before / after % |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const c of SYNTH_CATEGORIES) {
  const iv = (r: BenchmarkResult) => `${pct(r.accuracy[c])} (${pct(r.interval[c][0])}–${pct(r.interval[c][1])})`;
  console.log(`| ${c} | ${before.n[c]} | ${iv(before)} | ${iv(after)} | ${(100 * (after.accuracy[c] - before.accuracy[c])).toFixed(1)} | ${pct(before.adversarial_accuracy[c])} / ${pct(after.adversarial_accuracy[c])} |`);
}
for (const [t, b] of Object.entries(before.per_template)) console.log(`  ${t.padEnd(24)} ${pct(b.accuracy)} -> ${pct(after.per_template[t].accuracy)}`);
const perCat = <T>(f: (c: PairCategory) => T) => Object.fromEntries(categories.map((c) => [c, f(c)]));
const round = (x: number) => Math.round(x * 1e4) / 1e4;
console.log(JSON.stringify({
  pairs: pairs.length,
  seed,
  eval_seed: evalSeed,
  train_seconds: Math.round(run.seconds * 10) / 10,
  oracle: args.oracle,
  pair_yield: perCat((c) => (args.oracle ? null : round(made.perCategory[c].yield))),
  pair_precision: perCat((c) => round(precision[c]?.precision ?? 0)),
  before: Object.fromEntries(SYNTH_CATEGORIES.map((c) => [c, round(before.accuracy[c])])),
  after: Object.fromEntries(SYNTH_CATEGORIES.map((c) => [c, round(after.accuracy[c])])),
}));
