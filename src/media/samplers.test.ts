import { describe, expect, it } from 'vitest';
import { linspaceIndices, planFrames, roundHalfEven, type SamplingSpec } from './samplers';
import { timelineFromRate, timelineFromTimestamps, type FrameTimeline } from './timeline';

/** An exact constant-rate timeline of `count` frames at `fps`. */
function cfr(count: number, fps: number, start = 0): FrameTimeline {
  const ts = Array.from({ length: count }, (_, i) => start + i / fps);
  return timelineFromTimestamps(ts, start + count / fps, 'container');
}
const indices = (tl: FrameTimeline, spec: SamplingSpec) => planFrames(tl, spec).picks.map((p) => p.index);

describe('roundHalfEven', () => {
  it('rounds ties to the even neighbour like torch.round', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, -0, 2, 3]);
  });
});

describe('linspaceIndices (round(linspace(0, total-1, n)))', () => {
  it('matches hand-computed values', () => {
    expect(linspaceIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(linspaceIndices(4, 3)).toEqual([0, 2, 3]); // 1.5 -> 2
    expect(linspaceIndices(6, 3)).toEqual([0, 2, 5]); // 2.5 -> 2
    expect(linspaceIndices(1, 2)).toEqual([0, 0]);
    expect(linspaceIndices(3, 1)).toEqual([0]);
  });
  it('spreads 32 of 1189 frames with first and last included', () => {
    const idx = linspaceIndices(1189, 32);
    expect(idx).toHaveLength(32);
    expect(idx.slice(0, 5)).toEqual([0, 38, 77, 115, 153]); // k * 38.3226
    expect(idx.at(-1)).toBe(1188);
  });
});

describe('uniform (centred)', () => {
  it('takes the frame under the centre of each time bin', () => {
    const tl = cfr(300, 30); // 10 s
    const plan = planFrames(tl, { mode: 'uniform', n: 4 });
    expect(plan.picks.map((p) => p.index)).toEqual([37, 112, 187, 262]); // 1.25 s, 3.75 s, ...
    expect(plan.picks[0].timestamp).toBeCloseTo(37 / 30, 12);
    expect(plan.picks.map((p) => p.slot)).toEqual([0, 1, 2, 3]);
    expect(plan.notes).toEqual([]);
  });
  it('repeats frames when n exceeds the frame count, and says so', () => {
    const plan = planFrames(cfr(3, 3), { mode: 'uniform', n: 8 });
    expect(plan.picks.map((p) => p.index)).toEqual([0, 0, 0, 1, 1, 2, 2, 2]);
    expect(plan.notes.join()).toMatch(/frames repeat/);
  });
  it('handles a one-frame video', () => {
    expect(indices(cfr(1, 25), { mode: 'uniform', n: 32 })).toEqual(new Array(32).fill(0));
  });
  it('follows the real timestamps of a variable-frame-rate video', () => {
    const tl = timelineFromTimestamps([0, 0.1, 0.2, 0.5, 1.0, 1.1], 1.2, 'counted');
    expect(tl.variableRate).toBe(true);
    expect(indices(tl, { mode: 'uniform', n: 3 })).toEqual([2, 3, 4]); // centres 0.2, 0.6, 1.0 s
  });
  it('honours a non-zero start time', () => {
    const plan = planFrames(cfr(300, 30, 1.0), { mode: 'uniform', n: 4 });
    expect(plan.picks.map((p) => p.index)).toEqual([37, 112, 187, 262]);
    expect(plan.picks[0].timestamp).toBeCloseTo(1 + 37 / 30, 12);
  });
});

describe('qwen-nframes', () => {
  it('rounds n to a multiple of 2 half-to-even and spreads indices', () => {
    const a = planFrames(cfr(4, 4), { mode: 'qwen-nframes', n: 3 }); // round(1.5)*2 = 4
    expect(a.picks.map((p) => p.index)).toEqual([0, 1, 2, 3]);
    expect(a.notes.join()).toMatch(/rounded from 3 to 4/);
    expect(indices(cfr(4, 4), { mode: 'qwen-nframes', n: 5 })).toHaveLength(4); // round(2.5)*2 = 4
    expect(indices(cfr(10, 10), { mode: 'qwen-nframes', n: 4 })).toEqual([0, 3, 6, 9]);
  });
  it('uses frame indices, not time, on a variable-frame-rate video', () => {
    const tl = timelineFromTimestamps([0, 0.1, 0.2, 0.5, 1.0, 1.1], 1.2, 'counted');
    const plan = planFrames(tl, { mode: 'qwen-nframes', n: 2 });
    expect(plan.picks.map((p) => [p.index, p.timestamp])).toEqual([[0, 0], [5, 1.1]]);
  });
  it('repeats frames when n exceeds the frame count', () => {
    expect(indices(cfr(3, 30), { mode: 'qwen-nframes', n: 6 })).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe('qwen-fps', () => {
  it('takes duration x fps frames', () => {
    expect(indices(cfr(300, 30), { mode: 'qwen-fps', fps: 2 })).toEqual(linspaceIndices(300, 20));
  });
  it('clamps to at least 4 frames', () => {
    expect(indices(cfr(90, 30), { mode: 'qwen-fps', fps: 1 })).toEqual([0, 30, 59, 89]); // 29.67, 59.33
  });
  it('clamps to at most 768 frames', () => {
    expect(indices(timelineFromRate(0, 3600, 30), { mode: 'qwen-fps', fps: 2 })).toHaveLength(768);
  });
  it('floors to a multiple of 2', () => {
    expect(indices(cfr(150, 30), { mode: 'qwen-fps', fps: 1.5 })).toHaveLength(6); // 7.5 -> 6
  });
  it('never takes more frames than the video has, floored to even', () => {
    expect(indices(cfr(3, 3), { mode: 'qwen-fps', fps: 10 })).toEqual([0, 2]);
  });
  it('pads a one-frame video to two frames by repetition', () => {
    const plan = planFrames(cfr(1, 30), { mode: 'qwen-fps', fps: 2 });
    expect(plan.picks.map((p) => p.index)).toEqual([0, 0]);
    expect(plan.notes.join()).toMatch(/last frame repeated/);
  });
});

describe('dense and sparse views', () => {
  it('dense takes every frame under the budget', () => {
    expect(indices(cfr(5, 30), { mode: 'dense', maxFrames: 128 })).toEqual([0, 1, 2, 3, 4]);
  });
  it('dense caps to the budget with an even spread', () => {
    const plan = planFrames(cfr(300, 30), { mode: 'dense', maxFrames: 32 });
    expect(plan.picks.map((p) => p.index)).toEqual(linspaceIndices(300, 32));
    expect(plan.notes.join()).toMatch(/capped to 32 of 300/);
  });
  it('sparse views are capped at 768 frames, as Qwen2.5-VL samples at most that many (a one-hour video at 1 fps would ask 3,600)', () => {
    const hour = cfr(3600 * 30, 30);
    const plan = planFrames(hour, { mode: 'sparse', fps: 1 });
    expect(plan.picks).toHaveLength(768);
    expect(plan.notes.join(' ')).toMatch(/capped at 768 frames \(Qwen2\.5-VL's fps limit\): one frame every 4\.7 s instead of 1 fps/);
    // Spread evenly over the whole video, not the first 768 seconds.
    expect(plan.picks.at(-1)!.timestamp).toBeGreaterThan(3590);
    expect(planFrames(hour, { mode: 'sparse', fps: 1, maxFrames: 100 }).picks).toHaveLength(100);
    expect(planFrames(cfr(300, 30), { mode: 'sparse', fps: 1 }).notes).toEqual([]);
  });

  it('sparse 1 fps takes one frame per second, centred', () => {
    expect(indices(cfr(300, 30), { mode: 'sparse', fps: 1 })).toEqual([15, 45, 75, 105, 135, 165, 195, 225, 255, 285]);
    expect(indices(cfr(1189, 1189 / 39.86), { mode: 'sparse', fps: 1 })).toHaveLength(40);
    expect(indices(cfr(89, 30), { mode: 'sparse', fps: 1 })).toHaveLength(3);
  });
  it('sparse never asks for more frames than exist', () => {
    expect(indices(cfr(2, 30), { mode: 'sparse', fps: 1 })).toEqual([1]); // 0.067 s -> 1 frame, centre 1/30 s starts frame 1
    expect(indices(cfr(4, 2), { mode: 'sparse', fps: 10 })).toEqual([0, 1, 2, 3]);
  });
});

describe('estimated timelines and bad specs', () => {
  it('notes an estimated frame count', () => {
    const plan = planFrames(timelineFromRate(0, 10, 30), { mode: 'uniform', n: 2 });
    expect(plan.picks.map((p) => p.index)).toEqual([75, 225]);
    expect(plan.notes.join()).toMatch(/estimated/);
  });
  it('rejects invalid values naming the field', () => {
    const tl = cfr(10, 10);
    expect(() => planFrames(tl, { mode: 'uniform', n: 0 })).toThrow(/uniform: n must be a positive integer/);
    expect(() => planFrames(tl, { mode: 'qwen-fps', fps: -1 })).toThrow(/fps must be a positive number/);
    expect(() => planFrames(tl, { mode: 'dense', maxFrames: 1.5 })).toThrow(/maxFrames/);
    expect(() => planFrames(tl, { mode: 'bogus' } as unknown as SamplingSpec)).toThrow(TypeError);
  });
});
