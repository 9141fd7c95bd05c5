import { describe, expect, it } from 'vitest';
import { type StepPoint, createMetricsStore, secondsLeft, thinned } from './metricsStore';

const point = (step: number, seconds = step): StepPoint => ({ step, epoch: 0, lr: 1e-3, seconds, loss: 0.69, 'rewards/chosen': 0, 'rewards/rejected': 0, 'rewards/accuracies': 0.5, 'rewards/margins': 0, 'logps/chosen': -3, 'logps/rejected': -3 });

describe('the training metrics store', () => {
  it('tells subscribers of each step, with a new array, and a step sent again replaces what followed it', () => {
    const store = createMetricsStore();
    const seen: number[] = [];
    store.subscribe((s, before) => s.points !== before.points && seen.push(s.points.length));
    store.getState().reset([], 10);
    store.getState().append(point(1));
    store.getState().append(point(2));
    store.getState().append(point(2, 5));
    expect(seen).toEqual([0, 1, 2, 2]);
    expect(store.getState().points.at(-1)!.seconds).toBe(5);
    expect(store.getState().totalSteps).toBe(10);
  });

  it('thins long runs to a fixed number of points, keeping the first and last', () => {
    const many = Array.from({ length: 1001 }, (_, i) => i);
    const few = thinned(many, 300);
    expect(few).toHaveLength(300);
    expect(few[0]).toBe(0);
    expect(few.at(-1)).toBe(1000);
    expect(thinned([1, 2, 3], 300)).toEqual([1, 2, 3]);
  });

  it('estimates time left from the pace of the steps so far', () => {
    expect(secondsLeft([point(1, 1), point(3, 2)], 7)).toBe(2);
    expect(secondsLeft([point(1)], 7)).toBeNull();
  });
});

describe('steady chart axes', () => {
  it('round the data range to a few round steps that later points rarely leave', async () => {
    const { steadyRange, ticksOf } = await import('./metricsStore');
    expect(steadyRange([0.69, 0.62, 0.55])).toEqual([0.55, 0.7]);
    expect(steadyRange([0.691, 0.6])).toEqual(steadyRange([0.69, 0.6]));
    expect(steadyRange([])).toEqual([0, 1]);
    expect(steadyRange([3, 3])).toEqual([2.5, 3.5]);
    expect(steadyRange([-12.3, -4.1])).toEqual([-15, 0]);
    expect(ticksOf([0, 1])).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});
