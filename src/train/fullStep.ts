import { type EmittedModel, Graph, type TensorData, type Value, emitOnnx, grad } from '../graph';
import { NN } from '../nn';
import { type HostTensor, LoopSession, type ModelSessionOptions, type OrtModule } from '../runtime';
import { type AdamWConfig, adamwStep } from './adamw';

/**
 * Full-parameter training of any model the compiler can build: `loss` builds
 * the forward graph (its own inputs included) into `nn` and returns a scalar.
 * Every parameter is trained; the built-in model's pretraining is one user.
 */
export interface FullStepOptions {
  loss: (nn: NN) => Value;
  adamw: AdamWConfig;
  /** Starting values by parameter name; the rest start from `seed`. */
  weights?: ReadonlyMap<string, TensorData>;
  seed?: number;
}

export interface FullStepGraph {
  model: EmittedModel;
  /** Parameter names, in creation order. */
  params: string[];
  carry: Record<string, string>;
  initialState: Record<string, HostTensor>;
}

/**
 * One AdamW step as a single graph. Inputs: the loss's own inputs, `lr`,
 * `step`, every parameter and its `adam.m.` / `adam.v.` moments. Outputs:
 * `loss`, `grad_norm` and `next.<input>` for every carried input.
 */
export function buildFullStepGraph(o: FullStepOptions): FullStepGraph {
  const g = new Graph();
  const nn = new NN(g, { weights: o.weights, seed: o.seed });
  const loss = o.loss(nn);
  const lr = g.input('lr', [], 'float32');
  const step = g.input('step', [], 'float32');
  const params = g.parameters();
  const grads = grad(loss, params, nn.op);
  const moments = params.map((p) => ({ m: g.input(`adam.m.${p.name}`, p.shape, 'float32'), v: g.input(`adam.v.${p.name}`, p.shape, 'float32') }));
  const updated = g.scope('adamw', () => adamwStep(nn.op, o.adamw, params.map((p, i) => ({ param: p, grad: grads[i], ...moments[i] })), step, lr));
  const outputs: Record<string, Value> = { loss, grad_norm: updated.gradNorm };
  const carry: Record<string, string> = {};
  const initialState: Record<string, HostTensor> = {};
  params.forEach((p, i) => {
    const data = (p.source as { data: TensorData }).data;
    for (const [input, value, init] of [
      [p.name, updated.params[i], data],
      [`adam.m.${p.name}`, updated.m[i], new Float32Array(p.size)],
      [`adam.v.${p.name}`, updated.v[i], new Float32Array(p.size)],
    ] as const) {
      outputs[`next.${input}`] = value;
      carry[`next.${input}`] = input;
      initialState[input] = { dtype: 'float32', shape: p.shape, data: init };
    }
  });
  const model = emitOnnx(g, { outputs, paramAsInput: () => true, name: 'full_step' });
  return { model, params: params.map((p) => p.name), carry, initialState };
}

/** A full-parameter trainer on one ORT provider: parameters and moments carried between steps. */
export class FullTrainer {
  private stepCount = 0;
  private constructor(
    readonly graph: FullStepGraph,
    private readonly loop: LoopSession,
  ) {}

  static async create(ort: OrtModule, options: FullStepOptions & Pick<ModelSessionOptions, 'provider' | 'runTimeoutMs' | 'createTimeoutMs'>): Promise<FullTrainer> {
    const graph = buildFullStepGraph(options);
    const { provider, runTimeoutMs, createTimeoutMs } = options;
    const loop = await LoopSession.create(ort, graph.model, { provider, runTimeoutMs, createTimeoutMs, carry: graph.carry, initial: graph.initialState });
    return new FullTrainer(graph, loop);
  }

  /** Steps taken so far. */
  get steps() {
    return this.stepCount;
  }

  /** One step on `feeds` (the loss's inputs) at learning rate `lr`. */
  async step(feeds: Readonly<Record<string, HostTensor>>, lr: number): Promise<{ loss: number; grad_norm: number; step: number }> {
    const scalar = (x: number): HostTensor => ({ dtype: 'float32', shape: [], data: Float32Array.of(x) });
    const out = await this.loop.step({ ...feeds, lr: scalar(lr), step: scalar(++this.stepCount) });
    return { loss: Number(out.loss.data[0]), grad_norm: Number(out.grad_norm.data[0]), step: this.stepCount };
  }

  /** Current parameter values by name. */
  async weights(): Promise<Map<string, TensorData>> {
    return new Map(await Promise.all(this.graph.params.map(async (n) => [n, (await this.loop.read(n)).data] as const)));
  }

  /** Every carried tensor (parameters, then moments) by input name: a checkpoint. */
  async state(): Promise<Record<string, HostTensor>> {
    return Object.fromEntries(await Promise.all(Object.values(this.graph.carry).map(async (n) => [n, await this.loop.read(n)] as const)));
  }

  async release() {
    await this.loop.release();
  }
}
