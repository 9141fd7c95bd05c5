import { GraphBuildError, type Value } from '../graph';
import type { NN } from './module';

/** Rows of a [count, dim] table picked by int32 ids: [...ids.shape, dim]. */
export function embedding(nn: NN, name: string, ids: Value, count: number, dim: number): Value {
  if (ids.dtype !== 'int32') throw new GraphBuildError(`embedding ids must be int32, got ${ids.describe()}`, name);
  return nn.scope(name, () => nn.op.Gather(nn.param('weight', [count, dim], { kind: 'normal', std: 0.02 }), ids));
}
