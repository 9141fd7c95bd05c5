import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GRAD, Graph, GraphBuildError, Ops, emitOnnx, grad } from '.';
import { FeedError, ModelSession } from '../runtime';

const setup = () => {
  const g = new Graph();
  return { g, op: new Ops(g) };
};

describe('bad graphs fail at build time, naming the node and the shapes', () => {
  it('a MatMul with mismatched inner dimensions', () => {
    const { g, op } = setup();
    const a = g.input('a', [2, 3], 'float32');
    const b = g.input('b', [4, 5], 'float32');
    const err = g.scope('layers.0.attn', () => {
      try {
        op.MatMul(a, b);
      } catch (e) {
        return e as GraphBuildError;
      }
    });
    expect(err).toBeInstanceOf(GraphBuildError);
    expect(err!.node).toBe('layers.0.attn/MatMul');
    expect(err!.message).toContain('[2, 3]');
    expect(err!.message).toContain('[4, 5]');
    expect(err!.message).toMatch(/inner dimensions differ/);
  });

  it('shapes that do not broadcast', () => {
    const { g, op } = setup();
    expect(() => op.Add(g.input('a', [2, 3], 'float32'), g.input('b', [4], 'float32'))).toThrow(/Add.*\[2, 3\].*\[4\].*do not broadcast/);
  });

  it('a reshape to a different element count, a bad perm, a concat of mismatched shapes, an axis out of range', () => {
    const { g, op } = setup();
    const x = g.input('x', [2, 3], 'float32');
    expect(() => op.Reshape(x, [4, 2])).toThrow(/cannot reshape \[2, 3\] \(6 elements\) to \[4, 2\] \(8 elements\)/);
    expect(() => op.Transpose(x, [0, 0])).toThrow(/not a permutation/);
    expect(() => op.Concat([x, g.input('y', [3, 3], 'float32')], { axis: 1 })).toThrow(/differ outside axis 1/);
    expect(() => op.Softmax(x, { axis: 2 })).toThrow(/axis 2 is out of range for rank 2/);
  });

  it('mixed dtypes and non-integer indices', () => {
    const { g, op } = setup();
    const x = g.input('x', [2, 3], 'float32');
    expect(() => op.Add(x, g.input('y', [2, 3], 'float64'))).toThrow(/dtypes differ: float32 and float64/);
    expect(() => op.Gather(x, g.input('i', [2], 'float32'))).toThrow(/indices must be int32 or int64, got float32/);
  });

  it('an unknown op', () => {
    const { g, op } = setup();
    const x = g.input('x', [2], 'float32');
    expect(() => op.call('LogSoftmax', [x])).toThrow(GraphBuildError);
    expect(() => op.call('LogSoftmax', [x])).toThrow(/unknown op "LogSoftmax"/);
  });

  it('a gradient asked through a non-differentiable op names that op', () => {
    const { g, op } = setup();
    const w = g.param('w', [3], 'float32');
    const loss = op.sumAll(op.Cast(op.Greater(w, 0), 'float32'));
    expect(() => grad(loss, [w])).toThrow(GraphBuildError);
    expect(() => grad(loss, [w])).toThrow(/with respect to w \[3\] must pass through Cast node "Cast" .*which is not differentiable/);
  });

  it('a gradient rule that returns the wrong number of gradients fails naming the op, not as "not differentiable"', () => {
    const { g, op } = setup();
    const w = g.param('w', [3], 'float32');
    const loss = op.sumAll(op.Mul(w, w));
    const rule = GRAD.Mul;
    GRAD.Mul = ({ g: upstream }) => [upstream];
    try {
      expect(() => grad(loss, [w])).toThrow(/Mul.*the gradient rule of Mul returned 1 gradients for 2 inputs/);
    } finally {
      GRAD.Mul = rule;
    }
  });

  it('a gradient with respect to an integer tensor', () => {
    const { g, op } = setup();
    const i = g.input('i', [3], 'int32');
    const loss = op.sumAll(op.Cast(i, 'float32'));
    expect(() => grad(loss, [i])).toThrow(/cannot differentiate with respect to i \[3\] int32/);
  });
});

describe('gradients', () => {
  it('only what wrt needs: frozen branches get no gradient nodes, unrelated parameters get zeros', () => {
    const { g, op } = setup();
    const x = g.input('x', [4, 8], 'float32');
    const frozen = g.param('frozen', [8, 8], 'float32', new Float32Array(64).fill(0.1));
    const trained = g.param('trained', [8, 8], 'float32', new Float32Array(64).fill(0.2));
    const unrelated = g.param('unrelated', [2], 'float32', new Float32Array(2));
    const loss = op.sumAll(op.MatMul(op.MatMul(x, frozen), trained));
    const [gt, gu] = grad(loss, [trained, unrelated], op);
    // d/dtrained = (x·frozen)ᵀ · 1: the forward x·frozen plus one MatMul, nothing towards x or frozen.
    const model = onnxProto.onnx.ModelProto.decode(emitOnnx(g, { outputs: { gt } }).bytes);
    expect(model.graph!.node!.filter((n) => n.opType === 'MatMul')).toHaveLength(2);
    expect(gt.shape).toEqual([8, 8]);
    expect(gu.shape).toEqual([2]);
    expect(gu.source.kind).not.toBe('node'); // zeros, folded
  });

  it('a gradient that broadcasting summed is reduced back to the parameter shape', async () => {
    const { g, op } = setup();
    const x = g.input('x', [2, 3], 'float32');
    const b = g.param('b', [3], 'float32', Float32Array.of(0, 0, 0));
    const [gb] = grad(op.sumAll(op.square(op.Add(x, b))), [b], op);
    expect(gb.shape).toEqual([3]);
    const s = await ModelSession.create(ort, emitOnnx(g, { outputs: { gb } }), { provider: 'cpu' });
    const out = await s.run({ x: { dtype: 'float32', shape: [2, 3], data: Float32Array.of(1, 2, 3, 4, 5, 6) } });
    expect(Array.from(out.gb.data as Float32Array)).toEqual([10, 14, 18]); // 2·(x₀ + x₁) per column
  });
});

