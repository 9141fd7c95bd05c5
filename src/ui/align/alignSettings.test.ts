import { describe, expect, it } from 'vitest';
import { DEFAULT_BENCHMARK, DEFAULT_GENERATION, DEFAULT_TRAIN, checkBenchmark, checkGeneration, checkTraining, mergeSettings, typedNumber } from './alignSettings';

describe('Align settings', () => {
  it('accepts the defaults', () => {
    expect(checkGeneration(DEFAULT_GENERATION)).toBeNull();
    expect(checkTraining(DEFAULT_TRAIN)).toBeNull();
    expect(checkBenchmark(DEFAULT_BENCHMARK, DEFAULT_GENERATION.seed)).toBeNull();
  });

  it('names the field at fault: rank 0, negative beta, no categories, a NaN rate, the pair seed reused as held-out seed', () => {
    expect(checkTraining({ ...DEFAULT_TRAIN, rank: 0 })?.field).toBe('rank');
    expect(checkTraining({ ...DEFAULT_TRAIN, beta: -0.1 })).toEqual({ field: 'beta', message: 'beta must be a positive number, got -0.1' });
    expect(checkTraining({ ...DEFAULT_TRAIN, lr: Number.NaN })?.field).toBe('lr');
    expect(checkTraining({ ...DEFAULT_TRAIN, targets: ['gate_proj'] })?.message).toContain('"gate_proj" is not one of');
    expect(checkTraining({ ...DEFAULT_TRAIN, weights: { ...DEFAULT_TRAIN.weights, temporal: -1 } })?.field).toBe('weights.temporal');
    expect(checkGeneration({ ...DEFAULT_GENERATION, categories: [] })?.field).toBe('categories');
    expect(checkGeneration({ ...DEFAULT_GENERATION, pairs: 2 })?.message).toBe('2 pairs cannot cover 3 categories');
    expect(checkGeneration({ ...DEFAULT_GENERATION, sources: { ...DEFAULT_GENERATION.sources, temporal: [] } })?.field).toBe('sources.temporal');
    expect(checkBenchmark({ seed: 5, perCategory: 8 }, 5)?.message).toBe('the held-out seed must differ from the pair seed (5)');
  });

  it('reads typed numbers strictly', () => {
    expect(typedNumber('1e-3')).toBe(0.001);
    expect(typedNumber(' 12 ')).toBe(12);
    expect(typedNumber('.5')).toBe(0.5);
    expect(typedNumber('')).toBeNaN();
    expect(typedNumber('3x')).toBeNaN();
  });

  it('merges saved settings over the defaults, dropping fields of the wrong type', () => {
    const merged = mergeSettings(DEFAULT_TRAIN, { rank: 4, beta: 'big', targets: ['q_proj'], weights: { spatial: 2, temporal: null }, extra: 1 });
    expect(merged.rank).toBe(4);
    expect(merged.beta).toBe(DEFAULT_TRAIN.beta);
    expect(merged.targets).toEqual(['q_proj']);
    expect(merged.weights).toEqual({ spatial: 2, temporal: 1, cross_frame: 1 });
    expect(merged).not.toHaveProperty('extra');
    expect(mergeSettings(DEFAULT_GENERATION, null)).toEqual(DEFAULT_GENERATION);
    expect(mergeSettings(DEFAULT_GENERATION, { sources: { spatial: ['sparse'] } }).sources.spatial).toEqual(['sparse']);
  });
});
