import { seededRandom } from '../core/random';
import type { DpoBatch } from './batch';

export interface ToyBatchOptions {
  pairs: number;
  seqLen: number;
  vocabSize: number;
  seed?: number;
  /** Number of categories to cycle through. Default 3. */
  categories?: number;
  /** Prompt length range, inclusive. Default [2, T/3]. */
  promptTokens?: readonly [number, number];
  /** Response length range, inclusive, cut to what fits. Default [2, T − prompt]. */
  responseTokens?: readonly [number, number];
}

/**
 * A reproducible batch of random token pairs: a shared prompt, then a chosen
 * and a rejected response of different random lengths, right-padded with 0.
 * For tests and benchmarks; it has every shape feature real batches have
 * (prompt masking, unequal lengths, padding).
 */
export function toyBatch(o: ToyBatchOptions): DpoBatch {
  const { pairs: p, seqLen: t, vocabSize: v } = o;
  const random = seededRandom(o.seed ?? 1, 'toy batch');
  const int = random.int;
  const batch: DpoBatch = {
    pairs: p,
    seqLen: t,
    chosenIds: new Int32Array(p * t),
    rejectedIds: new Int32Array(p * t),
    chosenMask: new Float32Array(p * t),
    rejectedMask: new Float32Array(p * t),
    chosenResponse: new Float32Array(p * t),
    rejectedResponse: new Float32Array(p * t),
    category: Int32Array.from({ length: p }, (_, i) => i % (o.categories ?? 3)),
  };
  for (let i = 0; i < p; i++) {
    const [pLo, pHi] = o.promptTokens ?? [2, Math.max(2, Math.floor(t / 3))];
    const prompt = int(pLo, Math.min(pHi, t - 2));
    const promptTokens = Array.from({ length: prompt }, () => int(1, v - 1));
    for (const side of ['chosen', 'rejected'] as const) {
      const [rLo, rHi] = o.responseTokens ?? [2, t - prompt];
      const length = prompt + int(Math.min(rLo, t - prompt), Math.min(rHi, t - prompt));
      const ids = batch[`${side}Ids`];
      for (let j = 0; j < length; j++) {
        ids[i * t + j] = j < prompt ? promptTokens[j] : int(1, v - 1);
        batch[`${side}Mask`][i * t + j] = 1;
        batch[`${side}Response`][i * t + j] = j < prompt ? 0 : 1;
      }
    }
  }
  return batch;
}
