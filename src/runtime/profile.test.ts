import { expect, it } from 'vitest';
import { formatProfile, summarizeProfile, workKind } from './profile';

it('sums kernel time per op and per kind, per run, ignoring non-kernel events', () => {
  const events = [
    { cat: 'Session', name: 'model_run', dur: 99_000 },
    { cat: 'Node', name: 'a/MatMul_kernel_time', dur: 6000, args: { op_name: 'MatMul' } },
    { cat: 'Node', name: 'a/MatMul_fence_before', dur: 5000, args: { op_name: 'MatMul' } },
    { cat: 'Node', name: 'b/FusedMatMul_kernel_time', dur: 2000, args: { op_name: 'FusedMatMul' } },
    { cat: 'Node', name: 'c/Add_kernel_time', dur: 1000, args: { op_name: 'Add' } },
    { cat: 'Node', name: 'd/Transpose_kernel_time', dur: 1000, args: { op_name: 'Transpose' } },
  ];
  const s = summarizeProfile(events, 2);
  expect(s.kernelMs).toBeCloseTo(5);
  expect(s.byKind.matmul).toBeCloseTo(4);
  expect(s.byKind.elementwise).toBeCloseTo(0.5);
  expect(s.byKind.copies).toBeCloseTo(0.5);
  expect(s.byOp[0]).toEqual(['MatMul', 3]);
  expect(formatProfile(s)).toMatch(/^5 ms of kernels per step: matmul 80% · elementwise 10% · copies 10%; largest: MatMul 3 ms/);
  expect(workKind('Softmax')).toBe('softmax');
  expect(workKind('SomethingNew')).toBe('other');
});
