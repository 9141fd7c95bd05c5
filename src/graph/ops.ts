import { type DType, type Shape, allocate, formatShape, isFloat, writeNumber } from './dtype';
import { GraphBuildError } from './errors';
import { fold } from './fold';
import type { Attrs, Graph, Value } from './ir';
import { INFER, type Primitive, normalizeAxis } from './primitives';

/** A tensor or a plain number, which becomes a scalar constant of the other operand's dtype. */
export type Operand = Value | number;

/**
 * The op builder: ops as methods (`op.MatMul(x, w)`), inputs positional,
 * attributes named. Every call infers the output shape, checks it, and folds
 * what is cheap; a bad call throws GraphBuildError naming the node and shapes.
 * Methods in PascalCase are primitives; camelCase ones are compositions of them.
 */
export class Ops {
  private scalars = new Map<string, Value>();
  constructor(readonly graph: Graph) {}

  /** Applies a primitive by name; unknown names fail here, not in ORT. */
  call(op: string, inputs: readonly Value[], attrs: Attrs = {}): Value {
    const name = this.graph.uniqueName(op);
    if (!Object.hasOwn(INFER, op)) throw new GraphBuildError(`unknown op "${op}"`, name);
    const prim = op as Primitive;
    let inferred;
    try {
      inferred = INFER[prim](inputs, attrs);
    } catch (e) {
      const ins = inputs.map((v) => `${formatShape(v.shape)} ${v.dtype}`).join(', ');
      throw new GraphBuildError(`${op}(${ins}): ${(e as Error).message}`, name);
    }
    return fold(this.graph, prim, inputs, attrs, inferred) ?? this.graph.node(prim, inputs, attrs, inferred.shape, inferred.dtype, name);
  }

  /** A scalar constant, cached per value and dtype. */
  scalar(x: number, dtype: DType): Value {
    const key = `${dtype}:${x}`;
    let v = this.scalars.get(key);
    if (!v) {
      const data = allocate(dtype, 1);
      writeNumber(data, 0, x);
      v = this.graph.constant(data, [], dtype);
      this.scalars.set(key, v);
    }
    return v;
  }

  private pair(a: Operand, b: Operand): [Value, Value] {
    if (typeof a === 'number' && typeof b === 'number') throw new GraphBuildError('both operands are plain numbers');
    const dtype = (typeof a === 'number' ? (b as Value) : a).dtype;
    return [typeof a === 'number' ? this.scalar(a, dtype) : a, typeof b === 'number' ? this.scalar(b, dtype) : b];
  }

  Add = (a: Operand, b: Operand) => this.call('Add', this.pair(a, b));
  Sub = (a: Operand, b: Operand) => this.call('Sub', this.pair(a, b));
  Mul = (a: Operand, b: Operand) => this.call('Mul', this.pair(a, b));
  Div = (a: Operand, b: Operand) => this.call('Div', this.pair(a, b));
  Max = (a: Operand, b: Operand) => this.call('Max', this.pair(a, b));
  Min = (a: Operand, b: Operand) => this.call('Min', this.pair(a, b));
  Equal = (a: Operand, b: Operand) => this.call('Equal', this.pair(a, b));
  Less = (a: Operand, b: Operand) => this.call('Less', this.pair(a, b));
  Greater = (a: Operand, b: Operand) => this.call('Greater', this.pair(a, b));
  Neg = (x: Value) => this.call('Neg', [x]);
  Exp = (x: Value) => this.call('Exp', [x]);
  Log = (x: Value) => this.call('Log', [x]);
  Sqrt = (x: Value) => this.call('Sqrt', [x]);
  Tanh = (x: Value) => this.call('Tanh', [x]);
  Sigmoid = (x: Value) => this.call('Sigmoid', [x]);
  Erf = (x: Value) => this.call('Erf', [x]);
  Abs = (x: Value) => this.call('Abs', [x]);
  Relu = (x: Value) => this.call('Relu', [x]);
  Softmax = (x: Value, { axis = -1 } = {}) => this.call('Softmax', [x], { axis });
  ReduceSum = (x: Value, { axes, keepdims = false }: { axes: readonly number[]; keepdims?: boolean }) => this.call('ReduceSum', [x], { axes, keepdims: +keepdims });
  ReduceLogSumExp = (x: Value, { axes, keepdims = false }: { axes: readonly number[]; keepdims?: boolean }) => this.call('ReduceLogSumExp', [x], { axes, keepdims: +keepdims });
  ReduceMax = (x: Value, { axes, keepdims = false }: { axes: readonly number[]; keepdims?: boolean }) => this.call('ReduceMax', [x], { axes, keepdims: +keepdims });
  MatMul = (a: Value, b: Value) => this.call('MatMul', [a, b]);
  Reshape = (x: Value, shape: Shape) => this.call('Reshape', [x], { shape });
  Transpose = (x: Value, perm: readonly number[]) => this.call('Transpose', [x], { perm });
  Expand = (x: Value, shape: Shape) => this.call('Expand', [x], { shape });
  Concat = (xs: readonly Value[], { axis }: { axis: number }) => this.call('Concat', xs, { axis });
  /** Slice with step 1: `starts`/`ends` per axis in `axes` (negative counts from the end). */
  Slice = (x: Value, { starts, ends, axes }: { starts: readonly number[]; ends: readonly number[]; axes: readonly number[] }) => this.call('Slice', [x], { starts, ends, axes });
  /** Zero padding; `pads` as ONNX orders them: all begins, then all ends. */
  Pad = (x: Value, pads: readonly number[]) => this.call('Pad', [x], { pads });
  Gather = (data: Value, indices: Value, { axis = 0 } = {}) => this.call('Gather', [data, indices], { axis });
  GatherElements = (data: Value, indices: Value, { axis }: { axis: number }) => this.call('GatherElements', [data, indices], { axis });
  /** Scatter with reduction "add": duplicate indices accumulate. */
  ScatterAdd = (data: Value, indices: Value, updates: Value, { axis }: { axis: number }) => this.call('ScatterElements', [data, indices, updates], { axis, reduction: 'add' });
  Where = (cond: Value, a: Operand, b: Operand) => this.call('Where', [cond, ...this.pair(a, b)]);
  Cast = (x: Value, to: DType) => this.call('Cast', [x], { to });

