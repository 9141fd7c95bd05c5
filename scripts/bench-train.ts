/**
 * Training-step benchmark: DPO + LoRA steps, measured in one run against PyTorch.
 *   node          our step graph on onnxruntime-node (CPU EP)
 *   wasm          our step graph on onnxruntime-web WASM in headless Chromium (threaded, cross-origin isolated)
 *   webgpu        the same on WebGPU, when Chromium has a real (non-fallback) adapter, or with --webgpu-fallback
 *   torch         the reference: the identical step in current PyTorch (the project's .venv-ref) with
 *                 scaled_dot_product_attention, the fastest way a user writes it (scripts/dpo_reference.py)
 *   torch-written the same PyTorch with attention written out
 *   torch-debian  Debian's PyTorch with attention written out (an older, slower build; for comparison)
 * Two configurations: `benchmark` (d 256, 4 layers, 8 pairs of 256 tokens) and `model` (close to the
 * built-in model: d 128, 4 layers, 16 pairs of 160 tokens, long visual prompts and short answers).
 * For each: median step times, ratios to the reference, MatMul GFLOP/s next to each runtime's own MatMul
 * rate, where our Node step's kernel time goes (ORT's profiler), then one JSON line.
 *
 * Usage: npm run bench:train -- [--runs N] [--config benchmark|model] [--separate-rows] [--dist DIR] [--webgpu-fallback] [--save-optimized DIR]
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import * as ortNode from 'onnxruntime-node';
import { chromium } from 'playwright-core';
import { type ProfileEvent, formatProfile, matmulRate, summarizeProfile } from '../src/runtime';
import { DEFAULT_ADAMW, type FixedBatchRunResult, type FixedBatchRunSpec, buildDpoStepGraph, fixedBatchOf, runFixedBatch } from '../src/train';
import { findChromium, findReferencePython, findTorchPython, hasOpenBlas } from './find-tools.mjs';
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
const common = { lora: { rank: 8, alpha: 16, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] }, dpo: { loss: 'sigmoid', beta: 0.1 }, adamw: DEFAULT_ADAMW, seed: 0, batchSeed: 1, steps: WARMUP + runs, lr: 1e-4 } as const;
const CONFIGS: Record<string, FixedBatchRunSpec> = {
  benchmark: {
    ...common,
    model: { vocabSize: 1024, maxSeqLen: 256, dim: 256, layers: 4, heads: 8, hidden: 1024, mlp: 'gelu', norm: 'rms' },
    pairs: 8,
    seqLen: 256,
  },
  // 128 visual tokens and a question make the prompt; answers are a few words.
  model: {
    ...common,
    model: { vocabSize: 512, maxSeqLen: 160, dim: 128, layers: 4, heads: 4, hidden: 512, mlp: 'gelu', norm: 'rms' },
    pairs: 16,
    seqLen: 160,
    batchShape: { promptTokens: [140, 152], responseTokens: [1, 6] },
    responseWindow: 8,
    // One row per pair, the prompt once and both answers as branches (the built-in model's own layout): the longest prompt and two answers.
    sharedPrompt: 164,
  },
};
const chosen = option('--config', 'all');
if (chosen !== 'all' && !CONFIGS[chosen]) throw new Error(`--config must be one of ${Object.keys(CONFIGS).join(', ')} or all`);
// --separate-rows: every runtime on [2P, T] rows (chosen and rejected apart, as TRL), no shared prompt.
const selected = Object.entries(CONFIGS).filter(([name]) => chosen === 'all' || name === chosen).map(([name, spec]) => [name, flag('--separate-rows') ? { ...spec, sharedPrompt: undefined } : spec] as const);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const stepMedian = (r: Pick<FixedBatchRunResult, 'stepMs'>) => median(r.stepMs.slice(WARMUP));

interface TorchTiming {
  torch_ms: number;
  torch_matmul_gflops: number;
  torch_threads: number;
  torch_version: string;
}

function torchStep(python: string, spec: FixedBatchRunSpec, attention: 'sdpa' | 'written'): TorchTiming {
  const run = { graph: buildDpoStepGraph(spec), batch: fixedBatchOf(spec), categoryWeights: Float32Array.of(1, 1, 1), config: { ...spec, model: { ...spec.model, attention }, threads: cpus().length } };
  return JSON.parse(benchTorchReference(python, run, runs).trim().split('\n').at(-1)!) as TorchTiming;
}

/** Node count per op type of a serialized model, most frequent first. */
function opCounts(bytes: Uint8Array): string {
  const counts = new Map<string, number>();
  for (const n of onnxProto.onnx.ModelProto.decode(bytes).graph?.node ?? []) {
    const op = `${n.domain ? `${n.domain}.` : ''}${n.opType}`;
    counts.set(op, (counts.get(op) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ');
}

/**
 * Profiled steps of our graph on Node's CPU EP (the first skipped): where the kernel time goes, and what
 * ORT's optimiser made of the graph (or --save-optimized DIR keeps the optimised model to inspect).
 */
async function profileNode(name: string, spec: FixedBatchRunSpec) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pasta-profile-'));
  const optimized = path.join(option('--save-optimized', dir), `${name}-step.optimized.onnx`);
  try {
    await runFixedBatch(ortNode, 'cpu', { ...spec, steps: 3 }, { profileFilePrefix: path.join(dir, 'step'), optimizedModelFilePath: optimized });
    const file = readdirSync(dir).find((f) => f.startsWith('step') && f.endsWith('.json'));
    if (!file) throw new Error('ORT wrote no profile');
    console.log(`our step graph: ${opCounts(buildDpoStepGraph(spec).model.bytes)}`);
    console.log(`after ORT's optimiser (level all${flag('--save-optimized') ? `, saved as ${optimized}` : ''}): ${opCounts(readFileSync(optimized))}`);
    return summarizeProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ProfileEvent[], 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function openHarness() {
  const chromiumPath = findChromium();
  if (!chromiumPath) throw new Error('No Chromium: run `node scripts/ensure-tools.mjs`');
  ensureBuild(ROOT, dist, 'train-harness.html');
  const { port, child } = await startPreview(ROOT, dist, 'train-harness.html');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--enable-unsafe-webgpu'] });
  const page = await browser.newPage({ baseURL: `http://127.0.0.1:${port}` });
  await page.goto('/train-harness.html');
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 30_000 });
  const env = await page.evaluate(() => window.pastaTrain.environment());
  console.log(`[bench] browser: WASM threads ${env.wasmThreads}, cross-origin isolated ${env.crossOriginIsolated}, WebGPU adapter ${JSON.stringify(env.adapter)}`);
  const close = async () => {
    await browser.close();
    if (child.exitCode === null) process.kill(child.pid!, 'SIGTERM');
  };
  return { page, env, close };
}

async function browserSteps(h: Awaited<ReturnType<typeof openHarness>>, spec: FixedBatchRunSpec) {
  const timeouts = { createTimeoutMs: 300_000, runTimeoutMs: 300_000 };
  const wasm = await h.page.evaluate(([s, t]) => window.pastaTrain.run('wasm', s, t), [spec, timeouts] as const);
  let webgpu: typeof wasm | null = null;
  let webgpuNote = '';
  const real = h.env.adapter && !h.env.adapter.isFallbackAdapter;
  if (real || flag('--webgpu-fallback')) {
    webgpu = await h.page.evaluate(([s, t]) => window.pastaTrain.run('webgpu', s, t), [spec, timeouts] as const);
    if (!real) webgpuNote = ' (software fallback adapter, forced)';
  } else {
    webgpuNote = h.env.adapter ? `skipped: only a fallback adapter (${h.env.adapter.vendor} ${h.env.adapter.architecture}); --webgpu-fallback runs it anyway` : 'skipped: no WebGPU adapter';
  }
  return { wasm, webgpu, webgpuNote };
}

async function main() {
  const refPython = findReferencePython();
  if (!refPython) throw new Error('No reference Python (current torch): run `node scripts/ensure-tools.mjs` or set PASTA_REF_PYTHON');
  const debianPython = findTorchPython();
  if (!hasOpenBlas()) console.warn("[bench] OpenBLAS is not installed: Debian's PyTorch uses the reference BLAS and is far slower than it should be");
  const harness = await openHarness();
  const roofline = {
    node: await matmulRate(ortNode, 'cpu'),
    wasm: await harness.page.evaluate(() => window.pastaTrain.matmulRate('wasm')),
    webgpu: harness.env.adapter && (!harness.env.adapter.isFallbackAdapter || flag('--webgpu-fallback')) ? await harness.page.evaluate(() => window.pastaTrain.matmulRate('webgpu')) : null,
  };
  try {
    for (const [name, spec] of selected) {
      console.log(`\n[bench] ${name}: ${JSON.stringify({ model: spec.model, lora: spec.lora, pairs: spec.pairs, seqLen: spec.seqLen, batchShape: spec.batchShape, responseWindow: spec.responseWindow, sharedPrompt: spec.sharedPrompt })}; ${runs} timed steps after ${WARMUP} warm-up`);
      const node = await runFixedBatch(ortNode, 'cpu', spec);
      // With a shared prompt, also the [2P, T] rows TRL runs, to show what sharing saves.
      const rows = spec.sharedPrompt ? await runFixedBatch(ortNode, 'cpu', { ...spec, sharedPrompt: undefined }) : null;
      const torch = torchStep(refPython, spec, 'sdpa');
      const written = torchStep(refPython, spec, 'written');
      const debian = debianPython ? torchStep(debianPython, spec, 'written') : null;
      const b = await browserSteps(harness, spec);
      const profile = await profileNode(name, spec);

      const flops = node.stepFlops;
      const nodeMs = stepMedian(node);
      const wasmMs = stepMedian(b.wasm);
      const webgpuMs = b.webgpu ? stepMedian(b.webgpu) : null;
      const gflops = (ms: number | null) => (ms === null ? null : flops / (ms / 1000) / 1e9);
      const line = (label: string, ms: number | null, roof: number | null, note = '') =>
        console.log(`${label.padEnd(13)} ${ms === null ? '      -' : `${ms.toFixed(0).padStart(6)} ms`}  ratio vs torch ${ms === null ? '   -' : (ms / torch.torch_ms).toFixed(2)}  ${gflops(ms)?.toFixed(1) ?? '-'} GFLOP/s of ${roof?.toFixed(1) ?? '-'} MatMul roofline${roof && ms ? ` (${((100 * gflops(ms)!) / roof).toFixed(0)}%)` : ''}${note}`);
      console.log(`step: ${node.nodeCount} nodes, ${(flops / 1e9).toFixed(2)} GFLOP of MatMul; loss at step 1 = ${node.metrics[0].loss.toFixed(6)} (node), ${b.wasm.metrics[0].loss.toFixed(6)} (wasm)`);
      line('torch', torch.torch_ms, torch.torch_matmul_gflops, ` (PyTorch ${torch.torch_version}, scaled_dot_product_attention, ${torch.torch_threads} threads; the reference)`);
      line('torch-written', written.torch_ms, written.torch_matmul_gflops, ` (PyTorch ${written.torch_version}, attention written out)`);
      if (debian) line('torch-debian', debian.torch_ms, debian.torch_matmul_gflops, ` (PyTorch ${debian.torch_version}, attention written out)`);
      line('node', nodeMs, roofline.node, spec.sharedPrompt ? ` (prompt shared, rows of ${spec.sharedPrompt})` : '');
      if (rows) line('node-rows', stepMedian(rows), roofline.node, ' (chosen and rejected rows apart, as TRL)');
      line('wasm', wasmMs, roofline.wasm);
      line('webgpu', webgpuMs, roofline.webgpu, b.webgpuNote ? ` ${b.webgpuNote}` : '');
      console.log(`where node's step goes: ${formatProfile(profile)}`);
      const result = {
        config: name,
        spec: { model: spec.model, lora: spec.lora, pairs: spec.pairs, seqLen: spec.seqLen, batchShape: spec.batchShape ?? null, responseWindow: spec.responseWindow ?? null, sharedPrompt: spec.sharedPrompt ?? null, runs },
        node_ms: round(nodeMs),
        node_separate_rows_ms: rows ? round(stepMedian(rows)) : null,
        wasm_ms: round(wasmMs),
        webgpu_ms: round(webgpuMs),
        torch_ms: round(torch.torch_ms),
        torch_version: torch.torch_version,
        torch_sdpa_ms: round(torch.torch_ms),
        torch_written_ms: round(written.torch_ms),
        torch_debian_ms: debian ? round(debian.torch_ms) : null,
        torch_debian_version: debian?.torch_version ?? null,
        ratio_node_vs_torch: round(nodeMs / torch.torch_ms, 3),
        ratio_wasm_vs_torch: round(wasmMs / torch.torch_ms, 3),
        ratio_webgpu_vs_torch: webgpuMs === null ? null : round(webgpuMs / torch.torch_ms, 3),
        gflops_node: round(gflops(nodeMs)),
        gflops_wasm: round(gflops(wasmMs)),
        gflops_webgpu: round(gflops(webgpuMs)),
        gflops_torch: round(gflops(torch.torch_ms)),
        matmul_roofline_gflops_node: round(roofline.node),
        matmul_roofline_gflops_wasm: round(roofline.wasm),
        matmul_roofline_gflops_webgpu: round(roofline.webgpu),
        matmul_gflops_torch: round(torch.torch_matmul_gflops),
        wasm_fraction_of_roofline: round(gflops(wasmMs)! / roofline.wasm, 3),
        node_kernel_share: Object.fromEntries(Object.entries(profile.byKind).map(([k, ms]) => [k, round(ms / profile.kernelMs, 3)])),
        webgpu_note: b.webgpuNote || null,
      };
      console.log(JSON.stringify(result));
    }
  } finally {
    await harness.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
