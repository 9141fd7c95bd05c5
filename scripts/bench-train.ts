/**
 * Training-step benchmark: one DPO + LoRA configuration, four ways, in one run.
 *   node    our step graph on onnxruntime-node (CPU EP)
 *   wasm    our step graph on onnxruntime-web WASM in headless Chromium (threaded, cross-origin isolated)
 *   webgpu  the same on WebGPU, when Chromium has a real (non-fallback) adapter, or with --webgpu-fallback
 *   torch   the identical PyTorch CPU step (scripts/dpo_reference.py: same model, weights, batch, AdamW)
 * Prints median step times, ratios to PyTorch, achieved MatMul GFLOP/s next to each
 * runtime's own MatMul rate (four chained 1024x1024 products), then one JSON line.
 *
 * Usage: npm run bench:train -- [--runs N] [--dist DIR] [--webgpu-fallback] [--small]
 */
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { chromium } from 'playwright-core';
import { matmulRate } from '../src/runtime';
import { DEFAULT_ADAMW, type FixedBatchRunResult, type FixedBatchRunSpec, buildDpoStepGraph, runFixedBatch, toyBatch } from '../src/train';
import { findChromium, findTorchPython, hasOpenBlas } from './find-tools.mjs';
import { ensureBuild, startPreview } from './preview-server.mjs';
import { benchTorchReference } from './torch-reference';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const runs = Number(option('--runs', '5'));
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs needs a positive integer');
const dist = path.resolve(ROOT, option('--dist', process.env.PASTA_DIST ?? 'dist'));

const WARMUP = 1;
const SPEC: FixedBatchRunSpec = {
  model: flag('--small')
    ? { vocabSize: 256, maxSeqLen: 64, dim: 64, layers: 2, heads: 4, hidden: 256, mlp: 'gelu', norm: 'rms' }
    : { vocabSize: 1024, maxSeqLen: 256, dim: 256, layers: 4, heads: 8, hidden: 1024, mlp: 'gelu', norm: 'rms' },
  lora: { rank: 8, alpha: 16, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] },
  dpo: { loss: 'sigmoid', beta: 0.1 },
  adamw: DEFAULT_ADAMW,
  pairs: flag('--small') ? 2 : 8,
  seqLen: flag('--small') ? 64 : 256,
  seed: 0,
  batchSeed: 1,
  steps: WARMUP + runs,
  lr: 1e-4,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const stepMedian = (r: Pick<FixedBatchRunResult, 'stepMs'>) => median(r.stepMs.slice(WARMUP));

function torchStep(python: string) {
  const batch = toyBatch({ pairs: SPEC.pairs, seqLen: SPEC.seqLen, vocabSize: SPEC.model.vocabSize, seed: SPEC.batchSeed });
  const stdout = benchTorchReference(python, { graph: buildDpoStepGraph(SPEC), batch, categoryWeights: Float32Array.of(1, 1, 1), config: { ...SPEC, threads: cpus().length } }, runs);
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { torch_ms: number; torch_matmul_gflops: number; torch_threads: number };
}

async function browserSteps() {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('No Chromium: run `node scripts/ensure-tools.mjs`');
  ensureBuild(ROOT, dist, 'train-harness.html');
  const { port, child } = await startPreview(ROOT, dist, 'train-harness.html');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--enable-unsafe-webgpu'] });
  try {
    const page = await browser.newPage({ baseURL: `http://127.0.0.1:${port}` });
    await page.goto('/train-harness.html');
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
    const env = await page.evaluate(() => window.pastaTrain.environment());
    console.log(`[bench] browser: WASM threads ${env.wasmThreads}, cross-origin isolated ${env.crossOriginIsolated}, WebGPU adapter ${JSON.stringify(env.adapter)}`);
    const timeouts = { createTimeoutMs: 300_000, runTimeoutMs: 300_000 };
    const wasm = await page.evaluate(([spec, t]) => window.pastaTrain.run('wasm', spec, t), [SPEC, timeouts] as const);
    const wasmMatmul = await page.evaluate(() => window.pastaTrain.matmulRate('wasm'));
    let webgpu: Awaited<typeof wasm> | null = null;
    let webgpuMatmul: number | null = null;
    let webgpuNote = '';
    const real = env.adapter && !env.adapter.isFallbackAdapter;
    if (real || flag('--webgpu-fallback')) {
      webgpu = await page.evaluate(([spec, t]) => window.pastaTrain.run('webgpu', spec, t), [SPEC, timeouts] as const);
      webgpuMatmul = await page.evaluate(() => window.pastaTrain.matmulRate('webgpu'));
      if (!real) webgpuNote = ' (software fallback adapter, forced)';
    } else {
      webgpuNote = env.adapter ? `skipped: only a fallback adapter (${env.adapter.vendor} ${env.adapter.architecture}); --webgpu-fallback runs it anyway` : 'skipped: no WebGPU adapter';
    }
    return { wasm, wasmMatmul, webgpu, webgpuMatmul, webgpuNote };
  } finally {
    await browser.close();
    if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
  }
}

