import { type DType, type Shape, formatShape, isFloat, sizeOf } from './dtype';
import type { Attrs, Value } from './ir';

/**
 * The primitives the compiler emits, each an ONNX op of the same name
 * (opset 21). Every one of them runs on ORT's WebGPU EP for float data
 * (see docs/platform-notes.md); composite layers are built from these.
 */
export type Primitive =
  | 'Add' | 'Sub' | 'Mul' | 'Div' | 'Max' | 'Min'
  | 'Equal' | 'Less' | 'Greater'
  | 'Neg' | 'Exp' | 'Log' | 'Sqrt' | 'Tanh' | 'Sigmoid' | 'Erf' | 'Abs' | 'Relu'
  | 'Softmax' | 'ReduceSum' | 'ReduceLogSumExp' | 'ReduceMax'
  | 'MatMul' | 'Reshape' | 'Transpose' | 'Expand' | 'Concat' | 'Slice' | 'Pad'
  | 'Gather' | 'GatherElements' | 'ScatterElements' | 'Where' | 'Cast';

export interface Inferred {
  shape: Shape;
  dtype: DType;
}

/** Shape and dtype of a primitive's output; throws a plain message that the builder prefixes with the node name. */
export type InferRule = (inputs: readonly Value[], attrs: Attrs) => Inferred;

const fail = (msg: string): never => {
  throw new Error(msg);
};

const shapes = (inputs: readonly Value[]) => inputs.map((v) => formatShape(v.shape)).join(' and ');

/** Numpy-style broadcast of two shapes, or undefined when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): Shape | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Resolves a possibly negative axis against a rank, or fails naming both. */
export function normalizeAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) fail(`axis ${axis} is out of range for rank ${rank}`);
  return a;
}

function sameDtype(inputs: readonly Value[]) {
  const d = inputs[0].dtype;
  for (const v of inputs) if (v.dtype !== d) fail(`dtypes differ: ${inputs.map((x) => x.dtype).join(' and ')}`);
  return d;
}

const broadcast = (inputs: readonly Value[]): Shape =>
  inputs.reduce<Shape>((s, v) => broadcastShapes(s, v.shape) ?? fail(`shapes ${shapes(inputs)} do not broadcast`), []);

const binary: InferRule = (inputs) => {
  const dtype = sameDtype(inputs);
  if (dtype === 'bool') fail('arithmetic on bool');
  return { shape: broadcast(inputs), dtype };
};
const compare: InferRule = (inputs) => {
  sameDtype(inputs);
  return { shape: broadcast(inputs), dtype: 'bool' };
};
const floatUnary: InferRule = ([x]) => {
  if (!isFloat(x.dtype)) fail(`needs a float input, got ${x.dtype}`);
  return { shape: x.shape, dtype: x.dtype };
};
const numericUnary: InferRule = ([x]) => {
  if (x.dtype === 'bool') fail('needs a numeric input, got bool');
  return { shape: x.shape, dtype: x.dtype };
};

function reduce(inputs: readonly Value[], attrs: Attrs): Inferred {
  const [x] = inputs;
  const axes = (attrs.axes as number[]).map((a) => normalizeAxis(a, x.rank));
  if (new Set(axes).size !== axes.length) fail(`axes ${formatShape(attrs.axes as number[])} repeat`);
  if (!isFloat(x.dtype)) fail(`needs a float input, got ${x.dtype}`);
  const keep = attrs.keepdims === 1;
  return { shape: x.shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d])), dtype: x.dtype };
}

function indexDtype(v: Value) {
  if (v.dtype !== 'int32' && v.dtype !== 'int64') fail(`indices must be int32 or int64, got ${v.dtype}`);
}

