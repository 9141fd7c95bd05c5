import type { HostTensor, OrtModule, Provider } from '../runtime';
import type { DpoStepOptions } from './stepGraph';
import { type ToyBatchOptions, toyBatch } from './toyBatch';
import { DpoTrainer, type DpoTrainerOptions, type StepMetrics } from './trainer';

/**
 * A reproducible training run: a model, adapters, loss and optimizer, and a
 * toy batch made from `batchSeed`, trained `steps` times at `lr`. Plain data,
 * so the browser, Node tests and the benchmark run exactly the same thing.
 */
export interface FixedBatchRunSpec extends Omit<DpoStepOptions, 'weights' | 'emitGradients' | 'frozenAsInputs'> {
  batchSeed: number;
  /** Prompt and response lengths of the toy batch (default: toyBatch's). */
  batchShape?: Pick<ToyBatchOptions, 'promptTokens' | 'responseTokens'>;
  steps: number;
  lr: number;
}

export interface FixedBatchRunResult {
  provider: Provider;
  metrics: StepMetrics[];
  /** Adapter weights after the last step. */
  adapters: Record<string, HostTensor>;
  /** Milliseconds of each step, and of building the graphs plus creating the sessions. */
  stepMs: number[];
  createMs: number;
  nodeCount: number;
  /** MatMul FLOPs of one step. */
  stepFlops: number;
  /** Where each carried tensor was after the last step ('gpu-buffer' when it stayed on the GPU). */
  stateLocations: Record<string, string>;
}

/** Session settings a run may override. */
export type RunSettings = Pick<DpoTrainerOptions, 'createTimeoutMs' | 'runTimeoutMs' | 'logSeverityLevel' | 'profileFilePrefix' | 'optimizedModelFilePath'>;

/** The run's toy batch. */
export const fixedBatchOf = (spec: FixedBatchRunSpec) =>
  toyBatch({ pairs: spec.pairs, seqLen: spec.seqLen, vocabSize: spec.model.vocabSize, seed: spec.batchSeed, categories: spec.categories, ...spec.batchShape });

export async function runFixedBatch(ort: OrtModule, provider: Provider, spec: FixedBatchRunSpec, settings?: RunSettings): Promise<FixedBatchRunResult> {
  const t0 = performance.now();
  const trainer = await DpoTrainer.create(ort, { ...spec, provider, ...settings });
  const createMs = performance.now() - t0;
  const batch = fixedBatchOf(spec);
  await trainer.referenceLogps(batch);
  const metrics: StepMetrics[] = [];
  const stepMs: number[] = [];
  try {
    for (let i = 0; i < spec.steps; i++) {
      const t = performance.now();
      metrics.push(await trainer.step(batch, spec.lr));
      stepMs.push(performance.now() - t);
    }
    if (settings?.profileFilePrefix) trainer.endProfiling();
    const stateLocations = trainer.stateLocations();
    return { provider, metrics, stateLocations, adapters: await trainer.adapters(), stepMs, createMs, nodeCount: trainer.graph.model.nodeCount, stepFlops: trainer.graph.model.matmulFlops };
  } finally {
    await trainer.release();
  }
}
