import type { PreferencePair } from '../pairs/pair';

/** FNV-1a of a string: a stable hash, so a pair stays on its side of the split across exports. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Splits pairs into train and validation by a hash of each id: deterministic, independent of order, and a
 * pair added later does not move the others. Pairs of one video stay together, so validation never shows a
 * video the policy trained on. `fraction` is the validation share, 0 to 1.
 */
export function splitPairs(pairs: readonly PreferencePair[], fraction: number): { train: PreferencePair[]; validation: PreferencePair[] } {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  const isValidation = (p: PreferencePair) => fnv1a(p.video.path || p.id) / 2 ** 32 < fraction;
  return { train: pairs.filter((p) => !isValidation(p)), validation: pairs.filter(isValidation) };
}

/** The records file of the validation side: `pairs.jsonl` -> `pairs.val.jsonl`. */
export const validationFileName = (fileName: string) => fileName.replace(/(\.jsonl?)?$/, (ext) => `.val${ext || '.jsonl'}`);
