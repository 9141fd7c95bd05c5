import { describe, expect, it } from 'vitest';
import { frameEndOf, indexAtTime, seekTimeOf, timelineFromRate, timelineFromTimestamps, timestampOf } from './timeline';

describe('timeline', () => {
  it('sorts timestamps given in decode order and derives rate and duration', () => {
    const tl = timelineFromTimestamps([0, 0.2, 0.1, 0.3], 0.4, 'container');
    expect(Array.from(tl.timestamps!)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(tl.frameCount).toBe(4);
    expect(tl.duration).toBeCloseTo(0.4);
    expect(tl.fps).toBeCloseTo(10);
    expect(tl.variableRate).toBe(false);
  });
  it('does not call millisecond rounding variable frame rate', () => {
    const ts = Array.from({ length: 60 }, (_, i) => Math.round((i * 1000) / 29.97) / 1000);
    expect(timelineFromTimestamps(ts, 2.002, 'counted').variableRate).toBe(false);
  });
  it('variable frame rate means intervals vary inside the video, not at its end', () => {
    // One hour at 1 fps whose last frame comes early (a cut): constant rate.
    const hour = Array.from({ length: 3600 }, (_, i) => (i === 3599 ? 3598.5 : i));
    expect(timelineFromTimestamps(hour, 3599, 'container').variableRate).toBe(false);
    // ... and whose last frame is shorter (the track ends before a whole interval).
    expect(timelineFromTimestamps(Array.from({ length: 3600 }, (_, i) => i), 3599.1, 'container').variableRate).toBe(false);
    // A change of rate inside the video is variable, wherever it is.
    expect(timelineFromTimestamps([0, 0.1, 0.2, 0.3, 0.325, 0.35, 0.375, 0.4], 0.425, 'counted').variableRate).toBe(true);
    expect(timelineFromTimestamps([0, 0.1, 0.2, 0.3, 0.6, 0.7, 0.8], 0.9, 'counted').variableRate).toBe(true);
    expect(timelineFromTimestamps([0, 0.5, 0.6, 0.7, 0.8], 0.9, 'counted').variableRate).toBe(true);
  });
  it('finds the frame on screen at a time, clamped to the video', () => {
    const tl = timelineFromTimestamps([0, 0.1, 0.2, 0.5], 0.6, 'counted');
    expect([-1, 0, 0.05, 0.1, 0.49, 0.5, 9].map((t) => indexAtTime(tl, t))).toEqual([0, 0, 0, 1, 2, 3, 3]);
    const est = timelineFromRate(0, 1, 10);
    expect([0, 0.1, 0.15, 0.99, 5].map((t) => indexAtTime(est, t))).toEqual([0, 1, 1, 9, 9]);
  });
  it('seeks to the middle of a frame interval', () => {
    const tl = timelineFromTimestamps([0, 0.1, 0.2, 0.5], 0.6, 'counted');
    expect(seekTimeOf(tl, 2)).toBeCloseTo(0.35);
    expect(seekTimeOf(tl, 3)).toBeCloseTo(0.55);
    expect(frameEndOf(tl, 3)).toBeCloseTo(0.6);
    expect(timestampOf(timelineFromRate(2, 1, 10), 5)).toBeCloseTo(2.5);
  });
  it('estimates a frame count from duration and rate', () => {
    const tl = timelineFromRate(0, 39.86, 29.83);
    expect(tl.frameCount).toBe(1189);
    expect(tl.countSource).toBe('estimated');
  });
  it('rejects an empty track and a bad rate', () => {
    expect(() => timelineFromTimestamps([], 0, 'counted')).toThrow(RangeError);
    expect(() => timelineFromRate(0, 1, 0)).toThrow(/fps must be > 0/);
  });
});
