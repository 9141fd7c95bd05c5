import { type Graph, GraphBuildError, Ops, type Shape, type TensorData, type Value, formatShape } from '../graph';
import { type Init, initialValues } from './init';
import type { LoraConfig, LoraTargets } from './linear';

export interface NNOptions {
  /** Element type of every parameter and activation. Default float32. */
  dtype?: 'float32' | 'float64';
  /** Saved parameter values by full name; a parameter not found here is initialised from `seed`. */
  weights?: ReadonlyMap<string, TensorData>;
  /** Seed for parameters that start from their init. Default 0. */
  seed?: number;
  /**
   * Adapters injected by module name, as PEFT's `target_modules` does: every
   * `linear` whose own name is in `lora.targets` gets a LoRA pair unless the
   * caller passes its own. Lets a model built without LoRA in mind (the
   * built-in model) be trained with adapters, unchanged.
   */
  lora?: LoraTargets;
}

/**
 * The context layers are built in: the op builder, the parameter store and
 * the scope path that names parameters exactly as saved files do
 * (`layers.0.attn.q_proj.lora_A.weight`).
 */
export class NN {
  readonly op: Ops;
  readonly dtype: 'float32' | 'float64';
  /** Names of parameters marked trainable (the LoRA adapters); all others are frozen. */
  readonly trainable = new Set<string>();
  /** Names of parameters that started from their init rather than from `weights`. */
  readonly initialized: string[] = [];
  private readonly weights?: ReadonlyMap<string, TensorData>;
  private readonly seed: number;
  private readonly lora?: LoraTargets;

  constructor(
    readonly graph: Graph,
    options: NNOptions = {},
  ) {
    this.op = new Ops(graph);
    this.dtype = options.dtype ?? 'float32';
    this.weights = options.weights;
    this.seed = options.seed ?? 0;
    this.lora = options.lora;
  }

  /** The injected adapter of a linear layer named `name` (its own name, e.g. `q_proj`), if it is a target. */
  loraFor(name: string): LoraConfig | undefined {
    return this.lora?.targets.includes(name) ? this.lora : undefined;
  }

  scope<T>(name: string | number, fn: () => T): T {
    return this.graph.scope(name, fn);
  }

  /** A parameter in the current scope, with saved or initial values. */
  param(name: string, shape: Shape, init: Init, { trainable = false } = {}): Value {
    const full = this.graph.scopePath ? `${this.graph.scopePath}.${name}` : name;
    let data = this.weights?.get(full);
    if (data) {
      const n = shape.reduce((a, b) => a * b, 1);
      if (data.length !== n) throw new GraphBuildError(`saved value has ${data.length} elements, shape ${formatShape(shape)} needs ${n}`, full);
    } else {
      data = initialValues(init, full, shape, this.dtype, this.seed);
      this.initialized.push(full);
    }
    if (trainable) this.trainable.add(full);
    return this.graph.param(name, shape, this.dtype, data);
  }

  /** Trainable parameters, in creation order. */
  trainableParameters(): Value[] {
    return this.graph.parameters().filter((p) => this.trainable.has(p.name));
  }
}
