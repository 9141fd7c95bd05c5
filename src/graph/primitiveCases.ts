/**
 * One small graph per primitive (and per composite op), with the gradients of
 * a weighted sum of its output. The finite-difference test checks each rule
 * with them; the WebGPU placement test runs them all as one graph.
 */
import { seededRandom } from '../core/random';
import { type HostTensor, allocate } from './dtype';
import { Graph, type Value } from './ir';
import { Ops } from './ops';
import type { Primitive } from './primitives';
import { grad } from './autodiff';

/** Signs +1 -1 +1 -1 -1 +1 in x's dtype: moves half the inputs below zero, away from the kink. */
const alternating = (op: Ops, x: Value) => op.Cast(op.graph.constant(Float64Array.of(1, -1, 1, -1, -1, 1), [6], 'float64'), x.dtype);

export interface PrimitiveCase {
  name: string;
  /** Primitives whose rule this case exercises. */
  covers: Primitive[];
  inputs: { shape: number[]; lo?: number; hi?: number }[];
  build: (op: Ops, xs: Value[]) => Value;
  /** float32 where ORT's CPU provider has no float64 kernel. */
  dtype?: 'float32';
  /** Step for the central difference, when the default does not suit the op. */
  eps?: number;
}

const idx = (op: Ops, values: number[], shape: number[]) => op.graph.constant(Int32Array.from(values), shape, 'int32');

export const PRIMITIVE_CASES: PrimitiveCase[] = [
  { name: 'Add broadcast', covers: ['Add'], inputs: [{ shape: [2, 3] }, { shape: [3] }], build: (op, [a, b]) => op.Add(a, b) },
  { name: 'Sub broadcast both ways', covers: ['Sub'], inputs: [{ shape: [2, 1, 3] }, { shape: [4, 1] }], build: (op, [a, b]) => op.Sub(a, b) },
  { name: 'Mul broadcast', covers: ['Mul'], inputs: [{ shape: [2, 3] }, { shape: [2, 1] }], build: (op, [a, b]) => op.Mul(a, b) },
  { name: 'Div broadcast', covers: ['Div'], inputs: [{ shape: [3] }, { shape: [2, 3], lo: 0.5, hi: 2 }], build: (op, [a, b]) => op.Div(a, b) },
  { name: 'Max', covers: ['Max'], inputs: [{ shape: [2, 3] }, { shape: [3] }], build: (op, [a, b]) => op.Max(a, b) },
  { name: 'Min', covers: ['Min'], inputs: [{ shape: [2, 3] }, { shape: [2, 1] }], build: (op, [a, b]) => op.Min(a, b) },
  { name: 'Neg', covers: ['Neg'], inputs: [{ shape: [5] }], build: (op, [x]) => op.Neg(x) },
  { name: 'Exp', covers: ['Exp'], inputs: [{ shape: [2, 3] }], build: (op, [x]) => op.Exp(x) },
  { name: 'Log', covers: ['Log'], inputs: [{ shape: [2, 3], lo: 0.3, hi: 3 }], build: (op, [x]) => op.Log(x) },
  { name: 'Sqrt', covers: ['Sqrt'], inputs: [{ shape: [2, 3], lo: 0.3, hi: 3 }], build: (op, [x]) => op.Sqrt(x) },
  { name: 'Tanh', covers: ['Tanh'], inputs: [{ shape: [2, 3], lo: -2, hi: 2 }], build: (op, [x]) => op.Tanh(x) },
  { name: 'Sigmoid', covers: ['Sigmoid'], inputs: [{ shape: [2, 3], lo: -3, hi: 3 }], build: (op, [x]) => op.Sigmoid(x) },
  { name: 'Erf', covers: ['Erf'], inputs: [{ shape: [2, 3], lo: -2, hi: 2 }], build: (op, [x]) => op.Erf(x) },
  { name: 'Abs away from 0', covers: ['Abs', 'Greater', 'Less', 'Cast'], inputs: [{ shape: [6], lo: 0.2, hi: 1 }], build: (op, [x]) => op.Abs(op.Mul(x, alternating(op, x))) },
  { name: 'Relu away from 0', covers: ['Relu'], inputs: [{ shape: [6], lo: 0.2, hi: 1 }], build: (op, [x]) => op.Relu(op.Mul(x, alternating(op, x))) },
  { name: 'Softmax last axis', covers: ['Softmax'], inputs: [{ shape: [2, 4] }], build: (op, [x]) => op.Softmax(x, { axis: -1 }) },
  { name: 'Softmax axis 0', covers: ['Softmax'], inputs: [{ shape: [3, 2] }], build: (op, [x]) => op.Softmax(x, { axis: 0 }) },
  { name: 'ReduceSum', covers: ['ReduceSum', 'Expand', 'Reshape'], inputs: [{ shape: [2, 3, 4] }], build: (op, [x]) => op.ReduceSum(x, { axes: [1] }) },
  { name: 'ReduceSum keepdims', covers: ['ReduceSum'], inputs: [{ shape: [2, 3, 4] }], build: (op, [x]) => op.ReduceSum(x, { axes: [0, 2], keepdims: true }) },
  { name: 'ReduceLogSumExp', covers: ['ReduceLogSumExp'], inputs: [{ shape: [2, 5] }], build: (op, [x]) => op.ReduceLogSumExp(x, { axes: [-1] }) },
  { name: 'ReduceMax', covers: ['ReduceMax', 'Equal'], inputs: [{ shape: [3, 4] }], build: (op, [x]) => op.ReduceMax(x, { axes: [1], keepdims: true }) },
  { name: 'MatMul batch broadcast', covers: ['MatMul', 'Transpose'], inputs: [{ shape: [2, 3, 4] }, { shape: [4, 5] }], build: (op, [a, b]) => op.MatMul(a, b) },
  { name: 'MatMul broadcast left', covers: ['MatMul'], inputs: [{ shape: [3, 4] }, { shape: [2, 4, 2] }], build: (op, [a, b]) => op.MatMul(a, b) },
  { name: 'MatMul 4-d', covers: ['MatMul'], inputs: [{ shape: [2, 1, 3, 4] }, { shape: [3, 4, 2] }], build: (op, [a, b]) => op.MatMul(a, b) },
  { name: 'Reshape', covers: ['Reshape'], inputs: [{ shape: [2, 6] }], build: (op, [x]) => op.Reshape(x, [3, 2, 2]) },
  { name: 'Transpose', covers: ['Transpose'], inputs: [{ shape: [2, 3, 4] }], build: (op, [x]) => op.Transpose(x, [2, 0, 1]) },
  { name: 'Expand', covers: ['Expand'], inputs: [{ shape: [3, 1] }], build: (op, [x]) => op.Expand(x, [2, 3, 4]) },
  { name: 'Concat', covers: ['Concat', 'Slice'], inputs: [{ shape: [2, 1] }, { shape: [2, 3] }], build: (op, [a, b]) => op.Concat([a, b, a], { axis: 1 }) },
  { name: 'Slice', covers: ['Slice', 'Pad'], inputs: [{ shape: [4, 5] }], build: (op, [x]) => op.Slice(x, { starts: [1, -3], ends: [3, 5], axes: [0, 1] }) },
  { name: 'Pad', covers: ['Pad', 'Slice'], inputs: [{ shape: [2, 3] }], build: (op, [x]) => op.Pad(x, [1, 0, 0, 2]) },
  { name: 'Gather axis 0, repeated ids', covers: ['Gather', 'ScatterElements'], inputs: [{ shape: [4, 3] }], build: (op, [x]) => op.Gather(x, idx(op, [0, 2, 2, 3, 0], [5])) },
  { name: 'Gather axis 1, 2-d ids', covers: ['Gather'], inputs: [{ shape: [2, 4, 3] }], build: (op, [x]) => op.Gather(x, idx(op, [3, 1, 1, 0], [2, 2]), { axis: 1 }) },
  { name: 'GatherElements', covers: ['GatherElements', 'ScatterElements'], inputs: [{ shape: [3, 4] }], build: (op, [x]) => op.GatherElements(x, idx(op, [1, 1, 3, 0, 2, 2], [3, 2]), { axis: 1 }) },
  { name: 'ScatterElements add', covers: ['ScatterElements', 'GatherElements'], inputs: [{ shape: [3, 4] }, { shape: [3, 2] }], build: (op, [d, u]) => op.ScatterAdd(d, idx(op, [1, 1, 3, 0, 2, 2], [3, 2]), u, { axis: 1 }) },
  { name: 'Where broadcast', covers: ['Where'], inputs: [{ shape: [2, 3] }, { shape: [3] }], build: (op, [a, b]) => op.Where(op.graph.constant(Uint8Array.of(1, 0, 1, 0, 0, 1), [2, 3], 'bool'), a, b) },
  { name: 'Cast float64 -> float32 -> float64', covers: ['Cast'], inputs: [{ shape: [4] }], build: (op, [x]) => op.Cast(op.Mul(op.Cast(x, 'float32'), op.Cast(x, 'float32')), x.dtype), eps: 1e-2 },
  // Compositions built on the rules above.
  { name: 'logSoftmax', covers: [], inputs: [{ shape: [2, 5], lo: -3, hi: 3 }], build: (op, [x]) => op.logSoftmax(x) },
  { name: 'logSigmoid', covers: [], inputs: [{ shape: [6], lo: -4, hi: 4 }], build: (op, [x]) => op.logSigmoid(x) },
  { name: 'gelu', covers: [], inputs: [{ shape: [6], lo: -3, hi: 3 }], build: (op, [x]) => op.gelu(x) },
  { name: 'silu', covers: [], inputs: [{ shape: [6], lo: -3, hi: 3 }], build: (op, [x]) => op.silu(x) },
  { name: 'mean', covers: [], inputs: [{ shape: [3, 4] }], build: (op, [x]) => op.mean(x, { axes: [0] }) },
];

