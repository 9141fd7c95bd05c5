import { describe, expect, it } from 'vitest';
import { makePair } from '../pairs/pair';
import { budgetSummary, tokenBudget, visualTokens } from './visualTokens';

describe('visual tokens per model family', () => {
  it('Qwen2.5-VL: 28-px grid cells; images one temporal patch each, video frames merged in pairs and scaled up to its minimum', () => {
    expect(visualTokens('qwen2.5-vl', 1, 224, 168, false)).toBe(8 * 6);
    expect(visualTokens('qwen2.5-vl', 32, 224, 168, false)).toBe(32 * 48);
    // 224x168 is under the video minimum of 128 cells: scaled to 392x280, 14x10 cells, per pair of frames.
    expect(visualTokens('qwen2.5-vl', 32, 224, 168, true)).toBe(16 * 140);
    expect(visualTokens('qwen2.5-vl', 5, 224, 168, true)).toBe(3 * 140);
    // LLaMA-Factory prepares video frames itself (at most 256x256 pixels, no scaling up).
    expect(visualTokens('qwen2.5-vl', 32, 224, 168, true, 'llama-factory video')).toBe(16 * 48);
  });
  it('Idefics3: 64 per 512-px tile, plus a global view when split; LLaVA-OneVision: 196 per frame', () => {
    expect(visualTokens('idefics3', 32, 224, 168, false)).toBe(32 * 64);
    expect(visualTokens('idefics3', 1, 1024, 576, false)).toBe((2 * 2 + 1) * 64);
    expect(visualTokens('llava-onevision', 32, 224, 168, true)).toBe(32 * 196);
  });
  it("a record over the trainer's limit is flagged: TRL's max_length 1024 does not hold 32 Qwen images at 224 px", () => {
    const pair = makePair({ id: 'p', query: 'q'.repeat(40), chosen: 'c'.repeat(80), rejected: 'r' }, 1);
    const b = tokenBudget(pair, 'trl', { family: 'qwen2.5-vl', frameSize: { width: 224, height: 168 }, asVideo: false });
    expect(b).toEqual({ pairId: 'p', visual: 1536, text: 30, limit: 1024, over: true });
    expect(tokenBudget(pair, 'llama-factory', { family: 'qwen2.5-vl', frameSize: { width: 224, height: 168 }, asVideo: true, limit: 4096 }).over).toBe(false);
    expect(budgetSummary([b], 'qwen2.5-vl', 'trl')).toBe('qwen2.5-vl: 1536 visual tokens per record; trl max_length 1024: 1 of 1 records over');
    expect(budgetSummary([tokenBudget(pair, 'ms-swift', { family: 'idefics3', frameSize: { width: 224, height: 168 }, asVideo: true })], 'idefics3', 'ms-swift')).toBe('idefics3: 2048 visual tokens per record; ms-swift sets no max_length by default');
  });
});
