import { describe, expect, it } from 'vitest';

const SLOW = 60_000;
import { renderFrame, renderFrames } from './render';
import { COLOUR_RGB, TICKS, generateScene, type Scene } from './scene';
import { insideShape } from './shapes';

const px = (f: { width: number; data: Uint8ClampedArray }, x: number, y: number) => {
  const i = (y * f.width + x) * 4;
  return [f.data[i], f.data[i + 1], f.data[i + 2], f.data[i + 3]];
};

/** The background alone, rendered through a scene with every object hidden. */
const bare = (s: Scene): Scene => ({ ...s, objects: s.objects.map((o) => ({ ...o, track: o.track.map((p) => ({ ...p, visible: false })) })) });

describe('renderFrame', () => {
  it('is deterministic and opaque', () => {
    for (let seed = 0; seed < 20; seed++) {
      const a = renderFrames(generateScene('train', seed)), b = renderFrames(generateScene('train', seed));
      expect(a).toHaveLength(TICKS);
      a.forEach((f, t) => {
        expect(f.width).toBe(32);
        expect(Buffer.from(f.data).equals(Buffer.from(b[t].data))).toBe(true);
        let opaque = true;
        for (let i = 3; i < f.data.length; i += 4) opaque &&= f.data[i] === 255;
        expect(opaque).toBe(true);
      });
    }
  }, SLOW);

  it('matches renderFrame at whole ticks and renders fractional ticks', () => {
    const s = generateScene('train', 5);
    const frames = renderFrames(s, 24);
    for (let t = 0; t < TICKS; t++) expect(Buffer.from(renderFrame(s, t, 24, 24).data).equals(Buffer.from(frames[t].data))).toBe(true);
    expect(renderFrame(s, 3.5, 40, 30).data).toHaveLength(40 * 30 * 4);
  }, SLOW);

  it('shows the front visible object colour at its centre and the background away from all objects', () => {
    let checkedCentre = 0, checkedBg = 0;
    for (let seed = 0; seed < 100; seed++) {
      const s = generateScene('train', seed);
      const frames = renderFrames(s, 32), bg = renderFrames(bare(s), 32);
      for (let t = 0; t < TICKS; t++) {
        for (const o of s.objects) {
          const p = o.track[t];
          if (!p.visible || p.x < 0.05 || p.x > 0.95 || p.y < 0.05 || p.y > 0.95) continue;
          const x = Math.floor(p.x * 32), y = Math.floor(p.y * 32);
          // Skip where any other visible object in front reaches this pixel.
          const blocked = s.objects.some((f) => f.depth > o.depth && f.track[t].visible &&
            [0, 1].some((i) => [0, 1].some((j) => insideShape(f.shape, (x + i) / 32 - f.track[t].x, (y + j) / 32 - f.track[t].y, f.radius + 2 / 32))));
          if (blocked) continue;
          expect(px(frames[t], x, y).slice(0, 3)).toEqual([...COLOUR_RGB[o.colour]]);
          checkedCentre++;
        }
        for (let y = 0; y < 32; y += 3) for (let x = 0; x < 32; x += 3) {
          const near = s.objects.some((o) => o.track[t].visible && Math.abs((x + 0.5) / 32 - o.track[t].x) < o.radius + 1.5 / 32 && Math.abs((y + 0.5) / 32 - o.track[t].y) < o.radius + 1.5 / 32);
          if (near) continue;
          expect(px(frames[t], x, y)).toEqual(px(bg[t], x, y));
          checkedBg++;
        }
      }
    }
    expect(checkedCentre).toBeGreaterThan(1000);
    expect(checkedBg).toBeGreaterThan(10000);
  }, SLOW);
});
