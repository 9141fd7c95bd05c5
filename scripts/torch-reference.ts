/**
 * Runs scripts/dpo_reference.py (PyTorch) on exactly the weights and batch of
 * our step graphs: writes each as safetensors beside a config, runs one Python
 * process for all of them, and returns what it printed and each directory's
 * output. Used by the parity test and bench:train.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostTensor } from '../src/graph';
import { decodeSafetensors, encodeSafetensors } from '../src/nn';
import { type DpoBatch, type DpoStepGraph, batchRows } from '../src/train';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dpo_reference.py');

export interface TorchReferenceRun {
  graph: DpoStepGraph;
  batch: DpoBatch;
  categoryWeights: Float32Array | Float64Array;
  /** model, lora, dpo, adamw, lr, threads, steps, lossCode: what dpo_reference.py reads from config.json. */
  config: object;
}

function writeRun(dir: string, { graph, batch, categoryWeights, config }: TorchReferenceRun) {
  const rows = batchRows(batch);
  const shape = [2 * batch.pairs, batch.seqLen];
  const float = (x: Float32Array) => (graph.dtype === 'float32' ? x : Float64Array.from(x));
  const weights: Record<string, HostTensor> = Object.fromEntries(graph.frozen);
  for (const n of graph.trainable) weights[n] = graph.initialState[n];
  writeFileSync(path.join(dir, 'weights.safetensors'), encodeSafetensors(weights));
  writeFileSync(
    path.join(dir, 'batch.safetensors'),
    encodeSafetensors({
      input_ids: { dtype: 'int32', shape, data: rows.ids },
      attention_mask: { dtype: graph.dtype, shape, data: float(rows.mask) },
      response_mask: { dtype: graph.dtype, shape, data: float(rows.response) },
      category: { dtype: 'int32', shape: [batch.pairs], data: batch.category },
      category_weights: { dtype: graph.dtype, shape: [categoryWeights.length], data: categoryWeights },
    }),
  );
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
}

/** Runs every case in one process; returns each case's outputs (torch_out.safetensors), in order. */
export function runTorchReferences(python: string, runs: readonly TorchReferenceRun[]): Record<string, HostTensor>[] {
  const dirs = runs.map(() => mkdtempSync(path.join(tmpdir(), 'pasta-torch-')));
  try {
    runs.forEach((r, i) => writeRun(dirs[i], r));
    execFileSync(python, [SCRIPT, ...dirs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return dirs.map((d) => decodeSafetensors(readFileSync(path.join(d, 'torch_out.safetensors'))).tensors);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Times `benchRuns` steps of one case; returns the JSON line dpo_reference.py prints. */
export function benchTorchReference(python: string, run: TorchReferenceRun, benchRuns: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pasta-torch-'));
  try {
    writeRun(dir, run);
    return execFileSync(python, [SCRIPT, dir, '--bench', String(benchRuns)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