/** Output shape and dtype of every primitive. */
export const INFER: Record<Primitive, InferRule> = {
  Add: binary, Sub: binary, Mul: binary, Div: binary, Max: binary, Min: binary,
  Equal: compare, Less: compare, Greater: compare,
  Neg: numericUnary, Abs: numericUnary, Relu: floatUnary,
  Exp: floatUnary, Log: floatUnary, Sqrt: floatUnary, Tanh: floatUnary, Sigmoid: floatUnary, Erf: floatUnary,
  Softmax: (inputs, attrs) => {
    normalizeAxis(attrs.axis as number, inputs[0].rank);
    return floatUnary(inputs, attrs);
  },
  ReduceSum: reduce, ReduceLogSumExp: reduce, ReduceMax: reduce,
  MatMul: ([a, b]) => {
    const dtype = sameDtype([a, b]);
    if (a.rank < 2 || b.rank < 2) fail(`needs rank >= 2, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
    const [m, k] = a.shape.slice(-2);
    const [k2, n] = b.shape.slice(-2);
    if (k !== k2) fail(`inner dimensions differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)} (${k} vs ${k2})`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2)) ?? fail(`batch dimensions of ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast`);
    return { shape: [...batch, m, n], dtype };
  },
  Reshape: ([x], attrs) => {
    const shape = attrs.shape as number[];
    if (sizeOf(shape) !== x.size) fail(`cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)} (${sizeOf(shape)} elements)`);
    return { shape, dtype: x.dtype };
  },
  Transpose: ([x], attrs) => {
    const perm = attrs.perm as number[];
    if (perm.length !== x.rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) fail(`perm ${formatShape(perm)} is not a permutation of rank ${x.rank}`);
    return { shape: perm.map((p) => x.shape[p]), dtype: x.dtype };
  },
  Expand: ([x], attrs) => {
    const target = attrs.shape as number[];
    const shape = broadcastShapes(x.shape, target) ?? fail(`cannot expand ${formatShape(x.shape)} to ${formatShape(target)}`);
    return { shape, dtype: x.dtype };
  },
  Concat: (inputs, attrs) => {
    const dtype = sameDtype(inputs);
    const rank = inputs[0].rank;
    const axis = normalizeAxis(attrs.axis as number, rank);
    for (const v of inputs) {
      if (v.rank !== rank || v.shape.some((d, i) => i !== axis && d !== inputs[0].shape[i])) fail(`shapes ${shapes(inputs)} differ outside axis ${axis}`);
    }
    const shape = [...inputs[0].shape];
    shape[axis] = inputs.reduce((s, v) => s + v.shape[axis], 0);
    return { shape, dtype };
  },
  Slice: ([x], attrs) => {
    const { starts, ends, axes } = attrs as { starts: number[]; ends: number[]; axes: number[] };
    const shape = [...x.shape];
    axes.forEach((a0, i) => {
      const a = normalizeAxis(a0, x.rank);
      const d = x.shape[a];
      const s = Math.min(Math.max(starts[i] < 0 ? starts[i] + d : starts[i], 0), d);
      const e = Math.min(Math.max(ends[i] < 0 ? ends[i] + d : ends[i], 0), d);
      if (e < s) fail(`slice [${starts[i]}, ${ends[i]}) is empty-reversed on axis ${a0} of ${formatShape(x.shape)}`);
      shape[a] = e - s;
    });
    return { shape, dtype: x.dtype };
  },
  Pad: ([x], attrs) => {
    const pads = attrs.pads as number[];
    if (pads.length !== 2 * x.rank || pads.some((p) => !Number.isInteger(p) || p < 0)) fail(`pads ${formatShape(pads)} must be ${2 * x.rank} non-negative integers`);
    return { shape: x.shape.map((d, i) => d + pads[i] + pads[i + x.rank]), dtype: x.dtype };
  },
  Gather: ([data, idx], attrs) => {
    indexDtype(idx);
    const axis = normalizeAxis(attrs.axis as number, data.rank);
    return { shape: [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)], dtype: data.dtype };
  },
  GatherElements: ([data, idx], attrs) => {
    indexDtype(idx);
    const axis = normalizeAxis(attrs.axis as number, data.rank);
    if (idx.rank !== data.rank || idx.shape.some((d, i) => i !== axis && d > data.shape[i])) fail(`indices ${formatShape(idx.shape)} do not fit data ${formatShape(data.shape)} on axis ${axis}`);
    return { shape: idx.shape, dtype: data.dtype };
  },
  ScatterElements: ([data, idx, updates], attrs) => {
    indexDtype(idx);
    normalizeAxis(attrs.axis as number, data.rank);
    if (formatShape(idx.shape) !== formatShape(updates.shape)) fail(`indices ${formatShape(idx.shape)} and updates ${formatShape(updates.shape)} differ`);
    if (idx.rank !== data.rank) fail(`indices rank ${idx.rank} differs from data rank ${data.rank}`);
    sameDtype([data, updates]);
    return { shape: data.shape, dtype: data.dtype };
  },
  Where: ([cond, a, b]) => {
    if (cond.dtype !== 'bool') fail(`condition must be bool, got ${cond.dtype}`);
    return { shape: broadcast([cond, a, b]), dtype: sameDtype([a, b]) };
  },
  Cast: ([x], attrs) => ({ shape: x.shape, dtype: attrs.to as DType }),
};

export const PRIMITIVES = Object.keys(INFER) as Primitive[];
