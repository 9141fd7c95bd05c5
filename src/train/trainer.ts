import { type HostTensor, LoopSession, ModelSession, type ModelSessionOptions, type OrtModule, type Provider } from '../runtime';
import { type DpoBatch, policyFeeds } from './batch';
import { DPO_METRICS, type DpoMetric, usesMeanLogps } from './dpo';
import { type DpoStepGraph, type DpoStepOptions, buildDpoStepGraph, buildReferenceGraph, responseWindowOf } from './stepGraph';

export interface DpoTrainerOptions extends DpoStepOptions {
  provider: Provider;
  /** Weight of each category in the loss, indexed by `batch.category`. Default 1 each. */
  categoryWeights?: readonly number[];
  createTimeoutMs?: number;
  runTimeoutMs?: number;
  /** ORT's log level for both sessions; 0 prints node placement. */
  logSeverityLevel?: ModelSessionOptions['logSeverityLevel'];
  /** Profile the step session with ORT's profiler (see ModelSessionOptions.profileFilePrefix and `endProfiling`). */
  profileFilePrefix?: string;
  /** Save the step graph as ORT's optimiser leaves it (Node only). */
  optimizedModelFilePath?: string;
}

/** What one step reports: the loss, TRL's metrics and the gradient norm. */
export type StepMetrics = { loss: number; grad_norm: number; step: number } & Record<DpoMetric, number>;

/**
 * DPO training of LoRA adapters on one ORT provider: a reference session that
 * scores each batch once, and a step session whose adapters and AdamW moments
 * are carried between steps (on the GPU under WebGPU).
 */
export class DpoTrainer {
  private stepCount = 0;
  private refCache = new WeakMap<DpoBatch, HostTensor>();

  private constructor(
    readonly graph: DpoStepGraph,
    private readonly reference: ModelSession,
    private readonly loop: LoopSession,
    private readonly options: DpoTrainerOptions,
  ) {}

  static async create(ort: OrtModule, options: DpoTrainerOptions): Promise<DpoTrainer> {
    const graph = buildDpoStepGraph(options);
    const ref = buildReferenceGraph(options);
    const { provider, createTimeoutMs, runTimeoutMs, logSeverityLevel, profileFilePrefix, optimizedModelFilePath } = options;
    const sessionOptions: ModelSessionOptions = { provider, createTimeoutMs, runTimeoutMs, logSeverityLevel };
    const reference = await ModelSession.create(ort, ref.model, sessionOptions);
    const loop = await LoopSession.create(ort, graph.model, { ...sessionOptions, profileFilePrefix, optimizedModelFilePath, carry: graph.carry, initial: graph.initialState });
    return new DpoTrainer(graph, reference, loop, options);
  }

  private frozenFeeds(): Record<string, HostTensor> {
    return this.options.frozenAsInputs ? Object.fromEntries(this.graph.frozen) : {};
  }

  /** The reference model's log-probs for a batch ([2P], sums or means as the loss needs), computed once per batch object. */
  async referenceLogps(batch: DpoBatch): Promise<HostTensor> {
    let ref = this.refCache.get(batch);
    if (!ref) {
      const out = await this.reference.run({ ...policyFeeds(batch, { ...this.options, dtype: this.graph.dtype, responseWindow: responseWindowOf(this.options) }), ...this.frozenFeeds() });
      ref = usesMeanLogps(this.options.dpo.loss) ? out.logps_mean : out.logps_sum;
      this.refCache.set(batch, ref);
    }
    return ref;
  }

  /** One optimizer step on `batch` at learning rate `lr`: every output of the step graph that is not carried (metrics, margins, gradients when emitted). */
  async stepOutputs(batch: DpoBatch, lr: number): Promise<Record<string, HostTensor>> {
    const dtype = this.graph.dtype;
    const floats = (xs: readonly number[]) => (dtype === 'float32' ? Float32Array.from(xs) : Float64Array.from(xs));
    const scalar = (x: number): HostTensor => ({ dtype, shape: [], data: floats([x]) });
    const weights = Array.from({ length: this.options.categories ?? 3 }, (_, i) => this.options.categoryWeights?.[i] ?? 1);
    return this.loop.step({
      ...policyFeeds(batch, { ...this.options, dtype, responseWindow: responseWindowOf(this.options) }),
      ...this.frozenFeeds(),
      ref_logps: await this.referenceLogps(batch),
      category: { dtype: 'int32', shape: [batch.pairs], data: batch.category },
      category_weights: { dtype, shape: [weights.length], data: floats(weights) },
      lr: scalar(lr),
      step: scalar(++this.stepCount),
    });
  }

  /** One optimizer step on `batch` at learning rate `lr`. */
  async step(batch: DpoBatch, lr: number): Promise<StepMetrics> {
    const out = await this.stepOutputs(batch, lr);
    const metrics = { loss: Number(out.loss.data[0]), grad_norm: Number(out.grad_norm.data[0]), step: this.stepCount } as StepMetrics;
    for (const m of DPO_METRICS) metrics[m] = Number(out[m].data[0]);
    return metrics;
  }

  /** Where each carried tensor (adapters, moments) lives between steps. */
  stateLocations(): Record<string, string> {
    return this.loop.locations();
  }

  /** Current adapter weights, by parameter name (read back from the device if needed). */
  async adapters(): Promise<Record<string, HostTensor>> {
    return Object.fromEntries(await Promise.all(this.graph.trainable.map(async (n) => [n, await this.loop.read(n)] as const)));
  }

  /** Every carried tensor (adapters, then AdamW moments `adam.m.<name>`, `adam.v.<name>`) by input name: what a checkpoint holds. */
  async state(): Promise<Record<string, HostTensor>> {
    const names = Object.values(this.graph.carry);
    return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await this.loop.read(n)] as const)));
  }

  /** Writes the step session's profiler trace (when created with `profileFilePrefix`). */
  endProfiling() {
    this.loop.session.endProfiling();
  }

  async release() {
    await this.reference.release();
    await this.loop.release();
  }
}
