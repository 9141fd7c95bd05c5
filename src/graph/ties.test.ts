/**
 * Gradients at exact ties and kinks, where finite differences cannot judge
 * (they see the average of the two one-sided slopes), against PyTorch
 * autograd on the same float64 inputs. The first DPO step from a zero LoRA B
 * differentiates log σ at exactly 0, so these points are where users start.
 */
import { execFileSync } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { findReferencePython, findTorchPython } from '../../scripts/find-tools.mjs';
import { ModelSession } from '../runtime';
import { Graph, Ops, type Value, emitOnnx, grad } from '.';

interface TieCase {
  name: string;
  inputs: { shape: number[]; data: number[] }[];
  build: (op: Ops, xs: Value[]) => Value;
  /** The same in PyTorch, over tensors x0, x1, ... (`torch` and `F` in scope). */
  torch: string;
}

const CASES: TieCase[] = [
  { name: 'Max with equal inputs', inputs: [{ shape: [5], data: [0, 1, -2, 3, 0.5] }, { shape: [5], data: [0, 2, -2, 1, 0.5] }], build: (op, [a, b]) => op.Max(a, b), torch: 'torch.maximum(x0, x1)' },
  { name: 'Min with equal inputs', inputs: [{ shape: [5], data: [0, 1, -2, 3, 0.5] }, { shape: [5], data: [0, 2, -2, 1, 0.5] }], build: (op, [a, b]) => op.Min(a, b), torch: 'torch.minimum(x0, x1)' },
  { name: 'Max with a broadcast tie', inputs: [{ shape: [2, 3], data: [1, 1, 0, 2, 1, -1] }, { shape: [3], data: [1, 0, 0] }], build: (op, [a, b]) => op.Max(a, b), torch: 'torch.maximum(x0, x1)' },
  { name: 'Min against a constant 0', inputs: [{ shape: [4], data: [0, -1, 1, 0] }], build: (op, [x]) => op.Min(x, 0), torch: 'torch.minimum(x0, torch.zeros_like(x0))' },
  { name: 'Relu at 0', inputs: [{ shape: [4], data: [0, -1, 1, 0] }], build: (op, [x]) => op.Relu(x), torch: 'torch.relu(x0)' },
  { name: 'Abs at 0', inputs: [{ shape: [4], data: [0, -1, 1, 0] }], build: (op, [x]) => op.Abs(x), torch: 'torch.abs(x0)' },
  { name: 'ReduceMax with repeated maxima', inputs: [{ shape: [2, 4], data: [3, 1, 3, 3, 0, 0, -1, 0] }], build: (op, [x]) => op.ReduceMax(x, { axes: [1] }), torch: 'torch.amax(x0, 1)' },
  { name: 'logSigmoid at 0 and far out', inputs: [{ shape: [5], data: [0, 0, 1e-9, -800, 800] }], build: (op, [x]) => op.logSigmoid(x), torch: 'F.logsigmoid(x0)' },
  { name: 'hinge at its kink', inputs: [{ shape: [3], data: [1, 0.5, 2] }], build: (op, [x]) => op.Relu(op.Sub(1, x)), torch: 'torch.relu(1 - x0)' },
];

const TORCH_SCRIPT = `
import json, sys
import torch
import torch.nn.functional as F
out = []
for c in json.load(sys.stdin):
    xs = [torch.tensor(i["data"], dtype=torch.float64).reshape(i["shape"]).requires_grad_(True) for i in c["inputs"]]
    env = {f"x{k}": x for k, x in enumerate(xs)}
    y = eval(c["torch"], {"torch": torch, "F": F}, env)
    w = torch.tensor(c["weights"], dtype=torch.float64).reshape(y.shape)
    (y * w).sum().backward()
    out.append({"y": y.detach().reshape(-1).tolist(), "grads": [x.grad.reshape(-1).tolist() for x in xs]})
print(json.dumps(out))
`;

async function ours(c: TieCase, weights: number[]) {
  const g = new Graph();
  const op = new Ops(g);
  const xs = c.inputs.map((x, k) => g.input(`x${k}`, x.shape, 'float64'));
  const y = c.build(op, xs);
  const loss = op.sumAll(op.Mul(y, g.constant(Float64Array.from(weights), y.shape, 'float64')));
  const grads = grad(loss, xs, op);
  const outputs = { y, ...Object.fromEntries(grads.map((d, k) => [`g${k}`, d])) };
  const session = await ModelSession.create(ort, emitOnnx(g, { outputs }), { provider: 'cpu' });
  const out = await session.run(Object.fromEntries(c.inputs.map((x, k) => [`x${k}`, { dtype: 'float64', shape: x.shape, data: Float64Array.from(x.data) }])));
  await session.release();
  return { y: Array.from(out.y.data as Float64Array), grads: grads.map((_, k) => Array.from(out[`g${k}`].data as Float64Array)) };
}

describe('gradients at exact ties and kinks match PyTorch', () => {
  const python = findReferencePython() ?? findTorchPython();
  if (!python) throw new Error('No Python with PyTorch: run `node scripts/ensure-tools.mjs` or set PASTA_PYTHON');
  // Distinct weights, so a gradient sent to the wrong element shows.
  const weightsOf = (c: TieCase) => {
    const g = new Graph();
    const y = c.build(new Ops(g), c.inputs.map((x, k) => g.input(`x${k}`, x.shape, 'float64')));
    return Array.from({ length: y.size }, (_, i) => 1 + i * 0.25);
  };
  const weights = CASES.map(weightsOf);
  const torch = JSON.parse(
    execFileSync(python, ['-c', TORCH_SCRIPT], { input: JSON.stringify(CASES.map((c, i) => ({ inputs: c.inputs, torch: c.torch, weights: weights[i] }))), encoding: 'utf8' }),
  ) as { y: number[]; grads: number[][] }[];

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const got = await ours(c, weights[i]);
      got.y.forEach((v, j) => expect(v).toBeCloseTo(torch[i].y[j], 12));
      got.grads.forEach((gk, k) => gk.forEach((v, j) => expect(v, `gradient of x${k}[${j}]`).toBeCloseTo(torch[i].grads[k][j], 14)));
    });
  });

  it('d/dx log σ(x) at 0 is exactly 1/2', () => {
    expect(torch[CASES.findIndex((c) => c.name.startsWith('logSigmoid'))].grads[0][0]).toBe(0.5);
  });
});
