import { type DType, type Shape, type TensorData, allocate, sizeOf } from '../graph';

/** How a parameter starts when no saved value is given. */
export type Init =
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; bound: number }
  | { kind: 'zeros' }
  | { kind: 'ones' };

/** FNV-1a hash of a string, so each parameter's stream depends only on (seed, name), not on creation order. */
function hashName(name: string, seed: number) {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for weight init. */
export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values for a parameter, reproducible from (seed, name). */
export function initialValues(init: Init, name: string, shape: Shape, dtype: DType, seed: number): TensorData {
  const n = sizeOf(shape);
  const out = allocate(dtype, n) as Float32Array | Float64Array;
  if (init.kind === 'zeros') return out;
  if (init.kind === 'ones') return out.fill(1);
  const rand = mulberry32(hashName(name, seed));
  if (init.kind === 'uniform') {
    for (let i = 0; i < n; i++) out[i] = (2 * rand() - 1) * init.bound;
    return out;
  }
  for (let i = 0; i < n; i += 2) {
    // Box-Muller: two normals per pair of uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const t = 2 * Math.PI * rand();
    out[i] = r * Math.cos(t) * init.std;
    if (i + 1 < n) out[i + 1] = r * Math.sin(t) * init.std;
  }
  return out;
}
