import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from '../../eval';
import { ablationPlan, ablationTable } from './ablation';

const per = <T,>(f: (c: string) => T) => Object.fromEntries(['spatial', 'temporal', 'cross_frame', 'general'].map((c) => [c, f(c)]));
const result = (acc: Record<string, number>) => ({ accuracy: acc, interval: per((c) => [acc[c] - 0.1, acc[c] + 0.1]) }) as unknown as BenchmarkResult;

describe('the ablation table (Table 2)', () => {
  it('plans four adapters, then the same four on oracle pairs, labelled as an upper bound', () => {
    const plan = ablationPlan(true);
    expect(plan.map((r) => r.key)).toEqual(['self:spatial', 'self:temporal', 'self:cross_frame', 'self:all', 'oracle:spatial', 'oracle:temporal', 'oracle:cross_frame', 'oracle:all']);
    expect(plan[3].categories).toEqual(['spatial', 'temporal', 'cross_frame']);
    expect(plan[4].label).toContain('upper bound');
    expect(ablationPlan(false)).toHaveLength(4);
  });

  it('has rows base and the adapters, columns the four categories, changes in points against the base', () => {
    const base = result({ spatial: 0.5, temporal: 0.5, cross_frame: 0.4, general: 0.9 });
    const plan = ablationPlan(false);
    const rows = ablationTable(plan, base, {
      'self:spatial': { pairs: 40, steps: 5, seconds: 3, result: result({ spatial: 0.625, temporal: 0.5, cross_frame: 0.4, general: 0.9 }), error: null },
      'self:temporal': { pairs: 0, steps: 0, seconds: 0, result: null, error: { name: 'PairSetError', message: 'pairs: the pair set is empty' } },
    });
    expect(rows.map((r) => r.label)).toEqual(['base model', 'spatial only', 'temporal only', 'cross-frame only', 'all three']);
    expect(rows[0].cells!.general).toEqual({ accuracy: 90, interval: [80, 100], change: null });
    expect(rows[1].cells!.spatial.change).toBe(12.5);
    expect(rows[1].cells!.general.change).toBe(0);
    expect(rows[2].error).toBe('PairSetError: pairs: the pair set is empty');
    expect(rows[3].pending).toBe(true);
  });
});
