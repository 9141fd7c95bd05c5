import { type DType, type Shape, type TensorData, allocate, readNumber, sizeOf, writeNumber } from './dtype';
import type { Attrs, Graph, Value } from './ir';
import type { Inferred, Primitive } from './primitives';

/** Constants up to this many elements are computed at build time; larger ones are left to ORT. */
const FOLD_LIMIT = 4096;

const UNARY: Partial<Record<Primitive, (x: number) => number>> = {
  Neg: (x) => -x, Exp: Math.exp, Log: Math.log, Sqrt: Math.sqrt, Tanh: Math.tanh,
  Sigmoid: (x) => 1 / (1 + Math.exp(-x)), Abs: Math.abs, Relu: (x) => Math.max(x, 0),
};
const BINARY: Partial<Record<Primitive, (a: number, b: number) => number>> = {
  Add: (a, b) => a + b, Sub: (a, b) => a - b, Mul: (a, b) => a * b, Max: Math.max, Min: Math.min,
  Equal: (a, b) => +(a === b), Less: (a, b) => +(a < b), Greater: (a, b) => +(a > b),
};

/** Flat index into a tensor of `shape` broadcast to `out`, for each flat index of `out`. */
function broadcastIndex(shape: Shape, out: Shape): (i: number) => number {
  const strides: number[] = [];
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = shape[k] === 1 ? 0 : s;
    s *= shape[k];
  }
  const off = out.length - shape.length;
  return (i) => {
    let j = 0;
    for (let k = out.length - 1; k >= 0; k--) {
      const d = i % out[k];
      i = (i - d) / out[k];
      if (k >= off) j += d * strides[k - off];
    }
    return j;
  };
}

const isScalarConst = (v: Value, x: number) => {
  const d = v.constData;
  return d !== undefined && d.length > 0 && Array.prototype.every.call(d, (e: number | bigint) => Number(e) === x);
};

const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Folds what is cheap: identities (x + 0, x * 1, reshape or cast to the same
 * thing) and ops on small constants. Returns the value to use instead of a new
 * node, or undefined to emit the node.
 */
export function fold(graph: Graph, op: Primitive, inputs: readonly Value[], attrs: Attrs, out: Inferred): Value | undefined {
  const [a, b] = inputs;
  const keepsA = a && sameShape(a.shape, out.shape) && a.dtype === out.dtype;
  if (keepsA) {
    if ((op === 'Add' || op === 'Sub') && isScalarConst(b, 0)) return a;
    if ((op === 'Mul' || op === 'Div') && isScalarConst(b, 1)) return a;
    if (op === 'Reshape' || op === 'Expand' || op === 'Cast' || op === 'Slice') return a;
    if (op === 'Transpose' && (attrs.perm as number[]).every((p, i) => p === i)) return a;
    if (op === 'Pad') return a;
  }
  if (op === 'Add' && isScalarConst(a, 0) && sameShape(b.shape, out.shape)) return b;
  if (op === 'Mul' && isScalarConst(a, 1) && sameShape(b.shape, out.shape)) return b;

  if (!inputs.every((v) => v.constData) || sizeOf(out.shape) > FOLD_LIMIT) return undefined;
  const data = evaluate(op, inputs, out.shape, out.dtype);
  return data && graph.constant(data, out.shape, out.dtype);
}

function evaluate(op: Primitive, inputs: readonly Value[], shape: Shape, dtype: DType): TensorData | undefined {
  const n = sizeOf(shape);
  const out = allocate(dtype, n);
  const [a, b] = inputs;
  const u = UNARY[op];
  const bin = BINARY[op];
  if (u) {
    for (let i = 0; i < n; i++) writeNumber(out, i, u(readNumber(a.constData!, i)));
  } else if (bin || op === 'Div') {
    const ia = broadcastIndex(a.shape, shape);
    const ib = broadcastIndex(b.shape, shape);
    const intDiv = op === 'Div' && (dtype === 'int32' || dtype === 'int64');
    const f = bin ?? ((x: number, y: number) => (intDiv ? Math.trunc(x / y) : x / y));
    for (let i = 0; i < n; i++) writeNumber(out, i, f(readNumber(a.constData!, ia(i)), readNumber(b.constData!, ib(i))));
  } else if (op === 'Reshape' || op === 'Cast' || op === 'Expand') {
    const ia = broadcastIndex(a.shape, shape);
    for (let i = 0; i < n; i++) writeNumber(out, i, readNumber(a.constData!, op === 'Expand' ? ia(i) : i));
  } else if (op === 'Where') {
    const [c, x, y] = inputs;
    const [ic, ix, iy] = [c, x, y].map((v) => broadcastIndex(v.shape, shape));
    for (let i = 0; i < n; i++) writeNumber(out, i, readNumber(c.constData!, ic(i)) ? readNumber(x.constData!, ix(i)) : readNumber(y.constData!, iy(i)));
  } else {
    return undefined;
  }
  return out;
}
