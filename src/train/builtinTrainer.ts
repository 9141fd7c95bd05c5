import type { TensorData } from '../graph';
import { type LoadedModel, mergeAdapter } from '../model';
import type { LoraTargets } from '../nn';
import { type HostTensor, LoopSession, ModelSession, type ModelSessionOptions, type OrtModule } from '../runtime';
import type { AdamWConfig } from './adamw';
import { type BuiltinPairBatch, builtinPairFeeds } from './builtinBatch';
import { type BuiltinDpoStepGraph, type BuiltinDpoStepOptions, buildBuiltinDpoStepGraph, buildBuiltinPolicyGraph, buildBuiltinReferenceGraph } from './builtinStep';
import { DPO_METRICS, type DpoConfig, usesMeanLogps } from './dpo';
import { CheckpointError, TrainingDivergedError } from './errors';
import { adapterFiles } from './peftAdapter';
import type { StepMetrics } from './trainer';

export interface BuiltinDpoTrainerOptions extends Omit<BuiltinDpoStepOptions, 'config' | 'weights'>, Pick<ModelSessionOptions, 'provider' | 'runTimeoutMs' | 'createTimeoutMs'> {
  /** Weight of each category in the loss, indexed by the batch's category. Default 1 each. */
  categoryWeights?: readonly number[];
  /** Continue from a checkpoint: adapters, AdamW moments and step count (the settings must match). */
  resume?: BuiltinDpoCheckpoint;
}

/** Everything needed to continue training exactly where it stopped: plain data (structured-clone-able for IndexedDB). */
export interface BuiltinDpoCheckpoint {
  format: 'pasta-builtin-lora-dpo';
  version: 1;
  /** Optimizer steps taken. */
  step: number;
  lora: LoraTargets;
  dpo: DpoConfig;
  adamw: AdamWConfig;
  /** Every carried tensor by input name: the adapters, then `adam.m.<name>` and `adam.v.<name>`. */
  state: Record<string, HostTensor>;
}

const isFinite = (x: number) => Number.isFinite(x);

/**
 * DPO training of LoRA adapters on the built-in model, on one ORT provider.
 * The reference is the model with the adapters off (or, when continuing an
 * adapter, with that adapter merged in and frozen); its log-probs are
 * computed once per pair. A step whose loss or gradient norm is not finite is
 * undone: the trainer goes back to the last state whose loss was finite and
 * throws TrainingDivergedError.
 */
export class BuiltinDpoTrainer {
  private stepCount = 0;
  private lastGood: { step: number; state: Record<string, HostTensor> };
  private refCache = new WeakMap<BuiltinPairBatch, Float32Array>();

  private constructor(
    readonly model: LoadedModel,
    readonly graph: BuiltinDpoStepGraph,
    private readonly reference: ModelSession,
    private readonly policy: ModelSession,
    private readonly loop: LoopSession,
    readonly options: BuiltinDpoTrainerOptions & { slots: number },
  ) {
    this.lastGood = { step: 0, state: graph.initialState };
  }

  static async create(ort: OrtModule, model: LoadedModel, options: BuiltinDpoTrainerOptions): Promise<BuiltinDpoTrainer> {
    const categories = options.categories ?? 3;
    const w = options.categoryWeights ?? [];
    if (w.length && w.length !== categories) throw new TypeError(`categoryWeights has ${w.length} entries; the run has ${categories} categories`);
    const bad = w.findIndex((x) => !(x >= 0) || !Number.isFinite(x));
    if (bad >= 0) throw new TypeError(`categoryWeights[${bad}] must be a finite number of at least 0, got ${w[bad]}`);
    const spec = { ...options, config: model.config, weights: model.weights };
    const graph = buildBuiltinDpoStepGraph(spec);
    // Continuing an adapter: the reference is the model with that adapter, frozen.
    const refModel = options.adapter ? await withAdapterMerged(model, options.adapter, graph, options.lora) : model;
    const sessionOptions: ModelSessionOptions = { provider: options.provider, createTimeoutMs: options.createTimeoutMs, runTimeoutMs: options.runTimeoutMs };
    const reference = await ModelSession.create(ort, buildBuiltinReferenceGraph({ ...spec, weights: refModel.weights }), sessionOptions);
    const policy = await ModelSession.create(ort, buildBuiltinPolicyGraph(spec), sessionOptions);
    let initial = graph.initialState;
    if (options.resume) initial = checkedState(options.resume, graph, options);
    const loop = await LoopSession.create(ort, graph.model, { ...sessionOptions, carry: graph.carry, initial });
    const trainer = new BuiltinDpoTrainer(model, graph, reference, policy, loop, { ...options, slots: options.slots });
    if (options.resume) {
      trainer.stepCount = options.resume.step;
      trainer.lastGood = { step: options.resume.step, state: initial };
    }
    return trainer;
  }

