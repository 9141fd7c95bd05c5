import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from '../../eval';
import { beforeAfterRows } from './beforeAfterRows';
import { interrupted, memoryRunStore, type TrainRun } from './trainRun';
import { DEFAULT_TRAIN } from './alignSettings';

const per = <T,>(v: T) => ({ spatial: v, temporal: v, cross_frame: v, general: v });

describe('the before/after chart rows', () => {
  it('draw percentages with each interval as its distance below and above the bar', () => {
    const before = { accuracy: per(0.5), interval: per([0.3, 0.6]) } as unknown as BenchmarkResult;
    const after = { accuracy: per(0.75), interval: per([0.6, 0.85]) } as unknown as BenchmarkResult;
    const rows = beforeAfterRows(before, after);
    expect(rows.map((r) => r.category)).toEqual(['Spatial', 'Temporal', 'Cross-frame', 'General']);
    expect(rows[0]).toEqual({ category: 'Spatial', before: 50, beforeError: [20, 10], after: 75, afterError: [15, 10] });
    expect(beforeAfterRows(before, null)[0]).not.toHaveProperty('after');
  });
});

describe('run records', () => {
  const run: TrainRun = { id: 'r', createdAt: 0, updatedAt: 0, settings: DEFAULT_TRAIN, categories: ['spatial'], pairs: [], status: 'running', log: [], totalSteps: 4, checkpointStep: 2, error: null, provider: 'wasm' };
  it('a run found running after a reload was cut off: it is paused, resumable from its checkpoint', () => {
    const r = interrupted(run);
    expect(r.status).toBe('paused');
    expect(r.error?.message).toContain('from step 2');
    expect(interrupted({ ...run, status: 'done' }).status).toBe('done');
  });
  it('the memory store keeps copies', async () => {
    const store = memoryRunStore();
    await store.putRun(run);
    const got = (await store.getRun('r'))!;
    got.status = 'done';
    expect((await store.getRun('r'))!.status).toBe('running');
  });
});
