/**
 * Train pairs as the trainer takes them: each pair's video rendered again
 * from its scene seed (once per scene) and patchified. Used in the align
 * Worker only. DOM-free.
 */
import type { PairCategory } from '../../align';
import { type LoadedModel, geometry, patchify } from '../../model';
import { generateScene, renderFrames } from '../../synth';
import type { BuiltinPair } from '../../train';
import type { TrainPairSpec } from './trainPairs';

/**
 * The trainer's input: each pair's video rendered once per scene and
 * patchified, its category as an index into `categories` (the run's order,
 * which its category weights follow).
 */
export function builtinPairsOf(model: LoadedModel, specs: readonly TrainPairSpec[], categories: readonly PairCategory[]): BuiltinPair[] {
  const g = geometry(model.config);
  const patchesOf = new Map<string, Float32Array>();
  return specs.map((s) => {
    const key = `${s.split}/${s.sceneSeed}`;
    let patches = patchesOf.get(key);
    if (!patches) {
      patches = new Float32Array(g.visualTokens * g.patchValues);
      patchify(model.config, renderFrames(generateScene(s.split, s.sceneSeed), model.config.imageSize), patches, 0);
      patchesOf.set(key, patches);
    }
    const category = categories.indexOf(s.category);
    if (category < 0) throw new TypeError(`pair ${s.id} is ${s.category}, which this run does not train (${categories.join(', ')})`);
    return { patches, question: s.question, chosen: s.chosen, rejected: s.rejected, category };
  });
}
