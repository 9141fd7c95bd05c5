/**
 * Runs scripts/dpo_reference.py (PyTorch) on exactly the weights and batch of
 * one of our step graphs: writes them as safetensors beside a config, runs
 * Debian's python3, and returns what it printed and the directory's output.
 * Used by the parity test and bench:train.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NamedTensor, decodeSafetensors, encodeSafetensors } from '../src/nn';
import { type DpoBatch, type DpoStepGraph, sequenceFeeds } from '../src/train';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dpo_reference.py');

export interface TorchReferenceRun {
  python: string;
  graph: DpoStepGraph;
  batch: DpoBatch;
  categoryWeights: Float32Array;
  /** model, lora, dpo, adamw, lr, threads: what dpo_reference.py reads from config.json. */
  config: object;
  /** Time this many steps instead of writing one step's results. */
  benchRuns?: number;
}

export function runTorchReference(run: TorchReferenceRun): { stdout: string; outputs: Record<string, NamedTensor> | null } {
  const { python, graph, batch, categoryWeights, config, benchRuns } = run;
  const dir = mkdtempSync(path.join(tmpdir(), 'pasta-torch-'));
  try {
    const weights: Record<string, NamedTensor> = Object.fromEntries(graph.frozen);
    for (const n of graph.trainable) weights[n] = graph.initialState[n];
    writeFileSync(path.join(dir, 'weights.safetensors'), encodeSafetensors(weights));
    writeFileSync(
      path.join(dir, 'batch.safetensors'),
      encodeSafetensors({
        ...sequenceFeeds(batch),
        category: { dtype: 'int32', shape: [batch.pairs], data: batch.category },
        category_weights: { dtype: 'float32', shape: [categoryWeights.length], data: categoryWeights },
      }),
    );
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    const args = [SCRIPT, dir, ...(benchRuns ? ['--bench', String(benchRuns)] : [])];
    const stdout = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const outputs = benchRuns ? null : decodeSafetensors(readFileSync(path.join(dir, 'torch_out.safetensors'))).tensors;
    return { stdout, outputs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
