import { describe, expect, it } from 'vitest';
import type { RgbaFrame } from '../core/frame';
import type { AnswerScorer } from '../eval';
import { checkCanonical } from '../pairs';
import type { ScoreItem } from '../respond';
import { TEMPLATES } from '../synth';
import { type SelfPair, balanceModeOf, chosenClass, makeOraclePairs, makeSelfPairs, pairPrecision, pairRule, sampleQuestion, selfPairRecord, sparseView, swappedRoles } from '.';

/** A stand-in model: a deterministic score from what it is shown (pixels, question, answer), never from the truth. */
const fakeScorer: AnswerScorer = {
  async score(items: readonly ScoreItem[]) {
    return items.map((it) => {
      let h = 2166136261;
      const mix = (x: number) => (h = Math.imul(h ^ x, 16777619) >>> 0);
      // What a model might key on: the first frames' pixels near the left, and the words.
      for (const f of it.frames.slice(0, 3)) for (let i = 0; i < f.data.length; i += 97) mix(f.data[i]);
      for (const ch of `${it.question}|${it.answer}`) mix(ch.charCodeAt(0));
      return { logp: -(h % 1000) / 100, tokens: [] };
    });
  },
};

describe('annotation-free pairs', () => {
  const options = { pairs: 36, seed: 4, maxQuestions: 600, questionsPerRound: 8 };

  it('ground truth never makes, filters or balances a pair: scrambled answers and evidence give the same pairs', async () => {
    const honest = await makeSelfPairs(fakeScorer, options);
    const sample = sampleQuestion(32);
    const scrambled = await makeSelfPairs(fakeScorer, {
      ...options,
      sample: (t, s) => {
        const x = sample(t, s);
        return x && { ...x, question: { ...x.question, answer: 'nonsense', evidence: { junk: true } } };
      },
    });
    expect(honest.pairs.length).toBeGreaterThan(0);
    const view = (r: typeof honest) => r.pairs.map((p) => [p.id, p.chosen, p.rejected, p.source, p.balanceClass].join('|'));
    expect(view(scrambled)).toEqual(view(honest));
    expect(scrambled.perCategory).toEqual(honest.perCategory);
  }, 60_000);

  it('keeps a candidate only if it differs from r+, balances each template by chosen class, and reports yield', async () => {
    const r = await makeSelfPairs(fakeScorer, options);
    expect(r.rule.id).toBe('differs-from-chosen');
    for (const p of r.pairs) {
      expect(p.rejected).not.toBe(p.chosen);
      expect(p.question.options).toContain(p.rejected);
      expect(['spatial', 'temporal', 'cross_frame']).toContain(p.category);
    }
    for (const t of TEMPLATES.filter((x) => x.category !== 'general')) {
      const mine = r.pairs.filter((p) => p.template === t.id);
      const counts = new Map<string, number>();
      for (const p of mine) counts.set(p.balanceClass, (counts.get(p.balanceClass) ?? 0) + 1);
      const possible = Object.keys(r.perTemplate[t.id].classes).length;
      if (mine.length) {
        expect(counts.size, t.id).toBe(possible);
        expect(new Set(counts.values()).size, t.id).toBe(1);
      }
    }
    for (const c of ['spatial', 'temporal', 'cross_frame']) {
      const t = r.perCategory[c];
      expect(t.candidates).toBeGreaterThan(0);
      expect(t.yield).toBeCloseTo(t.kept / t.candidates, 12);
      expect(t.pairs).toBeLessThanOrEqual(t.kept);
    }
    // The swapped-roles rewrite is asked (spatial relations only) and recorded as the adversarial query.
    expect(r.perSource['sparse+swapped'].candidates).toBeGreaterThan(0);
    const swapped = r.pairs.filter((p) => p.source === 'sparse+swapped');
    for (const p of swapped) expect(p.adversarialQuery).toBe(swappedRoles(p.question));
    // No general pairs: the control set is what alignment must not hurt.
    expect(r.pairs.some((p) => (p.category as string) === 'general')).toBe(false);
  }, 60_000);

  it('a model blind to the video yields no view pairs: those templates are given up and their share goes to the rest', async () => {
    const blind: AnswerScorer = { score: (items) => fakeScorer.score(items.map((it) => ({ ...it, frames: [] }))) };
    const r = await makeSelfPairs(blind, { ...options, giveUpAfter: 16 });
    expect(r.givenUp).toEqual(expect.arrayContaining(['spatial.front', 'spatial.hidden', 'temporal.first', 'cross_frame.count']));
    expect(r.perCategory.temporal.kept).toBe(0);
    // Only the rewrite (a different question) can change a blind model's answer.
    for (const p of r.pairs) expect(p.source).toBe('sparse+swapped');
    expect(r.perCategory.spatial.pairs).toBeGreaterThan(options.pairs / 3 / 4);
  }, 60_000);

  it('a category subset makes pairs of those categories only, and a stricter rule keeps fewer', async () => {
    const loose = await makeSelfPairs(fakeScorer, { ...options, categories: ['temporal'] });
    const strict = await makeSelfPairs(fakeScorer, { ...options, categories: ['temporal'], rule: pairRule(2) });
    expect(new Set(loose.pairs.map((p) => p.category))).toEqual(new Set(['temporal']));
    expect(strict.perCategory.temporal.yield).toBeLessThan(loose.perCategory.temporal.yield);
    for (const p of strict.pairs) expect(p.chosenLogpGap).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('pieces', () => {
  it('the direction-flip rewrite turns the relation round (further left -> further right, higher -> further down); other templates have none', () => {
    expect(swappedRoles({ text: 'at the start which is further left the red circle or the blue square ?' })).toBe('at the start which is further right the red circle or the blue square ?');
    expect(swappedRoles({ text: 'in the middle which is higher the green triangle or the red circle ?' })).toBe('in the middle which is further down the green triangle or the red circle ?');
    expect(swappedRoles({ text: 'which way does the red circle move ?' })).toBeUndefined();
  });

  it('balance classes come from the question text and r+ only', () => {
    expect(balanceModeOf('spatial.front')).toBe('named position');
    expect(balanceModeOf('spatial.hidden')).toBe('none');
    expect(balanceModeOf('cross_frame.count')).toBe('answer');
    const q = { text: 'which is in front the red circle or the blue square ?', options: ['blue square', 'red circle'] };
    expect(chosenClass('named position', q, 'red circle')).toBe('first named');
    expect(chosenClass('named position', q, 'blue square')).toBe('second named');
  });

  it('the sparse view shows what a 1 fps sampler sees of the 2 fps clip, one frame per tick', () => {
    const frames = Array.from({ length: 8 }, (_, i) => ({ width: 1, height: 1, data: new Uint8ClampedArray([i, 0, 0, 255]) }) as unknown as RgbaFrame);
    const shown = sparseView(frames).map((f) => f.data[0]);
    expect(shown).toHaveLength(8);
    expect(new Set(shown).size).toBe(4);
    for (let t = 1; t < 8; t++) expect(shown[t]).toBeGreaterThanOrEqual(shown[t - 1]);
  });

  it('precision counts pairs whose r+ is right and r- wrong, by ground truth', () => {
    const pair = (chosen: string, rejected: string, answer: string) => ({ category: 'spatial', chosen, rejected, question: { answer } }) as unknown as SelfPair;
    const p = pairPrecision([pair('left', 'right', 'left'), pair('right', 'left', 'left'), pair('left', 'right', 'left'), pair('left', 'right', 'left')]);
    expect(p.spatial).toEqual({ pairs: 4, precision: 0.75, chosen_right: 0.75 });
  });

  it('oracle pairs (the upper bound) come from ground truth, are balanced, and are labelled as such in the store', () => {
    const pairs = makeOraclePairs({ pairs: 33, seed: 1 });
    expect(pairs.length).toBeGreaterThan(20);
    expect(pairPrecision(pairs).temporal.precision).toBe(1);
    for (const p of pairs) {
      expect(p.chosen).toBe(p.question.answer);
      expect(p.rejected).not.toBe(p.question.answer);
      const rec = checkCanonical(JSON.parse(JSON.stringify(selfPairRecord(p, { model: 'pasta-tiny', adapter: 'none' }, pairRule(), 1))));
      expect(rec.tags).toEqual(['oracle', 'ground truth']);
      expect(rec.generator?.name).toBe('synthetic world ground truth');
      expect(rec.adversary).toBeNull();
    }
    const count = pairs.filter((p) => p.template === 'temporal.first');
    expect(count.filter((p) => p.balanceClass === 'first named').length).toBe(count.filter((p) => p.balanceClass === 'second named').length);
  });

  it('a pair record passes the pair store\'s own check, with its provenance', async () => {
    const r = await makeSelfPairs(fakeScorer, { pairs: 6, seed: 2, maxQuestions: 200, categories: ['spatial'], questionsPerRound: 4 });
    expect(r.pairs.length).toBeGreaterThan(0);
    for (const p of r.pairs) {
      const rec = checkCanonical(JSON.parse(JSON.stringify(selfPairRecord(p, { model: 'pasta-tiny', adapter: 'none' }, r.rule, 1))));
      expect(rec.category).toBe('spatial');
      expect(rec.video.path).toBe(`synth/train/${p.sceneSeed}`);
      expect(rec.generator?.details).toMatchObject({ adapter: 'none', source: p.source, scene_seed: p.sceneSeed });
      expect(rec.judge?.name).toBe('rule: differs-from-chosen');
      if (p.view === 'mirrored') expect(rec.adversary?.recipe).toBe('visual.spatial.mirror');
      if (p.view === 'sparse') expect(rec.adversary).toMatchObject({ recipe: 'paper.spatial', params: { sparseFps: 1 } });
    }
  }, 60_000);
});
