import { expect, it } from 'vitest';
import { formatProfile, summarizeProfile, workKind } from './profile';

it('sums kernel time per op and per kind, per run after the skipped ones, ignoring non-kernel events', () => {
  const run = (ts: number, ms: number) => [
    { cat: 'Session', name: 'model_run', ts, dur: 99_000 },
    { cat: 'Node', name: 'a/MatMul_kernel_time', ts: ts + 1, dur: 3000 * ms, args: { op_name: 'MatMul' } },
    { cat: 'Node', name: 'a/MatMul_fence_before', ts: ts + 2, dur: 5000, args: { op_name: 'MatMul' } },
    { cat: 'Node', name: 'b/FusedMatMul_kernel_time', ts: ts + 3, dur: 1000 * ms, args: { op_name: 'FusedMatMul' } },
    { cat: 'Node', name: 'c/Add_kernel_time', ts: ts + 4, dur: 500 * ms, args: { op_name: 'Add' } },
    { cat: 'Node', name: 'd/Transpose_kernel_time', ts: ts + 5, dur: 500 * ms, args: { op_name: 'Transpose' } },
  ];
  // The first run is ten times slower (arena growth) and is skipped.
  const events = [...run(0, 10), ...run(200_000, 1), ...run(400_000, 1)];
  const s = summarizeProfile(events, 1);
  expect(s.kernelMs).toBeCloseTo(5);
  expect(s.byKind.matmul).toBeCloseTo(4);
  expect(s.byKind.elementwise).toBeCloseTo(0.5);
  expect(s.byKind.copies).toBeCloseTo(0.5);
  expect(s.byOp[0]).toEqual(['MatMul', 3]);
  expect(formatProfile(s)).toMatch(/^5 ms of kernels per step: matmul 80% · elementwise 10% · copies 10%; largest: MatMul 3 ms/);
  expect(workKind('Softmax')).toBe('softmax');
  expect(workKind('SomethingNew')).toBe('other');
  expect(() => summarizeProfile(run(0, 1), 1)).toThrow(/no model_run after the first 1/);
});
