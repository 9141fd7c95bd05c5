import { describe, expect, it } from 'vitest';
import { RADIUS, TICKS, generateScene, mirrorScene, nameOf, reverseScene, stateAt } from './scene';

describe('generateScene', () => {
  it('is fully determined by (split, seed), and train and eval differ', () => {
    for (let seed = 0; seed < 50; seed++) {
      expect(generateScene('train', seed)).toEqual(generateScene('train', seed));
      expect(generateScene('eval', seed)).toEqual(generateScene('eval', seed));
      expect(generateScene('eval', seed).objects).not.toEqual(generateScene('train', seed).objects);
    }
  });

  it('has 2 to 4 objects with unique (colour, shape), one state per tick, each visible at some tick', () => {
    const counts = new Set<number>();
    for (let seed = 0; seed < 500; seed++) {
      const s = generateScene('train', seed);
      counts.add(s.objects.length);
      expect(s.objects.length).toBeGreaterThanOrEqual(2);
      expect(s.objects.length).toBeLessThanOrEqual(4);
      expect(new Set(s.objects.map(nameOf)).size).toBe(s.objects.length);
      expect(new Set(s.objects.map((o) => o.depth)).size).toBe(s.objects.length);
      s.objects.forEach((o, i) => {
        expect(o.id).toBe(i);
        expect(o.radius).toBe(RADIUS[o.size]);
        expect(o.track).toHaveLength(TICKS);
        expect(o.track.some((p) => p.visible)).toBe(true);
        for (const p of o.track) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
      });
    }
    expect([...counts].sort()).toEqual([2, 3, 4]);
  });

  it('keeps backgrounds dark and muted', () => {
    for (let seed = 0; seed < 200; seed++) {
      const { base, second } = generateScene('train', seed).background;
      for (const c of [...base, ...second]) { expect(c).toBeGreaterThanOrEqual(0); expect(c).toBeLessThanOrEqual(100); }
    }
  });
});

describe('stateAt', () => {
  it('equals the track at whole ticks and interpolates between them', () => {
    const o = generateScene('train', 7).objects[0];
    for (let t = 0; t < TICKS; t++) expect(stateAt(o, t)).toEqual(o.track[t]);
    const mid = stateAt(o, 2.25);
    expect(mid.x).toBeCloseTo(o.track[2].x * 0.75 + o.track[3].x * 0.25, 12);
    expect(mid.y).toBeCloseTo(o.track[2].y * 0.75 + o.track[3].y * 0.25, 12);
    expect(mid.visible).toBe(o.track[2].visible);
    expect(stateAt(o, 2.75).visible).toBe(o.track[3].visible);
    expect(stateAt(o, 99)).toEqual(o.track[TICKS - 1]);
  });
});

describe('mirrorScene and reverseScene', () => {
  it('mirror maps x to 1 - x and is its own inverse', () => {
    const s = generateScene('train', 3);
    const m = mirrorScene(s);
    m.objects.forEach((o, i) => o.track.forEach((p, t) => {
      expect(p.x).toBeCloseTo(1 - s.objects[i].track[t].x, 12);
      expect(p.y).toBe(s.objects[i].track[t].y);
      expect(p.visible).toBe(s.objects[i].track[t].visible);
    }));
    expect(mirrorScene(m).objects.map((o) => o.track.map((p) => p.visible))).toEqual(s.objects.map((o) => o.track.map((p) => p.visible)));
  });

  it('reverse plays the tracks backwards and does not touch the original', () => {
    const s = generateScene('eval', 11);
    const copy = structuredClone(s);
    const r = reverseScene(s);
    r.objects.forEach((o, i) => o.track.forEach((p, t) => expect(p).toEqual(s.objects[i].track[TICKS - 1 - t])));
    expect(reverseScene(r)).toEqual(s);
    expect(s).toEqual(copy);
  });
});
