/** What a sampler's number field accepts, and the message when typed input is outside it. */
export interface ParamBounds {
  label: string;
  min: number;
  max: number;
  /** 1 for whole numbers. */
  step: number;
}

/** The allowed range in words, shown beside the field: "1 to 1024 frames". */
export const allowedRange = (b: ParamBounds) => `${b.min} to ${b.max} ${b.label}`;

/** Parses typed input: the value to use, or why it cannot be used (the field keeps the last good value). */
export function parseParam(text: string, b: ParamBounds): { value: number } | { error: string } {
  const t = text.trim();
  if (t === '') return { error: `enter ${b.step === 1 ? 'a whole number' : 'a number'} of ${b.label} from ${b.min} to ${b.max}` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { error: `"${t}" is not a number: ${allowedRange(b)}` };
  if (b.step === 1 && !Number.isInteger(v)) return { error: `${b.label} must be a whole number: ${allowedRange(b)}` };
  if (v < b.min || v > b.max) return { error: `${v} is out of range: ${allowedRange(b)}` };
  return { value: v };
}
