/**
 * The DPO step graph in headless Chromium: WASM and WebGPU give the same
 * results as ORT's Node CPU provider, and every op runs on the WebGPU EP
 * with no CPU fallback.
 */
import { type Page, expect, test } from '@playwright/test';
import * as ort from 'onnxruntime-node';
import { type FixedBatchRunSpec, DEFAULT_ADAMW, runFixedBatch } from '../src/train';

const SPEC: FixedBatchRunSpec = {
  model: { vocabSize: 64, maxSeqLen: 16, dim: 32, layers: 2, heads: 4, hidden: 64, mlp: 'gelu', norm: 'rms' },
  lora: { rank: 4, alpha: 8, targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'fc1'] },
  dpo: { loss: 'sigmoid', beta: 0.1 },
  adamw: { ...DEFAULT_ADAMW, weightDecay: 0.01 },
  pairs: 4,
  seqLen: 16,
  seed: 4,
  batchSeed: 5,
  steps: 4,
  lr: 1e-2,
};

async function openHarness(page: Page) {
  await page.goto('/train-harness.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

/** max|a − b| / max|b|: error relative to the tensor's scale. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>) {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-30);
}

test('the page sees a WebGPU adapter, threaded WASM, and chooses WASM on a software adapter', async ({ page }) => {
  await openHarness(page);
  const env = await page.evaluate(() => window.pastaTrain.environment());
  expect(env.crossOriginIsolated).toBe(true);
  expect(env.wasmThreads).toBeGreaterThanOrEqual(2);
  expect(env.adapter).not.toBeNull();
  expect(env.choice.provider).toBe(env.adapter!.isFallbackAdapter ? 'wasm' : 'webgpu');
});

test('the same step graph gives the same losses, metrics and adapters on Node CPU, WASM and WebGPU', async ({ page }) => {
  test.setTimeout(240_000);
  const node = await runFixedBatch(ort, 'cpu', SPEC);
  await openHarness(page);
  for (const provider of ['wasm', 'webgpu'] as const) {
    const browser = await page.evaluate(([p, spec]) => window.pastaTrain.run(p, spec, { createTimeoutMs: 120_000, runTimeoutMs: 60_000 }), [provider, SPEC] as const);
    expect(browser.provider).toBe(provider);
    expect(browser.metrics).toHaveLength(SPEC.steps);
    expect(browser.metrics[0].loss).toBeCloseTo(Math.LN2, 5);
    browser.metrics.forEach((m, i) => {
      for (const key of ['loss', 'grad_norm', 'rewards/chosen', 'rewards/rejected', 'rewards/margins', 'logps/chosen', 'logps/rejected'] as const) {
        const ours = node.metrics[i][key];
        expect(Math.abs(m[key] - ours), `${provider} step ${i + 1} ${key}: ${m[key]} vs Node ${ours}`).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(ours), 1e-3));
      }
      expect(m['rewards/accuracies']).toBe(node.metrics[i]['rewards/accuracies']);
    });
    // Adapters and moments stay where the step ran: on the GPU under WebGPU, never read back between steps.
    const locations = new Set(Object.values(browser.stateLocations));
    expect([...locations]).toEqual([provider === 'webgpu' ? 'gpu-buffer' : 'cpu']);
    expect(Object.keys(browser.stateLocations)).toHaveLength(3 * Object.keys(node.adapters).length);
    // The adapters moved, and identically.
    expect(node.metrics.at(-1)!.loss).toBeLessThan(node.metrics[0].loss);
    for (const [name, t] of Object.entries(node.adapters)) {
      expect(relError(browser.adapters[name], t.data as Float32Array), `${provider} ${name}`).toBeLessThan(1e-4);
    }
  }
});

test('every op the compiler emits runs on the WebGPU EP: no CPU fallback for the primitives, their gradients, or the DPO step', async ({ page }) => {
  test.setTimeout(240_000);
  const lines: string[] = [];
  page.on('console', (m) => lines.push(m.text()));
  await openHarness(page);

  const suite = await page.evaluate(() => window.pastaTrain.primitiveSuite('webgpu', 0));
  expect(suite.nodeCount).toBeGreaterThan(100);
  const wasm = await page.evaluate(() => window.pastaTrain.primitiveSuite('wasm'));
  for (const [name, values] of Object.entries(wasm.outputs)) expect(relError(suite.outputs[name], values), name).toBeLessThan(1e-4);

  await page.evaluate(([spec]) => window.pastaTrain.run('webgpu', { ...spec, steps: 1 }, { logSeverityLevel: 0 }), [SPEC] as const);

  // A node the EP cannot run is named in a "kernel not found" line; each CPU fallback needs host-device copies.
  const rejected = lines.filter((l) => /kernel not found|MemcpyTransformer modified: [1-9]/i.test(l));
  expect(rejected).toEqual([]);
  expect(lines.filter((l) => /MemcpyTransformer modified: 0 /.test(l)).length).toBeGreaterThanOrEqual(3);
  const placements = lines.filter((l) => /placed on/i.test(l));
  // Three sessions: the primitive suite, the reference graph, the step graph.
  expect(placements.length, lines.filter((l) => /placement|placed/i.test(l)).join('\n')).toBeGreaterThanOrEqual(3);
  for (const p of placements) expect(p).toMatch(/All nodes placed on \[WebGpuExecutionProvider\]/);
});
