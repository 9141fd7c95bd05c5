import { formatShape, isFloat } from './dtype';
import { GraphBuildError } from './errors';
import type { Value } from './ir';
import { GRAD } from './gradients';
import { Ops } from './ops';

/** Sums a gradient of a broadcast shape back to `shape` (the one place broadcasting is undone). */
function unbroadcast(op: Ops, g: Value, target: Value): Value {
  const shape = target.shape;
  if (g.rank === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes = g.shape.map((_, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  const summed = axes.length ? op.ReduceSum(g, { axes, keepdims: true }) : g;
  return op.Reshape(summed, shape);
}

/**
 * Reverse-mode gradients of `loss` with respect to each of `wrt`, emitted
 * into the same graph with the same primitives. Only nodes on a path from
 * some `wrt` to the loss get gradient nodes, so frozen weights cost nothing.
 * A `wrt` the loss does not depend on gets zeros; one whose every path passes
 * through a non-differentiable op is an error naming that op.
 */
export function grad(loss: Value, wrt: readonly Value[], ops = new Ops(loss.graph)): Value[] {
  const graph = loss.graph;
  if (!isFloat(loss.dtype)) throw new GraphBuildError(`loss ${loss.describe()} is not a float tensor`);
  for (const w of wrt) {
    if (w.graph !== graph) throw new GraphBuildError(`${w.name} belongs to another graph`);
    if (!isFloat(w.dtype)) throw new GraphBuildError(`cannot differentiate with respect to ${w.describe()}: not a float tensor`);
  }
  const nodes = graph.nodes.slice(0, loss.source.kind === 'node' ? loss.source.node.id + 1 : 0);

  // Values that depend on some wrt (nodes are in topological order by construction).
  const fromWrt = new Set(wrt.map((w) => w.id));
  for (const n of nodes) if (n.inputs.some((v) => fromWrt.has(v.id))) fromWrt.add(n.output.id);
  // ... and that the loss depends on.
  const needed = new Set<number>();
  if (fromWrt.has(loss.id)) needed.add(loss.id);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (!needed.has(n.output.id)) continue;
    for (const v of n.inputs) if (fromWrt.has(v.id)) needed.add(v.id);
  }

  const grads = new Map<number, Value>();
  const blockedAt = new Map<number, string>();
  graph.scope('grad', () => {
    grads.set(loss.id, ops.Expand(ops.scalar(1, loss.dtype), loss.shape));
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i];
      const g = grads.get(n.output.id);
      if (!g) continue;
      const contributions = graph.scope(n.name.replaceAll('/', '.'), () => GRAD[n.op]({ op: ops, inputs: n.inputs, output: n.output, attrs: n.attrs, g }));
      // A short result would read as "not differentiable": a broken rule must fail loudly instead.
      if (contributions.length !== n.inputs.length) {
        throw new GraphBuildError(`the gradient rule of ${n.op} returned ${contributions.length} gradients for ${n.inputs.length} inputs`, n.name);
      }
      n.inputs.forEach((x, k) => {
        if (!needed.has(x.id)) return;
        const c = contributions[k];
        if (!c) {
          blockedAt.set(x.id, `${n.op} node "${n.name}" (input ${k}, ${x.describe()})`);
          return;
        }
        const cg = unbroadcast(ops, c, x);
        const prev = grads.get(x.id);
        grads.set(x.id, prev ? ops.Add(prev, cg) : cg);
      });
    }
  });

  return wrt.map((w) => {
    const g = grads.get(w.id);
    if (g) return g;
    if (needed.has(w.id)) {
      const through = [...blockedAt.values()].join('; ');
      throw new GraphBuildError(`gradient of ${loss.name} with respect to ${w.name} ${formatShape(w.shape)} must pass through ${through}, which is not differentiable`);
    }
    return ops.zeros(w.shape, w.dtype);
  });
}
