/** Fixed items for browser-against-Node forward passes: synthetic scenes render the same pixels in both. */
import { generateScene, questionsFor, renderFrames } from '../../synth';

/** The items for scene seeds `seeds` (eval split): every option of the first `perScene` questions of each. */
export function parityItems(seeds: number[], perScene: number) {
  return seeds.flatMap((seed) => {
    const scene = generateScene('eval', seed);
    const frames = renderFrames(scene, 32);
    return questionsFor(scene).slice(0, perScene).flatMap((q) => q.options.map((answer) => ({ frames, question: q.text, answer })));
  });
}