  // Compositions (no gradient rules of their own).

  zeros = (shape: Shape, dtype: DType) => this.Expand(this.scalar(0, dtype), shape);
  square = (x: Value) => this.Mul(x, x);
  /** Mean over `axes`, as a sum times a constant. */
  mean = (x: Value, { axes, keepdims = false }: { axes: readonly number[]; keepdims?: boolean }) => {
    const n = axes.reduce((p, a) => p * x.shape[normalizeAxis(a, x.rank)], 1);
    return this.Mul(this.ReduceSum(x, { axes, keepdims }), 1 / n);
  };
  /**
   * logsumexp that cannot overflow on any provider: ORT's WebGPU kernel sums
   * exp(x) as it is (float32 overflows past 88), so the maximum comes out first.
   * The maximum's own gradient cancels, so the gradient is softmax(x) exactly.
   */
  logSumExp = (x: Value, { axes, keepdims = false }: { axes: readonly number[]; keepdims?: boolean }) => {
    const max = this.ReduceMax(x, { axes, keepdims: true });
    const out = this.Add(this.ReduceLogSumExp(this.Sub(x, max), { axes, keepdims: true }), max);
    return keepdims ? out : this.Reshape(out, INFER.ReduceMax([x], { axes, keepdims: 0 }).shape);
  };
  /** `x - logsumexp(x)`: ONNX LogSoftmax falls back to the CPU on the WebGPU EP. */
  logSoftmax = (x: Value, { axis = -1 } = {}) => this.Sub(x, this.logSumExp(x, { axes: [axis], keepdims: true }));
  /**
   * log(sigmoid(x)) = -logsumexp(0, -x): no overflow, and its gradient
   * sigmoid(-x) is exact everywhere, 1/2 at 0 included (the case of every
   * first DPO step from a zero LoRA B). A kinked form (min, abs) is not.
   */
  logSigmoid = (x: Value) => {
    const column = this.Reshape(x, [...x.shape, 1]);
    return this.Neg(this.logSumExp(this.Concat([this.zeros(column.shape, x.dtype), this.Neg(column)], { axis: -1 }), { axes: [-1] }));
  };
  silu = (x: Value) => this.Mul(x, this.Sigmoid(x));
  /** Exact GELU, 0.5·x·(1 + erf(x/√2)), as PyTorch's default (a fused Gelu primitive measured no faster on CPU or WASM). */
  gelu = (x: Value) => this.Mul(this.Mul(x, 0.5), this.Add(this.Erf(this.Mul(x, Math.SQRT1_2)), 1));
  /** -1, 0 or 1 per element (ONNX Sign falls back to the CPU on WebGPU). */
  sign = (x: Value) => this.Sub(this.Cast(this.Greater(x, 0), x.dtype), this.Cast(this.Less(x, 0), x.dtype));
  /** Swaps the last two axes. */
  transposeLast = (x: Value) => {
    const perm = x.shape.map((_, i) => i);
    [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
    return this.Transpose(x, perm);
  };
  /** Sum of every element, as a scalar. */
  sumAll = (x: Value) => (x.rank === 0 ? x : this.ReduceSum(x, { axes: x.shape.map((_, i) => i) }));

  /** Checks that `x` is float, for layers that need it. */
  assertFloat(x: Value, what: string) {
    if (!isFloat(x.dtype)) throw new GraphBuildError(`${what} needs a float tensor, got ${x.describe()}`);
  }
}
