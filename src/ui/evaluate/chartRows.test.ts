import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from '../../eval';
import { chartRows } from './AccuracyChart';

const per = <T,>(v: T) => ({ spatial: v, temporal: v, cross_frame: v, general: v });

describe('the Evaluate chart', () => {
  it('draws percentages with each interval as its distance below and above the bar', () => {
    const result = { ...({} as BenchmarkResult), accuracy: per(0.5), adversarial_accuracy: per(0.25), interval: per([0.3, 0.6] as [number, number]), adversarial_interval: per([0.1, 0.45] as [number, number]) };
    const rows = chartRows(result);
    expect(rows.map((r) => r.category)).toEqual(['Spatial', 'Temporal', 'Cross-frame', 'General']);
    expect(rows[0]).toEqual({ category: 'Spatial', preferred: 50, preferredError: [20, 10], adversarial: 25, adversarialError: [15, 20] });
  });
});