  /** Optimizer steps taken (including those of the checkpoint resumed from). */
  get steps() {
    return this.stepCount;
  }

  /** The reference log-probs of a batch, [2P] (chosen rows first; sums, or means for ipo_mean_logps), computed once per batch object. */
  async referenceLogps(batch: BuiltinPairBatch): Promise<Float32Array> {
    let ref = this.refCache.get(batch);
    if (!ref) {
      const out = await this.reference.run(builtinPairFeeds(this.model.config, batch));
      ref = Float32Array.from((usesMeanLogps(this.options.dpo.loss) ? out.logps_mean : out.logps_sum).data as Float32Array);
      this.refCache.set(batch, ref);
    }
    return ref;
  }

  /** The current policy's answer log-prob sums of a batch, [2P] (chosen rows first). */
  async policyLogps(batch: BuiltinPairBatch): Promise<Float32Array> {
    const out = await this.policy.run({ ...builtinPairFeeds(this.model.config, batch), ...(await this.adapters()) });
    return Float32Array.from(out.logps_sum.data as Float32Array);
  }

  /**
   * One optimizer step on `batch` at learning rate `lr`. `ref` is the batch's
   * reference log-probs when the caller keeps them per pair; otherwise they
   * are computed here (once per batch object).
   */
  async step(batch: BuiltinPairBatch, lr: number, ref?: Float32Array): Promise<StepMetrics & { margins: number[] }> {
    if (ref && ref.length !== 2 * batch.pairs) throw new TypeError(`ref has ${ref.length} values; a batch of ${batch.pairs} pairs needs ${2 * batch.pairs}`);
    const categories = this.options.categories ?? 3;
    const weights = Float32Array.from({ length: categories }, (_, i) => this.options.categoryWeights?.[i] ?? 1);
    // Kept until this step is known to be finite (on WebGPU this reads the adapters and moments back each step).
    const before = await this.state();
    const out = await this.loop.step({
      ...builtinPairFeeds(this.model.config, batch),
      ref_logps: { dtype: 'float32', shape: [2 * batch.pairs], data: ref ?? (await this.referenceLogps(batch)) },
      category: { dtype: 'int32', shape: [batch.pairs], data: batch.category },
      category_weights: { dtype: 'float32', shape: [categories], data: weights },
      lr: { dtype: 'float32', shape: [], data: Float32Array.of(lr) },
      step: { dtype: 'float32', shape: [], data: Float32Array.of(++this.stepCount) },
    });
    const metrics = { loss: Number(out.loss.data[0]), grad_norm: Number(out.grad_norm.data[0]), step: this.stepCount } as StepMetrics & { margins: number[] };
    for (const m of DPO_METRICS) metrics[m] = Number(out[m].data[0]);
    if (!isFinite(metrics.loss) || !isFinite(metrics.grad_norm)) {
      const failed = this.stepCount;
      this.loop.reset(this.lastGood.state);
      this.stepCount = this.lastGood.step;
      throw TrainingDivergedError.at(failed, this.lastGood.step, lr, !isFinite(metrics.loss) ? `loss ${metrics.loss}` : `gradient norm ${metrics.grad_norm}`);
    }
    // The state this step started from gave a finite loss: it is the last known good one.
    this.lastGood = { step: this.stepCount - 1, state: before };
    metrics.margins = Array.from(out.margins.data as Float32Array);
    return metrics;
  }

