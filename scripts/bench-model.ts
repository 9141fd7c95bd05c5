/**
 * PASTA-tiny against PyTorch, measured in one run (scripts/model_reference.py, torch.set_num_threads(2)):
 *   (a) one pretraining step (FullTrainer on onnxruntime-node CPU, AdamW with weight decay 0.01 and
 *       clipping at 1) at batch 64 and 24 text slots, vs the identical torch.optim.AdamW step;
 *   (b) greedy generation of 16 words with a key-value cache: BuiltinModel on onnxruntime-node CPU and on
 *       onnxruntime-web WASM in headless Chromium (a page built with vite and served by `vite preview`, as
 *       bench-train does), vs the PyTorch greedy loop with a cache.
 * Medians of N runs after one warm-up; ratios are ours / PyTorch (target ≤ 1.0). Ends with one JSON line.
 *
 * Usage: npm run bench:model -- [--runs N] [--no-wasm]
 *
 * Also exports the helpers scripts/modelParity.test.ts uses to run the reference.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RgbaFrame } from '../src/core/frame';
import { seededRandom } from '../src/core/random';
import { Graph, type HostTensor, type TensorData } from '../src/graph';
import { DEFAULT_MODEL, type LoadedModel, type ModelConfig, WordTokenizer, geometry, initialWeights, modelFolderFiles, pretrainingLoss, sequenceFeeds } from '../src/model';
import { NN, encodeSafetensors, decodeSafetensors, initialValues } from '../src/nn';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
export const MODEL_REFERENCE = path.join(HERE, 'model_reference.py');

// ---------------------------------------------------------------- shared with the parity test

/** One request to model_reference.py: what request.json says, the model folder, and the inputs. */
export interface ReferenceJob {
  request: Record<string, unknown>;
  model: LoadedModel;
  inputs: Record<string, HostTensor>;
}

