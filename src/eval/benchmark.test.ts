import { describe, expect, it } from 'vitest';
import type { ScoreItem } from '../respond';
import { TEMPLATES } from '../synth';
import { BREAKING_VIEW, benchmarkItems, breakingView, runBenchmark, wilsonInterval } from '.';

describe('held-out benchmark', () => {
  const items = benchmarkItems(7, 30);

  it('is deterministic per seed, spreads each category over its templates, and builds the breaking views', () => {
    const again = benchmarkItems(7, 30);
    expect(again.map((i) => i.question)).toEqual(items.map((i) => i.question));
    expect(benchmarkItems(8, 30).map((i) => i.question.text)).not.toEqual(items.map((i) => i.question.text));
    for (const t of TEMPLATES) expect(items.filter((i) => i.question.template === t.id).length).toBeGreaterThanOrEqual(Math.floor(30 / TEMPLATES.filter((u) => u.category === t.category).length));
    const spatial = items.find((i) => i.question.category === 'spatial')!;
    const [f, m] = [spatial.frames[0], spatial.adversarialFrames[0]];
    expect(m.data.subarray(0, 4)).toEqual(f.data.subarray((f.width - 1) * 4, f.width * 4)); // mirrored: the first pixel is the last of the row
    const temporal = items.find((i) => i.question.category === 'temporal')!;
    expect(temporal.adversarialFrames[0]).toBe(temporal.frames[7]);
    const frozen = breakingView(BREAKING_VIEW.cross_frame, temporal.frames);
    expect(new Set(frozen).size).toBe(1);
  });

  it('tallies accuracy per category and template, and chance from the options', async () => {
    // A scorer that knows the answers on the preferred view and picks the first option on the other.
    const truth = new Map(items.map((i) => [i.frames, i.question.answer]));
    const oracle = {
      score: async (xs: readonly ScoreItem[]) => xs.map((x) => ({ logp: truth.get(x.frames as never) === x.answer ? 0 : -1, tokens: [] })),
    };
    const r = await runBenchmark(oracle, items, 7);
    for (const c of ['spatial', 'temporal', 'cross_frame', 'general'] as const) {
      expect(r.n[c]).toBe(30);
      expect(r.accuracy[c]).toBe(1);
      const firstRight = items.filter((i) => i.question.category === c && i.question.options[0] === i.question.answer).length;
      expect(r.adversarial_accuracy[c]).toBeCloseTo(firstRight / 30, 9);
      const chance = items.filter((i) => i.question.category === c).reduce((s, i) => s + 1 / i.question.options.length, 0) / 30;
      expect(r.chance[c]).toBeCloseTo(chance, 9);
    }
    expect(Object.keys(r.per_template).sort()).toEqual(TEMPLATES.map((t) => t.id).sort());
  });

  it('gives Wilson intervals', () => {
    const [lo, hi] = wilsonInterval(8, 10);
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});