/** A graph holding the given cases side by side: inputs `c{i}.x{k}`, outputs `c{i}.loss` and `c{i}.g{k}`. */
export function buildPrimitiveSuite(cases: readonly PrimitiveCase[], dtype: 'float32' | 'float64', seed = 1) {
  const g = new Graph();
  const op = new Ops(g);
  const outputs: Record<string, Value> = {};
  const feeds: Record<string, HostTensor> = {};
  cases.forEach((c, ci) => {
    const random = seededRandom(seed, `case ${ci}`);
    const dt = c.dtype ?? dtype;
    const xs = c.inputs.map((spec, k) => {
      const x = g.input(`c${ci}.x${k}`, spec.shape, dt);
      const data = allocate(dt, x.size) as Float32Array | Float64Array;
      for (let i = 0; i < data.length; i++) data[i] = random.uniform(spec.lo ?? -1, spec.hi ?? 1);
      feeds[x.name] = { dtype: dt, shape: spec.shape, data };
      return x;
    });
    const y = c.build(op, xs);
    // A fixed random weighting, so every output element matters differently.
    const w = allocate(dt, y.size) as Float32Array | Float64Array;
    for (let i = 0; i < w.length; i++) w[i] = random.next();
    const loss = op.sumAll(op.Mul(y, g.constant(w, y.shape, dt)));
    outputs[`c${ci}.loss`] = loss;
    grad(loss, xs, op).forEach((gr, k) => (outputs[`c${ci}.g${k}`] = gr));
  });
  return { graph: g, outputs, feeds };
}
