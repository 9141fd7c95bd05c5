/**
 * Finite differences for every primitive's gradient rule (and the composite
 * ops built from them), run on ONNX Runtime's Node CPU provider in float64
 * where it has float64 kernels, float32 with wider tolerances where not.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { PRIMITIVES, emitOnnx } from '.';
import { type PrimitiveCase, PRIMITIVE_CASES, buildPrimitiveSuite } from './primitiveCases';
import { ModelSession } from '../runtime';

async function check(c: PrimitiveCase) {
  const { graph, outputs, feeds } = buildPrimitiveSuite([c], 'float64');
  const session = await ModelSession.create(ort, emitOnnx(graph, { outputs }), { provider: 'cpu' });
  const out = await session.run(feeds);
  const float64 = (c.dtype ?? 'float64') === 'float64';
  const eps = c.eps ?? (float64 ? 1e-6 : 1e-2);
  const lossAt = async (name: string, j: number, delta: number) => {
    const data = feeds[name].data.slice() as Float32Array | Float64Array;
    data[j] += delta;
    return Number((await session.run({ ...feeds, [name]: { ...feeds[name], data } }))['c0.loss'].data[0]);
  };
  let worst = 0;
  for (let k = 0; k < c.inputs.length; k++) {
    const name = `c0.x${k}`;
    const analytic = out[`c0.g${k}`].data as Float32Array | Float64Array;
    for (let j = 0; j < analytic.length; j++) {
      const numeric = ((await lossAt(name, j, eps)) - (await lossAt(name, j, -eps))) / (2 * eps);
      worst = Math.max(worst, Math.abs(numeric - analytic[j]) / Math.max(1, Math.abs(numeric)));
    }
  }
  await session.release();
  // float32 anywhere in the graph limits what finite differences can resolve.
  return { worst, tolerance: float64 && !c.eps ? 1e-6 : 2e-3 };
}

describe('gradient rules agree with finite differences', () => {
  for (const c of PRIMITIVE_CASES) {
    it(c.name, async () => {
      const { worst, tolerance } = await check(c);
      expect(worst).toBeLessThan(tolerance);
    });
  }

  it('every differentiable primitive has a finite-difference case', () => {
    const covered = new Set(PRIMITIVE_CASES.flatMap((c) => c.covers));
    const uncovered = PRIMITIVES.filter((p) => !covered.has(p));
    expect(uncovered).toEqual([]);
  });
});
