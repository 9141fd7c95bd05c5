import { describe, expect, it } from 'vitest';
import { timelineFromRate } from '../../media/timeline';
import { planFrames } from '../../media/samplers';
import { fitFrame } from '../../model';
import { TICKS, generateScene, renderFrame } from '../../synth';
import { DEMO_FPS, DEMO_FRAMES_PER_TICK, DEMO_SCENES, demoFrames, demoName, demoTick } from './demoScenes';

describe('demo videos', () => {
  it('a uniform 8-frame plan of a demo video picks exactly the ticks the model sees', () => {
    const n = TICKS * DEMO_FRAMES_PER_TICK;
    const plan = planFrames(timelineFromRate(0, n / DEMO_FPS, DEMO_FPS), { mode: 'uniform', n: TICKS });
    expect(plan.picks.map((p) => demoTick(p.index))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('moves smoothly: consecutive frames are a quarter tick apart, clamped at both ends', () => {
    expect([0, 1, 2, 3, 6, 30, 31].map(demoTick)).toEqual([0, 0, 0, 0.25, 1, 7, 7]);
  });

  it('renders 32 frames, and the picked frames shrunk to 32 px look like the model’s own ticks', () => {
    const scene = generateScene(DEMO_SCENES[0].split, DEMO_SCENES[0].seed);
    const frames = demoFrames(scene, 64);
    expect(frames).toHaveLength(32);
    const small = fitFrame(frames[6], 32);
    const own = renderFrame(scene, 1, 32, 32);
    let diff = 0;
    for (let i = 0; i < own.data.length; i++) diff += Math.abs(small.data[i] - own.data[i]);
    expect(diff / own.data.length).toBeLessThan(8);
  });

  it('names each demo after its objects, uniquely', () => {
    const names = DEMO_SCENES.map(demoName);
    expect(new Set(names).size).toBe(DEMO_SCENES.length);
    expect(names[0]).toMatch(/^demo-1 \w+ \w+/);
  });
});
