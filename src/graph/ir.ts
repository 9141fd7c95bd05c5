import { type DType, type Shape, type TensorData, formatShape, sizeOf } from './dtype';
import { GraphBuildError } from './errors';
import type { Primitive } from './primitives';

/** Attribute values a primitive may carry (all static: shapes, axes, dtypes). */
export type AttrValue = number | string | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

/** Where a value comes from. */
export type Source =
  /** Fed at run time (a batch tensor, or a parameter emitted as a graph input). */
  | { kind: 'input' }
  /** A named parameter; `data` present when it has values to emit as an initializer. */
  | { kind: 'param'; data?: TensorData }
  /** A constant known at build time. */
  | { kind: 'const'; data: TensorData }
  | { kind: 'node'; node: Node };

/** One tensor in the graph: a static shape and dtype, and where it comes from. */
export class Value {
  constructor(
    readonly graph: Graph,
    readonly id: number,
    readonly name: string,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly source: Source,
  ) {}
  get size() {
    return sizeOf(this.shape);
  }
  get rank() {
    return this.shape.length;
  }
  /** `name [2, 3] float32`, for error messages. */
  describe() {
    return `${this.name} ${formatShape(this.shape)} ${this.dtype}`;
  }
  /** The constant data, when this value is a constant. */
  get constData(): TensorData | undefined {
    return this.source.kind === 'const' ? this.source.data : undefined;
  }
}

/** One application of a primitive; every primitive has exactly one output. */
export interface Node {
  readonly id: number;
  readonly name: string;
  readonly op: Primitive;
  readonly inputs: readonly Value[];
  readonly attrs: Attrs;
  output: Value;
}

/**
 * A tensor graph with static shapes. Values are created through the op
 * builder (`ops.ts`), which infers shapes and checks them as nodes are added,
 * so a graph that exists is a graph that type-checks.
 */
export class Graph {
  readonly values: Value[] = [];
  readonly nodes: Node[] = [];
  private scopes: string[] = [];
  private names = new Map<string, number>();
  private params = new Map<string, Value>();

  /** Runs `fn` with `name` pushed on the scope path (`layers.0.attn`), for readable node and parameter names. */
  scope<T>(name: string | number, fn: () => T): T {
    this.scopes.push(String(name));
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** The current scope path joined with dots. */
  get scopePath() {
    return this.scopes.join('.');
  }

  /** A name unique in the graph, prefixed with the scope path. */
  uniqueName(base: string) {
    const full = this.scopes.length ? `${this.scopePath}/${base}` : base;
    const n = this.names.get(full) ?? 0;
    this.names.set(full, n + 1);
    return n === 0 ? full : `${full}_${n}`;
  }

  private add(name: string, shape: Shape, dtype: DType, source: Source) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new GraphBuildError(`dimension ${d} in ${formatShape(shape)} is not a non-negative integer`, name);
    }
    const v = new Value(this, this.values.length, name, [...shape], dtype, source);
    this.values.push(v);
    return v;
  }

  /** A tensor fed at run time (batch data). The name is used as-is. */
  input(name: string, shape: Shape, dtype: DType): Value {
    if (this.names.has(name)) throw new GraphBuildError(`name "${name}" is already used`);
    this.names.set(name, 1);
    return this.add(name, shape, dtype, { kind: 'input' });
  }

  /**
   * A parameter, named by the scope path plus `name` (e.g. `layers.0.attn.q_proj.weight`),
   * exactly the name saved files use. `data`, when given, is what an initializer holds.
   */
  param(name: string, shape: Shape, dtype: DType, data?: TensorData): Value {
    const full = this.scopes.length ? `${this.scopePath}.${name}` : name;
    if (this.params.has(full) || this.names.has(full)) throw new GraphBuildError(`parameter "${full}" is defined twice`);
    if (data && data.length !== sizeOf(shape)) {
      throw new GraphBuildError(`parameter data has ${data.length} elements, shape ${formatShape(shape)} needs ${sizeOf(shape)}`, full);
    }
    this.names.set(full, 1);
    const v = this.add(full, shape, dtype, { kind: 'param', data });
    this.params.set(full, v);
    return v;
  }

  /** Every parameter, in creation order. */
  parameters(): Value[] {
    return [...this.params.values()];
  }

  constant(data: TensorData, shape: Shape, dtype: DType): Value {
    if (data.length !== sizeOf(shape)) throw new GraphBuildError(`constant has ${data.length} elements, shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
    return this.add(this.uniqueName('const'), shape, dtype, { kind: 'const', data });
  }

  /** Adds a node whose output shape and dtype were already inferred. */
  node(op: Primitive, inputs: readonly Value[], attrs: Attrs, shape: Shape, dtype: DType, name: string): Value {
    for (const v of inputs) {
      if (v.graph !== this) throw new GraphBuildError(`input ${v.name} belongs to another graph`, name);
    }
    const node: Node = { id: this.nodes.length, name, op, inputs, attrs, output: undefined as unknown as Value };
    node.output = this.add(name, shape, dtype, { kind: 'node', node });
    this.nodes.push(node);
    return node.output;
  }
}
