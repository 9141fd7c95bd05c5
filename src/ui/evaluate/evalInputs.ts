/** The Evaluate view's inputs: what each allows, and the message under the field when typed input is outside it. */

export const SEED_RANGE = [0, 2 ** 31 - 1] as const;
export const PER_CATEGORY_RANGE = [1, 500] as const;
/** Defaults: small enough to finish in about a minute on WASM, large enough for intervals to mean something. */
export const DEFAULT_EVAL_SEED = 1000;
export const DEFAULT_PER_CATEGORY = 24;

export type Parsed = { value: number; error?: undefined } | { value?: undefined; error: string };

function wholeNumber(text: string, [lo, hi]: readonly [number, number], what: string): Parsed {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return { error: `enter a whole number ${what} from ${lo} to ${hi}` };
  const v = Number(t);
  if (v < lo || v > hi) return { error: `${t} is out of range: ${lo} to ${hi}` };
  return { value: v };
}

/** The benchmark's seed: which held-out scenes are drawn. */
export const parseSeed = (text: string) => wholeNumber(text, SEED_RANGE, 'as the seed');
/** Questions per category (spread over its templates). */
export const parsePerCategory = (text: string) => wholeNumber(text, PER_CATEGORY_RANGE, 'of questions per category');
