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