describe('folding and emission', () => {
  it('folds identities and small constants', () => {
    const { g, op } = setup();
    const x = g.input('x', [3], 'float32');
    expect(op.Add(x, 0)).toBe(x);
    expect(op.Mul(x, 1)).toBe(x);
    expect(op.Reshape(x, [3])).toBe(x);
    const c = op.Mul(op.Add(op.scalar(2, 'float32'), 3), op.scalar(4, 'float32'));
    expect(c.source.kind).toBe('const');
    expect(Array.from(c.constData as Float32Array)).toEqual([20]);
    expect(g.nodes).toHaveLength(0);
  });

  it('parameters become initializers or inputs as asked, and unused nodes are pruned', () => {
    const { g, op } = setup();
    const x = g.input('x', [2], 'float32');
    const w = g.param('w', [2], 'float32', Float32Array.of(1, 2));
    op.Exp(x); // unused
    const y = op.Mul(x, w);
    const baked = emitOnnx(g, { outputs: { y } });
    expect(baked.inputs.map((i) => i.name)).toEqual(['x']);
    expect(baked.nodeCount).toBe(1);
    const fed = emitOnnx(g, { outputs: { y }, paramAsInput: () => true });
    expect(fed.inputs.map((i) => i.name)).toEqual(['x', 'w']);
  });

  it('feeds are checked before ORT sees them', async () => {
    const { g, op } = setup();
    const x = g.input('x', [2], 'float32');
    const s = await ModelSession.create(ort, emitOnnx(g, { outputs: { y: op.Exp(x) } }), { provider: 'cpu' });
    await expect(s.run({})).rejects.toThrow(FeedError);
    await expect(s.run({})).rejects.toThrow(/missing feed "x" \[2\] float32/);
    await expect(s.run({ x: { dtype: 'float32', shape: [3], data: new Float32Array(3) } })).rejects.toThrow(/feed "x" is \[3\] float32, the model needs \[2\] float32/);
    await expect(s.run({ x: { dtype: 'float32', shape: [2], data: new Float32Array(2) }, z: { dtype: 'float32', shape: [1], data: new Float32Array(1) } })).rejects.toThrow(/unknown feed "z"/);
    await s.release();
  });
});

describe('the IR and ORT agree', () => {
  it('a reduction over no axes is the identity in both (ONNX alone would reduce everything)', async () => {
    const { g, op } = setup();
    const x = g.input('x', [2, 3], 'float32');
    const outputs = { sum: op.ReduceSum(x, { axes: [] }), lse: op.ReduceLogSumExp(x, { axes: [] }), max: op.ReduceMax(x, { axes: [] }) };
    for (const v of Object.values(outputs)) expect(v.shape).toEqual([2, 3]);
    const s = await ModelSession.create(ort, emitOnnx(g, { outputs }), { provider: 'cpu' });
    const data = Float32Array.of(1, -2, 3, 0.5, 4, -6);
    const out = await s.run({ x: { dtype: 'float32', shape: [2, 3], data } });
    for (const k of Object.keys(outputs)) {
      expect(out[k].shape, k).toEqual([2, 3]);
      Array.from(out[k].data as Float32Array).forEach((v, i) => expect(v, `${k}[${i}]`).toBeCloseTo(data[i], 6));
    }
    await s.release();
  });

  it('float64 graphs run through ModelSession on the CPU provider: Erf to 3e-14, SiLU unfused', async () => {
    const { g, op } = setup();
    const x = g.input('x', [9], 'float64');
    const s = await ModelSession.create(ort, emitOnnx(g, { outputs: { erf: op.Erf(x), silu: op.silu(x) } }), { provider: 'cpu' });
    const xs = [0, 1e-8, 0.5, 1, 2, -3, 4.5, 6, -7];
    const out = await s.run({ x: { dtype: 'float64', shape: [9], data: Float64Array.from(xs) } });
    // Python's math.erf at the same points.
    const erf = [0, 1.1283791670955126e-8, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.9999779095030014, 0.9999999998033839, 1, -1];
    Array.from(out.erf.data as Float64Array).forEach((v, i) => expect(Math.abs(v - erf[i]), `erf(${xs[i]})`).toBeLessThan(4e-16 + 3e-14 * Math.abs(erf[i])));
    Array.from(out.silu.data as Float64Array).forEach((v, i) => expect(v).toBeCloseTo(xs[i] / (1 + Math.exp(-xs[i])), 14));
    await s.release();
  });
});
