/**
 * A tiny built-in model and a pair set it can learn from, for tests: frames
 * whose pixels say "red" or "blue", the question "is it red or blue ?", the
 * right colour chosen. Small enough that a step takes milliseconds.
 */
import { DEFAULT_MODEL, type LoadedModel, type ModelConfig, WordTokenizer, geometry, initialWeights } from '../model';
import type { BuiltinPair } from './builtinBatch';

const tokenizer = new WordTokenizer('is it red or blue ? left right yes no'.split(' '));

export const TINY_CONFIG: ModelConfig = {
  ...DEFAULT_MODEL, vocabSize: tokenizer.size, frames: 2, imageSize: 8, patchSize: 4, cellSize: 2, cellContext: 0, stemWidth: 8, dim: 16, heads: 2, layers: 2, hidden: 32, maxText: 12, answerWindow: 2,
};

/** The tiny model with every parameter at its init from `seed`. */
export function tinyModel(seed = 3): LoadedModel {
  return { config: TINY_CONFIG, tokenizer, weights: initialWeights(TINY_CONFIG, seed) };
}

/** `n` pairs cycling through `categories` categories: the colour the pixels show is chosen, the other rejected. */
export function colourPairs(n: number, categories = 3): BuiltinPair[] {
  const { visualTokens: v, patchValues } = geometry(TINY_CONFIG);
  return Array.from({ length: n }, (_, i) => {
    const red = i % 2 === 0;
    const patches = Float32Array.from({ length: v * patchValues }, (_, j) => (j % 3 === (red ? 0 : 2) ? 1 : -1));
    return { patches, question: 'is it red or blue ?', chosen: red ? 'red' : 'blue', rejected: red ? 'blue' : 'red', category: Math.floor(i / 2) % categories };
  });
}