async function main() {
  const python = findTorchPython();
  if (!python) throw new Error('No Python with PyTorch: run `node scripts/ensure-tools.mjs` or set PASTA_PYTHON');
  if (!hasOpenBlas()) console.warn('[bench] OpenBLAS is not installed: PyTorch uses the reference BLAS and is far slower than it should be');
  console.log(`[bench] config ${JSON.stringify({ model: SPEC.model, lora: SPEC.lora, pairs: SPEC.pairs, seqLen: SPEC.seqLen })}; ${runs} timed steps after ${WARMUP} warm-up`);

  const node = await runFixedBatch(ortNode, 'cpu', SPEC);
  const nodeMatmul = await matmulRate(ortNode, 'cpu');
  const torch = torchStep(python);
  const b = await browserSteps();

  const flops = node.stepFlops;
  const nodeMs = stepMedian(node);
  const wasmMs = stepMedian(b.wasm);
  const webgpuMs = b.webgpu ? stepMedian(b.webgpu) : null;
  const gflops = (ms: number | null) => (ms === null ? null : flops / (ms / 1000) / 1e9);
  const line = (name: string, ms: number | null, roof: number | null, note = '') =>
    console.log(`${name.padEnd(7)} ${ms === null ? '      -' : `${ms.toFixed(0).padStart(6)} ms`}  ratio vs torch ${ms === null ? '   -' : (ms / torch.torch_ms).toFixed(2)}  ${gflops(ms)?.toFixed(1) ?? '-'} GFLOP/s of ${roof?.toFixed(1) ?? '-'} MatMul roofline${roof && ms ? ` (${((100 * gflops(ms)!) / roof).toFixed(0)}%)` : ''}${note}`);
  console.log(`\nstep: ${node.nodeCount} nodes, ${(flops / 1e9).toFixed(2)} GFLOP of MatMul; loss at step 1 = ${node.metrics[0].loss.toFixed(6)} (node), ${b.wasm.metrics[0].loss.toFixed(6)} (wasm)`);
  line('torch', torch.torch_ms, torch.torch_matmul_gflops, ` (${torch.torch_threads} threads)`);
  line('node', nodeMs, nodeMatmul);
  line('wasm', wasmMs, b.wasmMatmul);
  line('webgpu', webgpuMs, b.webgpuMatmul, b.webgpuNote ? ` ${b.webgpuNote}` : '');
  const result = {
    config: { model: SPEC.model, lora: SPEC.lora, pairs: SPEC.pairs, seqLen: SPEC.seqLen, runs },
    node_ms: round(nodeMs),
    wasm_ms: round(wasmMs),
    webgpu_ms: round(webgpuMs),
    torch_ms: round(torch.torch_ms),
    ratio_node_vs_torch: round(nodeMs / torch.torch_ms, 3),
    ratio_wasm_vs_torch: round(wasmMs / torch.torch_ms, 3),
    ratio_webgpu_vs_torch: webgpuMs === null ? null : round(webgpuMs / torch.torch_ms, 3),
    gflops_node: round(gflops(nodeMs)),
    gflops_wasm: round(gflops(wasmMs)),
    gflops_webgpu: round(gflops(webgpuMs)),
    gflops_torch: round(gflops(torch.torch_ms)),
    matmul_roofline_gflops_node: round(nodeMatmul),
    matmul_roofline_gflops_wasm: round(b.wasmMatmul),
    matmul_roofline_gflops_webgpu: round(b.webgpuMatmul),
    matmul_gflops_torch: round(torch.torch_matmul_gflops),
    wasm_fraction_of_roofline: round(gflops(wasmMs)! / b.wasmMatmul, 3),
    webgpu_note: b.webgpuNote || null,
  };
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
