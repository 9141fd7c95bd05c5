import { type Shape, isFloat, sizeOf } from './dtype';
import type { Attrs, Value } from './ir';
import type { Ops } from './ops';
import { type Primitive, normalizeAxis } from './primitives';

export interface GradContext {
  op: Ops;
  inputs: readonly Value[];
  output: Value;
  attrs: Attrs;
  /** Gradient of the loss with respect to `output`. */
  g: Value;
}

/**
 * One vector-Jacobian product per primitive: the gradient for each input, or
 * null where the input is not differentiable. A result may have the output's
 * broadcast shape; the walker sums it back to the input's shape.
 */
export type GradRule = (c: GradContext) => readonly (Value | null)[];

const none: GradRule = ({ inputs }) => inputs.map(() => null);

const keptShape = (x: Value, attrs: Attrs): Shape => {
  const axes = (attrs.axes as number[]).map((a) => normalizeAxis(a, x.rank));
  return x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
};

/** Gradients of a two-input selection: all to the first where it wins, half each on a tie, all to the second elsewhere. */
function tieSplit(op: Ops, g: Value, firstWins: Value, tie: Value): [Value, Value] {
  const half = op.Mul(g, 0.5);
  return [op.Where(firstWins, g, op.Where(tie, half, 0)), op.Where(firstWins, 0, op.Where(tie, half, g))];
}

const inversePerm = (perm: readonly number[]) => perm.map((_, i) => perm.indexOf(i));

export const GRAD: Record<Primitive, GradRule> = {
  Add: ({ g }) => [g, g],
  Sub: ({ op, g }) => [g, op.Neg(g)],
  Mul: ({ op, g, inputs: [a, b] }) => [op.Mul(g, b), op.Mul(g, a)],
  Div: ({ op, g, inputs: [, b], output }) => [op.Div(g, b), op.Neg(op.Div(op.Mul(g, output), b))],
  // Ties split the gradient in half between the inputs, as torch.maximum and torch.minimum do.
  Max: ({ op, g, inputs: [a, b] }) => tieSplit(op, g, op.Greater(a, b), op.Equal(a, b)),
  Min: ({ op, g, inputs: [a, b] }) => tieSplit(op, g, op.Less(a, b), op.Equal(a, b)),
  Equal: none, Less: none, Greater: none,
  Neg: ({ op, g }) => [op.Neg(g)],
  Exp: ({ op, g, output }) => [op.Mul(g, output)],
  Log: ({ op, g, inputs: [x] }) => [op.Div(g, x)],
  Sqrt: ({ op, g, output }) => [op.Div(op.Mul(g, 0.5), output)],
  Tanh: ({ op, g, output }) => [op.Mul(g, op.Sub(1, op.square(output)))],
  Sigmoid: ({ op, g, output }) => [op.Mul(g, op.Mul(output, op.Sub(1, output)))],
  Erf: ({ op, g, inputs: [x] }) => [op.Mul(g, op.Mul(op.Exp(op.Neg(op.square(x))), 2 / Math.sqrt(Math.PI)))],
  Abs: ({ op, g, inputs: [x] }) => [op.Mul(g, op.sign(x))],
  Relu: ({ op, g, inputs: [x] }) => [op.Where(op.Greater(x, 0), g, 0)],
  Softmax: ({ op, g, output: y, attrs }) => [op.Mul(y, op.Sub(g, op.ReduceSum(op.Mul(g, y), { axes: [attrs.axis as number], keepdims: true })))],
  ReduceSum: ({ op, g, inputs: [x], attrs }) => [op.Expand(op.Reshape(g, keptShape(x, attrs)), x.shape)],
  ReduceLogSumExp: ({ op, g, inputs: [x], output, attrs }) => {
    const kept = keptShape(x, attrs);
    return [op.Mul(op.Reshape(g, kept), op.Exp(op.Sub(x, op.Reshape(output, kept))))];
  },
  // Ties share the gradient evenly, as torch.amax does.
  ReduceMax: ({ op, g, inputs: [x], output, attrs }) => {
    const kept = keptShape(x, attrs);
    const hit = op.Cast(op.Equal(x, op.Reshape(output, kept)), x.dtype);
    return [op.Mul(op.Reshape(g, kept), op.Div(hit, op.ReduceSum(hit, { axes: attrs.axes as number[], keepdims: true })))];
  },
  MatMul: ({ op, g, inputs: [a, b] }) => [op.MatMul(g, op.transposeLast(b)), op.MatMul(op.transposeLast(a), g)],
  Reshape: ({ op, g, inputs: [x] }) => [op.Reshape(g, x.shape)],
  Transpose: ({ op, g, attrs }) => [op.Transpose(g, inversePerm(attrs.perm as number[]))],
  Expand: ({ g }) => [g],
  Concat: ({ op, g, inputs, attrs }) => {
    const axis = normalizeAxis(attrs.axis as number, g.rank);
    let start = 0;
    return inputs.map((x) => op.Slice(g, { starts: [start], ends: [(start += x.shape[axis])], axes: [axis] }));
  },
  Slice: ({ op, g, inputs: [x], attrs }) => {
    const { starts, axes } = attrs as { starts: number[]; axes: number[] };
    const pads = new Array<number>(2 * x.rank).fill(0);
    axes.forEach((a0, i) => {
      const a = normalizeAxis(a0, x.rank);
      const d = x.shape[a];
      pads[a] = Math.min(Math.max(starts[i] < 0 ? starts[i] + d : starts[i], 0), d);
      pads[a + x.rank] = d - pads[a] - g.shape[a];
    });
    return [op.Pad(g, pads)];
  },
  Pad: ({ op, g, inputs: [x], attrs }) => {
    const pads = attrs.pads as number[];
    const axes = x.shape.map((_, i) => i);
    return [op.Slice(g, { starts: axes.map((i) => pads[i]), ends: axes.map((i) => pads[i] + x.shape[i]), axes })];
  },
  Gather: ({ op, g, inputs: [data, idx], attrs }) => {
    // As a scatter-add into zeros over a [pre, N, post] view of the data.
    const axis = normalizeAxis(attrs.axis as number, data.rank);
    const pre = sizeOf(data.shape.slice(0, axis));
    const post = sizeOf(data.shape.slice(axis + 1));
    const k = idx.size;
    const updates = op.Reshape(g, [pre, k, post]);
    const where = op.Expand(op.Reshape(idx, [1, k, 1]), [pre, k, post]);
    const summed = op.ScatterAdd(op.zeros([pre, data.shape[axis], post], data.dtype), where, updates, { axis: 1 });
    return [op.Reshape(summed, data.shape), null];
  },
  GatherElements: ({ op, g, inputs: [data, idx], attrs }) => [op.ScatterAdd(op.zeros(data.shape, data.dtype), idx, g, { axis: attrs.axis as number }), null],
  ScatterElements: ({ op, g, inputs: [, idx], attrs }) => [g, null, op.GatherElements(g, idx, { axis: attrs.axis as number })],
  Where: ({ op, g, inputs: [c] }) => [null, op.Where(c, g, 0), op.Where(c, 0, g)],
  Cast: ({ op, g, inputs: [x] }) => [isFloat(x.dtype) && isFloat(g.dtype) ? op.Cast(g, x.dtype) : null],
};