  /** Current adapter weights by parameter name. */
  async adapters(): Promise<Record<string, HostTensor>> {
    return Object.fromEntries(await Promise.all(this.graph.trainable.map(async (n) => [n, await this.loop.read(n)] as const)));
  }

  /** Current adapters as a weights map (to build graphs with them). */
  async adapterMap(): Promise<Map<string, TensorData>> {
    return new Map(Object.entries(await this.adapters()).map(([n, t]) => [n, t.data]));
  }

  /** Every carried tensor by input name. */
  async state(): Promise<Record<string, HostTensor>> {
    return Object.fromEntries(await Promise.all(Object.values(this.graph.carry).map(async (n) => [n, await this.loop.read(n)] as const)));
  }

  /** A checkpoint of where training is now (copies, so later steps do not change it). */
  async checkpoint(): Promise<BuiltinDpoCheckpoint> {
    const state = Object.fromEntries(Object.entries(await this.state()).map(([n, t]) => [n, { ...t, shape: [...t.shape], data: Float32Array.from(t.data as Float32Array) }]));
    const { lora, dpo, adamw } = this.options;
    return { format: 'pasta-builtin-lora-dpo', version: 1, step: this.stepCount, lora: { ...lora, targets: [...lora.targets] }, dpo: { ...dpo }, adamw: { ...adamw }, state };
  }

  async release() {
    await this.reference.release();
    await this.policy.release();
    await this.loop.release();
  }
}

/** The model with `adapter` (our parameter names) merged in, through the same PEFT files and merge a saved adapter goes through. */
function withAdapterMerged(model: LoadedModel, adapter: ReadonlyMap<string, TensorData>, graph: BuiltinDpoStepGraph, lora: LoraTargets): Promise<LoadedModel> {
  const tensors = Object.fromEntries([...adapter].map(([n, data]) => {
    const init = graph.initialState[n];
    if (!init) throw new CheckpointError(`adapter tensor "${n}" is not an adapter of this run (targets ${lora.targets.join(', ')})`);
    return [n, { dtype: 'float32', shape: init.shape, data }] as const;
  }));
  const files = adapterFiles(tensors, lora, { baseModel: '' });
  return mergeAdapter(model, async (f) => files[f]);
}

/** The checkpoint's state, checked against the graph it is to feed. */
function checkedState(c: BuiltinDpoCheckpoint, graph: BuiltinDpoStepGraph, o: BuiltinDpoTrainerOptions): Record<string, HostTensor> {
  if (c.format !== 'pasta-builtin-lora-dpo' || c.version !== 1) throw new CheckpointError(`not a built-in LoRA DPO checkpoint of version 1 (format "${c.format}", version ${c.version})`);
  const same = (a: LoraTargets, b: LoraTargets) => a.rank === b.rank && a.alpha === b.alpha && [...a.targets].sort().join() === [...b.targets].sort().join();
  if (!same(c.lora, o.lora)) throw new CheckpointError(`the checkpoint's adapters (rank ${c.lora.rank}, alpha ${c.lora.alpha}, ${c.lora.targets.join(', ')}) differ from this run's (rank ${o.lora.rank}, alpha ${o.lora.alpha}, ${o.lora.targets.join(', ')})`);
  if (!Number.isInteger(c.step) || c.step < 0) throw new CheckpointError(`step must be an integer of at least 0, got ${c.step}`);
  for (const [name, init] of Object.entries(graph.initialState)) {
    const t = c.state[name];
    if (!t) throw new CheckpointError(`the checkpoint has no "${name}"`);
    if (t.data.length !== init.data.length) throw new CheckpointError(`"${name}" has ${t.data.length} values; this model needs ${init.data.length}`);
  }
  return Object.fromEntries(Object.keys(graph.initialState).map((n) => [n, { dtype: 'float32', shape: graph.initialState[n].shape, data: c.state[n].data }]));
}
