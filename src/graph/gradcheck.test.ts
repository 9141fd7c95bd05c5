/**
 * Finite differences for every primitive's gradient rule (and the composite
 * ops built from them), run on ONNX Runtime's Node CPU provider in float64
 * where it has float64 kernels, float32 with wider tolerances where not.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { type DType, Graph, Ops, type Primitive, type Value, emitOnnx, grad, PRIMITIVES } from '.';
import { ModelSession } from '../runtime';

/** Deterministic pseudo-random numbers in [lo, hi). */
function rng(seed: number) {
  let s = seed >>> 0;
  return (lo = -1, hi = 1) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return lo + ((s >>> 8) / (1 << 24)) * (hi - lo);
  };
}

interface Case {
  name: string;
  /** Primitives whose rule this case exercises. */
  covers: Primitive[];
  inputs: { shape: number[]; lo?: number; hi?: number }[];
  build: (op: Ops, xs: Value[]) => Value;
  /** float32 where ORT's CPU provider has no float64 kernel. */
  dtype?: DType;
  /** Step for the central difference, when the default does not suit the op. */
  eps?: number;
}

const idx = (op: Ops, values: number[], shape: number[]) => op.graph.constant(Int32Array.from(values), shape, 'int32');

const CASES: Case[] = [
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
  { name: 'Erf', covers: ['Erf'], inputs: [{ shape: [2, 3], lo: -2, hi: 2 }], build: (op, [x]) => op.Erf(x), dtype: 'float32' },
  { name: 'Abs away from 0', covers: ['Abs', 'Greater', 'Less', 'Cast'], inputs: [{ shape: [6], lo: 0.2, hi: 1 }], build: (op, [x]) => op.Abs(op.Mul(x, op.graph.constant(Float64Array.of(1, -1, 1, -1, -1, 1), [6], 'float64'))) },
  { name: 'Relu away from 0', covers: ['Relu'], inputs: [{ shape: [6], lo: 0.2, hi: 1 }], build: (op, [x]) => op.Relu(op.Mul(x, op.graph.constant(Float64Array.of(1, -1, 1, -1, -1, 1), [6], 'float64'))) },
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
  { name: 'Cast float64 -> float32 -> float64', covers: ['Cast'], inputs: [{ shape: [4] }], build: (op, [x]) => op.Cast(op.Mul(op.Cast(x, 'float32'), op.Cast(x, 'float32')), 'float64'), eps: 1e-2 },
  // Compositions built on the rules above.
  { name: 'logSoftmax', covers: [], inputs: [{ shape: [2, 5], lo: -3, hi: 3 }], build: (op, [x]) => op.logSoftmax(x) },
  { name: 'logSigmoid', covers: [], inputs: [{ shape: [6], lo: -4, hi: 4 }], build: (op, [x]) => op.logSigmoid(x) },
  { name: 'gelu', covers: [], inputs: [{ shape: [6], lo: -3, hi: 3 }], build: (op, [x]) => op.gelu(x), dtype: 'float32' },
  { name: 'silu', covers: [], inputs: [{ shape: [6], lo: -3, hi: 3 }], build: (op, [x]) => op.silu(x) },
  { name: 'mean', covers: [], inputs: [{ shape: [3, 4] }], build: (op, [x]) => op.mean(x, { axes: [0] }) },
];

async function check(c: Case) {
  const dtype = c.dtype ?? 'float64';
  const rand = rng(c.name.length * 7919 + c.inputs.length);
  const g = new Graph();
  const op = new Ops(g);
  const xs = c.inputs.map((spec, i) => g.input(`x${i}`, spec.shape, dtype));
  const y = c.build(op, xs);
  // A fixed random weighting so every output element matters differently.
  const wData = Float64Array.from({ length: y.size }, () => rand());
  const w = g.constant(dtype === 'float64' ? wData : Float32Array.from(wData), y.shape, dtype);
  const loss = op.sumAll(op.Mul(y, w));
  const grads = grad(loss, xs, op);
  const model = emitOnnx(g, { outputs: { loss, ...Object.fromEntries(grads.map((gr, i) => [`g${i}`, gr])) } });
  const session = await ModelSession.create(ort, model, { provider: 'cpu' });

  const values = c.inputs.map((spec) => Float64Array.from({ length: spec.shape.reduce((a, b) => a * b, 1) }, () => rand(spec.lo, spec.hi)));
  const feeds = (vals: Float64Array[]) =>
    Object.fromEntries(vals.map((v, i) => [`x${i}`, { dtype, shape: c.inputs[i].shape, data: dtype === 'float64' ? v : Float32Array.from(v) }]));
  const out = await session.run(feeds(values));
  const eps = c.eps ?? (dtype === 'float64' ? 1e-6 : 1e-2);
  let worst = 0;
  for (let i = 0; i < values.length; i++) {
    const analytic = out[`g${i}`].data;
    for (let j = 0; j < values[i].length; j++) {
      const plus = values.map((v) => v.slice());
      const minus = values.map((v) => v.slice());
      plus[i][j] += eps;
      minus[i][j] -= eps;
      const lp = Number((await session.run(feeds(plus))).loss.data[0]);
      const lm = Number((await session.run(feeds(minus))).loss.data[0]);
      const numeric = (lp - lm) / (2 * eps);
      const err = Math.abs(numeric - Number(analytic[j])) / Math.max(1, Math.abs(numeric));
      worst = Math.max(worst, err);
    }
  }
  await session.release();
  // float32 anywhere in the graph limits what finite differences can resolve.
  return { worst, tolerance: dtype === 'float64' && !c.eps ? 1e-6 : 2e-3 };
}

describe('gradient rules agree with finite differences', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { worst, tolerance } = await check(c);
      expect(worst).toBeLessThan(tolerance);
    });
  }

  it('every differentiable primitive has a finite-difference case', () => {
    const covered = new Set(CASES.flatMap((c) => c.covers));
    const uncovered = PRIMITIVES.filter((p) => !covered.has(p));
    expect(uncovered).toEqual([]);
  });
});
