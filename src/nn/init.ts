import { seededRandom } from '../core/random';
import { type DType, type Shape, type TensorData, allocate, sizeOf } from '../graph';

/** How a parameter starts when no saved value is given. */
export type Init =
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; bound: number }
  | { kind: 'zeros' }
  | { kind: 'ones' };

/** Values for a parameter, reproducible from (seed, name): each parameter's stream depends on its name, not on creation order. */
export function initialValues(init: Init, name: string, shape: Shape, dtype: DType, seed: number): TensorData {
  const n = sizeOf(shape);
  const out = allocate(dtype, n) as Float32Array | Float64Array;
  if (init.kind === 'zeros') return out;
  if (init.kind === 'ones') return out.fill(1);
  const random = seededRandom(seed, name);
  for (let i = 0; i < n; i++) out[i] = init.kind === 'uniform' ? random.uniform(-init.bound, init.bound) : random.normal() * init.std;
  return out;
}
