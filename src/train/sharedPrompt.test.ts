import { describe, expect, it } from 'vitest';
import { BatchError, sharedPromptFeeds, toyBatch } from '.';

const batch = () => toyBatch({ pairs: 2, seqLen: 10, vocabSize: 30, seed: 2, promptTokens: [4, 5], responseTokens: [1, 3] });

describe('shared-prompt rows', () => {
  it('hold the prompt once, then each response at the positions its own row gives it', () => {
    const b = batch();
    const feeds = sharedPromptFeeds(b, 12, 'float32', 3);
    const ids = feeds.input_ids.data as Int32Array;
    const positions = feeds.position_ids.data as Int32Array;
    const branches = feeds.branches.data as Float32Array;
    const t = b.seqLen;
    const prompt = Array.from(b.chosenResponse.subarray(0, t)).indexOf(1);
    const chosen = Array.from(b.chosenIds.subarray(0, t)).filter((_, j) => b.chosenResponse[j]);
    const rejected = Array.from(b.rejectedIds.subarray(0, t)).filter((_, j) => b.rejectedResponse[j]);
    expect(Array.from(ids.subarray(0, prompt + chosen.length + rejected.length))).toEqual([...b.chosenIds.subarray(0, prompt), ...chosen, ...rejected]);
    expect(Array.from(positions.subarray(prompt, prompt + chosen.length))).toEqual(chosen.map((_, j) => prompt + j));
    expect(Array.from(positions.subarray(prompt + chosen.length, prompt + chosen.length + rejected.length))).toEqual(rejected.map((_, j) => prompt + j));
    expect(Array.from(branches.subarray(0, prompt + chosen.length + rejected.length))).toEqual([...Array(prompt).fill(0), ...chosen.map(() => 1), ...rejected.map(() => 2)]);
    // Each response's first token is predicted at the prompt's last position.
    expect((feeds.chosen_logit_positions.data as Int32Array)[0]).toBe(prompt - 1);
    expect((feeds.rejected_logit_positions.data as Int32Array)[0]).toBe(prompt - 1);
    expect(Array.from((feeds.rejected_logit_targets.data as Int32Array).subarray(0, rejected.length))).toEqual(rejected);
  });

  it('refuses pairs whose prompts differ or that do not fit, by pair', () => {
    const b = batch();
    b.rejectedIds[1] = (b.rejectedIds[1] % 29) + 1;
    expect(() => sharedPromptFeeds(b, 12, 'float32', 3)).toThrow(BatchError);
    expect(() => sharedPromptFeeds(b, 12, 'float32', 3)).toThrow(/pair 0: the chosen and rejected prompts differ/);
    expect(() => sharedPromptFeeds(batch(), 5, 'float32', 3)).toThrow(/pair 0 needs \d+ slots .*sharedPrompt 5/);
  });
});