/** Runs every job in one Python process; returns each job's out.safetensors and the JSON lines it printed (bench). */
export function runModelReference(python: string, jobs: readonly ReferenceJob[]): { outputs: Record<string, HostTensor>[]; lines: Record<string, unknown>[] } {
  const dirs = jobs.map(() => mkdtempSync(path.join(tmpdir(), 'pasta-model-ref-')));
  try {
    jobs.forEach((job, i) => {
      const folder = path.join(dirs[i], 'model');
      mkdirSync(folder);
      for (const [name, bytes] of Object.entries(modelFolderFiles(job.model))) writeFileSync(path.join(folder, name), bytes);
      writeFileSync(path.join(dirs[i], 'request.json'), JSON.stringify(job.request));
      writeFileSync(path.join(dirs[i], 'inputs.safetensors'), encodeSafetensors(job.inputs));
    });
    const stdout = execFileSync(python, [MODEL_REFERENCE, ...dirs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
    const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const outputs = jobs.map((_, i) => {
      try {
        return decodeSafetensors(readFileSync(path.join(dirs[i], 'out.safetensors'))).tensors;
      } catch {
        return {};
      }
    });
    return { outputs, lines };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

export const f32 = (shape: number[], data: Float32Array): HostTensor => ({ dtype: 'float32', shape, data });
export const i32 = (shape: number[], data: Int32Array): HostTensor => ({ dtype: 'int32', shape, data });

/** The feeds of scoreGraph / pretrainingLoss: the model's own. */
export const textFeeds = sequenceFeeds;

/**
 * Every parameter random, biases and norms included, at scales that keep activations O(1)
 * (weights N(0, 1/in), tables N(0, 0.5²), norms 1 ± 0.2, biases ± 0.1), so nothing a default
 * init hides (a zero bias, a unit norm, near-uniform logits) goes untested.
 */
export function randomWeights(c: ModelConfig, seed: number): Map<string, TensorData> {
  const g = new Graph();
  pretrainingLoss(new NN(g), c, 1);
  const out = new Map<string, TensorData>();
  for (const { name, shape } of g.parameters()) {
    const normal = (std: number) => initialValues({ kind: 'normal', std }, name, shape, 'float32', seed) as Float32Array;
    if (/norm\.weight$/.test(name)) out.set(name, normal(0.2).map((x) => 1 + x));
    else if (/\.bias$/.test(name)) out.set(name, normal(0.1));
    else if (/(embed_tokens|positions)\.weight$/.test(name)) out.set(name, normal(0.5));
    else out.set(name, normal(1 / Math.sqrt(shape[1])));
  }
  return out;
}

/** `n` seeded uniform values in [-1, 1): stem inputs as patchify scales them. */
export function randomPatches(n: number, seed: number): Float32Array {
  const r = seededRandom(seed, 'patches');
  return Float32Array.from({ length: n }, () => r.uniform(-1, 1));
}

/** Seeded frames of a video (what BuiltinModel.generate takes). */
export function randomFrames(c: ModelConfig, seed: number): RgbaFrame[] {
  const r = seededRandom(seed, 'frames');
  return Array.from({ length: c.frames }, () => ({ width: c.imageSize, height: c.imageSize, data: Uint8ClampedArray.from({ length: c.imageSize * c.imageSize * 4 }, (_, i) => (i % 4 === 3 ? 255 : r.int(0, 255))) }));
}

/** The lm_head row of <eos> set to zero: its logit is 0 while the best other word's is almost surely above, so greedy decoding runs to its word limit. */
export function withoutEos(model: LoadedModel): LoadedModel {
  const weights = new Map(model.weights);
  const head = Float32Array.from(weights.get('lm_head.weight') as Float32Array);
  head.fill(0, model.tokenizer.eosId * model.config.dim, (model.tokenizer.eosId + 1) * model.config.dim);
  weights.set('lm_head.weight', head);
  return { ...model, weights };
}

export const WORDS = 'is the red green blue circle square triangle left right of above below at start end first last moving still ? which what colour shape a b c yes no'.split(' ');

// ---------------------------------------------------------------- the benchmark

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/** The page run in Chromium: BuiltinModel on WASM over a model folder served beside it. */
const HARNESS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="UTF-8" /><title>PASTA-tiny generation benchmark</title>
<script type="module" src="./entry.ts"></script></head><body><p>bench:model</p></body></html>
`;
const harnessEntry = () => `
import { loadModelFolder } from ${JSON.stringify(path.join(ROOT, 'src/model/index.ts'))};
import { BuiltinModel } from ${JSON.stringify(path.join(ROOT, 'src/respond/index.ts'))};
import { ortFor, wasmThreads } from ${JSON.stringify(path.join(ROOT, 'src/ui/ort.ts'))};
window.pastaModel = {
  async generate(question, maxWords, runs) {
    const ort = await ortFor('wasm');
    const model = await loadModelFolder(async (f) => { const r = await fetch('./model/' + f); return r.ok ? new Uint8Array(await r.arrayBuffer()) : undefined; });
    const frames = await (await fetch('./model/frames.json')).json();
    const video = frames.map((f) => ({ width: f.width, height: f.height, data: Uint8ClampedArray.from(f.data) }));
    const bm = await BuiltinModel.create(ort, model, { provider: 'wasm', scoreRows: 1, createTimeoutMs: 300000, runTimeoutMs: 300000 });
    const ms = [];
    let ids = [];
    for (let i = 0; i < runs + 1; i++) {
      const t = performance.now();
      ids = (await bm.generate(video, question, maxWords)).ids;
      if (i > 0) ms.push(performance.now() - t);
    }
    await bm.release();
    return { ms, ids, threads: wasmThreads(), crossOriginIsolated };
  },
};
document.body.dataset.ready = 'true';
`;

async function wasmGeneration(model: LoadedModel, frames: RgbaFrame[], question: string, maxWords: number, runs: number) {
  const [{ build }, { chromium }, tools, preview] = await Promise.all([import('vite'), import('playwright-core'), import('./find-tools.mjs'), import('./preview-server.mjs')]);
  const chromiumPath = tools.findChromium();
  if (!chromiumPath) throw new Error('No Chromium: run `node scripts/ensure-tools.mjs`');
  const work = mkdtempSync(path.join(tmpdir(), 'pasta-bench-model-'));
  const src = path.join(work, 'src');
  const dist = path.join(work, 'dist');
  try {
    mkdirSync(src);
    writeFileSync(path.join(src, 'model-bench.html'), HARNESS_HTML);
    writeFileSync(path.join(src, 'entry.ts'), harnessEntry());
    await build({ root: src, configFile: false, logLevel: 'warn', build: { outDir: dist, emptyOutDir: true, target: 'es2022', rollupOptions: { input: path.join(src, 'model-bench.html') } }, worker: { format: 'es' } });
    mkdirSync(path.join(dist, 'model'));
    for (const [name, bytes] of Object.entries(modelFolderFiles(model))) writeFileSync(path.join(dist, 'model', name), bytes);
    writeFileSync(path.join(dist, 'model', 'frames.json'), JSON.stringify(frames.map((f) => ({ width: f.width, height: f.height, data: Array.from(f.data) }))));
    // `vite preview` from the project root: the app's COOP/COEP/CSP headers, so WASM gets its threads.
    const { port, child } = await preview.startPreview(ROOT, dist, 'model-bench.html');
    const browser = await chromium.launch({ executablePath: chromiumPath });
    try {
      const page = await browser.newPage({ baseURL: `http://127.0.0.1:${port}` });
      await page.goto('/model-bench.html');
      await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
      return await page.evaluate(([q, n, r]) => (window as unknown as { pastaModel: { generate(q: string, n: number, r: number): Promise<{ ms: number[]; ids: number[]; threads: number; crossOriginIsolated: boolean }> } }).pastaModel.generate(q, n, r), [question, maxWords, runs] as const);
    } finally {
      await browser.close();
      if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const load = loadavg()[0];
  if (load > 1.5) console.warn(`[bench:model] load average ${load.toFixed(2)} on ${cpus().length} cores: the figures are taken under load`);
  const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');
  const [ort, { findReferencePython }, { FullTrainer, DEFAULT_ADAMW }, { BuiltinModel }, { packText, patchify }] = await Promise.all([
    import('onnxruntime-node'),
    import('./find-tools.mjs'),
    import('../src/train'),
    import('../src/respond'),
    import('../src/model'),
  ]);
  const python = findReferencePython();
  if (!python) throw new Error('No reference Python (torch 2.13 in .venv-ref): run `node scripts/ensure-tools.mjs` or set PASTA_REF_PYTHON');
  const tokenizer = new WordTokenizer(WORDS);
  const config: ModelConfig = { ...DEFAULT_MODEL, vocabSize: tokenizer.size };
  const model: LoadedModel = { config, tokenizer, weights: initialWeights(config, 1) };
  const g = geometry(config);
  const adamw = { ...DEFAULT_ADAMW, weightDecay: 0.01, maxGradNorm: 1 };
  const lr = 1e-3;
  const THREADS = 2;

  // (a) one pretraining step, batch 64, 24 text slots.
  const rows = 64;
  const slots = 24;
  const questions = ['is the red circle left of the blue square ?', 'what colour is the shape at the start ?', 'which shape is moving ?'];
  const answers = ['yes', 'red', 'the green triangle', 'no', 'left of', 'blue square'];
  const items = Array.from({ length: rows }, (_, i) => ({ question: questions[i % questions.length], answer: answers[i % answers.length] }));
  const text = packText(config, tokenizer, items, rows, slots);
  const feeds = textFeeds(config, text, randomPatches(rows * g.visualTokens * g.patchValues, 2));
  console.log(`[bench:model] PASTA-tiny ${JSON.stringify({ ...config, vocabSize: tokenizer.size })}; ${runs} timed runs after 1 warm-up; torch threads ${THREADS}`);
  const trainer = await FullTrainer.create(ort, { loss: (nn) => pretrainingLoss(nn, config, rows, slots), adamw, weights: model.weights, provider: 'cpu' });
  const nodeStep: number[] = [];
  let firstLoss = 0;
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    const m = await trainer.step(feeds, lr);
    if (i === 0) firstLoss = m.loss;
    else nodeStep.push(performance.now() - t);
  }
  await trainer.release();
  const trainRequest = { mode: 'train-step', lr, adamw, threads: THREADS, attention: 'sdpa', bench: runs, warmup: 1 };
  const torchTrain = runModelReference(python, [
    { request: trainRequest, model, inputs: feeds },
    { request: { ...trainRequest, attention: 'written' }, model, inputs: feeds },
  ]).lines;

  // (b) greedy generation of 16 words after a 12-word question (maxText 32).
  const maxWords = 16;
  const question = 'is the red circle left of the blue square at the start ?';
  const genModel = withoutEos(model);
  const frames = randomFrames(config, 3);
  const bm = await BuiltinModel.create(ort, genModel, { provider: 'cpu', scoreRows: 1 });
  const nodeGen: number[] = [];
  let nodeIds: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    nodeIds = (await bm.generate(frames, question, maxWords)).ids;
    if (i > 0) nodeGen.push(performance.now() - t);
  }
  await bm.release();
  const patches = new Float32Array(g.visualTokens * g.patchValues);
  patchify(config, frames, patches, 0);
  const genInputs = { patches: f32([1, g.visualTokens, g.patchValues], patches), question: i32([tokenizer.encode(question).length], Int32Array.from(tokenizer.encode(question))) };
  const genRequest = { mode: 'generate', maxWords, eosId: tokenizer.eosId, threads: THREADS, attention: 'sdpa', bench: runs, warmup: 1 };
  const torchGenRun = runModelReference(python, [{ request: genRequest, model: genModel, inputs: genInputs }]);
  const torchIds = Array.from(torchGenRun.outputs[0].ids.data as Int32Array);
  // For context only (the ratios use 2 threads): a decode step's matrices are tiny, and on a loaded machine
  // two OpenMP threads can cost PyTorch far more in synchronisation than they save.
  const torchGen1 = runModelReference(python, [{ request: { ...genRequest, threads: 1 }, model: genModel, inputs: genInputs }]).lines[0].torch_ms as number;
  let wasm: Awaited<ReturnType<typeof wasmGeneration>> | null = null;
  let wasmNote: string | null = null;
  if (argv.includes('--no-wasm')) wasmNote = 'skipped (--no-wasm)';
  else {
    try {
      wasm = await wasmGeneration(genModel, frames, question, maxWords, runs);
    } catch (e) {
      wasmNote = `failed: ${(e as Error).message.split('\n')[0]}`;
    }
  }

  const torchStepMs = torchTrain[0].torch_ms as number;
  const torchGenMs = torchGenRun.lines[0].torch_ms as number;
  const nodeStepMs = median(nodeStep);
  const nodeGenMs = median(nodeGen);
  const wasmGenMs = wasm ? median(wasm.ms) : null;
  const same = (a: number[] | undefined) => !!a && a.length === torchIds.length && a.every((x, i) => x === torchIds[i]);
  const line = (label: string, ms: number | null, ref: number, note = '') => console.log(`${label.padEnd(22)} ${ms === null ? '      -' : `${ms.toFixed(1).padStart(8)} ms`}  ratio vs torch ${ms === null ? '-' : (ms / ref).toFixed(2)}${note}`);
  console.log(`\n(a) pretraining step, batch ${rows}, ${slots} text slots (loss at step 1: ${firstLoss.toFixed(5)})`);
  line('torch (sdpa)', torchStepMs, torchStepMs, ` (PyTorch ${torchTrain[0].torch_version}, ${torchTrain[0].torch_threads} threads; the reference)`);
  line('torch (written out)', torchTrain[1].torch_ms as number, torchStepMs);
  line('node (FullTrainer)', nodeStepMs, torchStepMs);
  console.log(`\n(b) greedy generation of ${maxWords} words (ours ${nodeIds.length} words, torch ${torchIds.length}; same ids: node ${same(nodeIds)}, wasm ${wasm ? same(wasm.ids) : '-'})`);
  line('torch (KV cache)', torchGenMs, torchGenMs, ' (the reference, 2 threads)');
  line('torch, 1 thread', torchGen1, torchGenMs, ' (for context)');
  line('node (BuiltinModel)', nodeGenMs, torchGenMs);
  line('wasm in Chromium', wasmGenMs, torchGenMs, wasm ? ` (${wasm.threads} threads, cross-origin isolated ${wasm.crossOriginIsolated})` : ` ${wasmNote}`);
  const result = {
    runs,
    load_average: round(load, 2),
    torch_version: torchTrain[0].torch_version,
    torch_threads: torchTrain[0].torch_threads,
    train_rows: rows,
    train_slots: slots,
    train_node_ms: round(nodeStepMs),
    train_torch_ms: round(torchStepMs),
    train_torch_written_ms: round(torchTrain[1].torch_ms as number),
    ratio_train_node_vs_torch: round(nodeStepMs / torchStepMs, 3),
    gen_words: maxWords,
    gen_node_ms: round(nodeGenMs),
    gen_wasm_ms: round(wasmGenMs),
    gen_torch_ms: round(torchGenMs),
    gen_torch_1thread_ms: round(torchGen1),
    ratio_gen_node_vs_torch: round(nodeGenMs / torchGenMs, 3),
    ratio_gen_wasm_vs_torch: wasmGenMs === null ? null : round(wasmGenMs / torchGenMs, 3),
    gen_ids_match_node: same(nodeIds),
    gen_ids_match_wasm: wasm ? same(wasm.ids) : null,
    wasm_threads: wasm?.threads ?? null,
    wasm_note: wasmNote,
  };
  console.log(JSON.stringify(result));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
