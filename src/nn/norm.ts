import type { Value } from '../graph';
import type { NN } from './module';

/** RMSNorm over the last axis: x / √(mean(x²) + eps) · weight. */
export function rmsNorm(nn: NN, name: string, x: Value, eps = 1e-6): Value {
  const { op } = nn;
  const dim = x.shape[x.rank - 1];
  return nn.scope(name, () => {
    const ms = op.mean(op.square(x), { axes: [-1], keepdims: true }); // [..., 1]
    return op.Mul(op.Div(x, op.Sqrt(op.Add(ms, eps))), nn.param('weight', [dim], { kind: 'ones' }));
  });
}

/** LayerNorm over the last axis with weight and bias (biased variance, as PyTorch). */
export function layerNorm(nn: NN, name: string, x: Value, eps = 1e-5): Value {
  const { op } = nn;
  const dim = x.shape[x.rank - 1];
  return nn.scope(name, () => {
    const centred = op.Sub(x, op.mean(x, { axes: [-1], keepdims: true }));
    const variance = op.mean(op.square(centred), { axes: [-1], keepdims: true }); // [..., 1]
    const normed = op.Div(centred, op.Sqrt(op.Add(variance, eps)));
    return op.Add(op.Mul(normed, nn.param('weight', [dim], { kind: 'ones' })), nn.param('bias', [dim], { kind: 'zeros' }));
  });
}
