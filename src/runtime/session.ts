import type * as Ort from 'onnxruntime-web';
import { type DType, type EmittedModel, type HostTensor, type TensorData, formatShape } from '../graph';
import { FeedError, RuntimeError, withTimeout } from './errors';
import type { Provider } from './provider';

/**
 * The part of an ORT module we use. onnxruntime-web (browser or Node) and
 * onnxruntime-node both fit; the caller imports the one it wants and
 * configures its `env` (wasm paths, threads) before creating sessions.
 */
export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;
type OrtTensor = Ort.Tensor;

export type { HostTensor };

export interface ModelSessionOptions {
  provider: Provider;
  /** Limit for session creation, ms. Default 120 000 (shader compilation on a software GPU is slow). */
  createTimeoutMs?: number;
  /** Limit for each run, ms. Default 120 000. */
  runTimeoutMs?: number;
  /** Outputs to leave on the GPU (WebGPU only), e.g. parameters fed back next step. */
  keepOnDevice?: readonly string[];
  /** ORT log level 0 makes it print node placement (used by the placement test). Default 3 (errors). */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /** Write ORT's profiler trace (Node: a JSON file whose name starts with this prefix, written by `endProfiling`). */
  profileFilePrefix?: string;
  /** Save the model as ORT's optimiser left it, to inspect its fusions (Node only). */
  optimizedModelFilePath?: string;
}

/**
 * One compiled model on one execution provider. Every call is bounded by a
 * timeout and fails with a named error; feeds are checked against the
 * model's declared inputs before ORT sees them.
 */
export class ModelSession {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    readonly model: Pick<EmittedModel, 'inputs' | 'outputs' | 'float64'>,
    readonly provider: Provider,
    private readonly runTimeoutMs: number,
  ) {}

  static async create(ort: OrtModule, model: EmittedModel, options: ModelSessionOptions): Promise<ModelSession> {
    const { provider, createTimeoutMs = 120_000, runTimeoutMs = 120_000, keepOnDevice = [], logSeverityLevel = 3, profileFilePrefix, optimizedModelFilePath } = options;
    const preferredOutputLocation =
      provider === 'webgpu' ? Object.fromEntries(model.outputs.map((o) => [o, keepOnDevice.includes(o) ? 'gpu-buffer' : 'cpu'] as const)) : undefined;
    const sessionOptions: Ort.InferenceSession.SessionOptions = {
      executionProviders: [provider],
      // ORT's extended fusions (x·sigmoid(x) -> QuickGelu and others) have float kernels only: float64 models stop at basic.
      graphOptimizationLevel: model.float64 ? 'basic' : 'all',
      logSeverityLevel,
      ...(preferredOutputLocation && { preferredOutputLocation }),
      ...(profileFilePrefix && { enableProfiling: true, profileFilePrefix }),
      ...(optimizedModelFilePath && { optimizedModelFilePath }),
    };
    try {
      const session = await withTimeout(ort.InferenceSession.create(model.bytes, sessionOptions), createTimeoutMs, `creating a ${provider} session`);
      return new ModelSession(ort, session, model, provider, runTimeoutMs);
    } catch (e) {
      if (e instanceof RuntimeError) throw e;
      throw new RuntimeError(`creating a ${provider} session failed: ${(e as Error).message ?? e}`, { cause: e });
    }
  }

  /** Wraps host data as an ORT tensor (on WebGPU, ORT uploads it at run time). */
  tensor(t: HostTensor): OrtTensor {
    return new this.ort.Tensor(t.dtype, t.data as never, [...t.shape]);
  }

  private check(feeds: Record<string, HostTensor | OrtTensor>) {
    for (const input of this.model.inputs) {
      const f = feeds[input.name];
      if (!f) throw new FeedError(`missing feed "${input.name}" ${formatShape(input.shape)} ${input.dtype}`);
      const shape = 'dims' in f ? f.dims : f.shape;
      const dtype = 'dims' in f ? f.type : f.dtype;
      if (dtype !== input.dtype || formatShape(shape) !== formatShape(input.shape)) {
        throw new FeedError(`feed "${input.name}" is ${formatShape(shape)} ${dtype}, the model needs ${formatShape(input.shape)} ${input.dtype}`);
      }
    }
    const known = new Set(this.model.inputs.map((i) => i.name));
    for (const name of Object.keys(feeds)) if (!known.has(name)) throw new FeedError(`unknown feed "${name}"`);
  }

  /** Runs with host or ORT tensors; returns ORT tensors (GPU-resident for `keepOnDevice` outputs). */
  async runRaw(feeds: Record<string, HostTensor | OrtTensor>): Promise<Record<string, OrtTensor>> {
    this.check(feeds);
    const ortFeeds = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, 'dims' in v ? v : this.tensor(v)]));
    try {
      return (await withTimeout(this.session.run(ortFeeds), this.runTimeoutMs, `a ${this.provider} run`)) as Record<string, OrtTensor>;
    } catch (e) {
      if (e instanceof RuntimeError) throw e;
      throw new RuntimeError(`a ${this.provider} run failed: ${(e as Error).message ?? e}`, { cause: e });
    }
  }

  /** Runs and reads every output back to host memory. */
  async run(feeds: Record<string, HostTensor | OrtTensor>): Promise<Record<string, HostTensor>> {
    const out = await this.runRaw(feeds);
    const host: Record<string, HostTensor> = {};
    for (const [k, t] of Object.entries(out)) host[k] = await toHost(t);
    return host;
  }

  /** Stops profiling and writes the trace (see `profileFilePrefix`). */
  endProfiling() {
    this.session.endProfiling();
  }

  async release() {
    await this.session.release();
  }
}

/** Reads an ORT tensor (CPU or GPU-resident) into host memory. */
export async function toHost(t: OrtTensor): Promise<HostTensor> {
  const data = (t.location === 'cpu' ? t.data : await t.getData(true)) as TensorData;
  return { dtype: t.type as DType, shape: [...t.dims], data };
}
