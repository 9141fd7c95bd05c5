import { ADVERSARY_CATEGORIES, PAIR_CATEGORIES, PAIR_STATUSES, type PreferencePair } from './pair';

/** What is wrong with one record of an import: its line (1-based) and the field at fault. */
export interface RecordError {
  line: number;
  field: string;
  message: string;
}

export class PairFieldError extends Error {
  override name = 'PairFieldError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string field: present, a string, or the named error. */
export function str(obj: Record<string, unknown>, field: string, { optional = false } = {}): string {
  const v = obj[field];
  if (v === undefined || v === null) {
    if (optional) return '';
    throw new PairFieldError(field, `"${field}" is missing`);
  }
  if (typeof v !== 'string') throw new PairFieldError(field, `"${field}" must be a string, got ${Array.isArray(v) ? 'an array' : typeof v}`);
  return v;
}

export function obj(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) throw new PairFieldError(field, `"${field}" must be an object`);
  return v;
}

export function arr(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw new PairFieldError(field, `"${field}" must be an array`);
  return v;
}

const num = (v: unknown, field: string): number | null => {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PairFieldError(field, `"${field}" must be a number or null`);
  return v;
};

/** Checks a canonical record field by field; returns it typed, or throws PairFieldError naming the field. */
export function checkCanonical(value: unknown): PreferencePair {
  const r = obj(value, 'record');
  for (const f of ['id', 'query', 'chosen', 'rejected']) str(r, f);
  str(r, 'adversarial_query', { optional: true });
  if (!PAIR_CATEGORIES.includes(r.category as never)) throw new PairFieldError('category', `"category" must be one of ${PAIR_CATEGORIES.join(', ')}`);
  const video = obj(r.video, 'video');
  str(video, 'path');
  num(video.duration_s, 'video.duration_s');
  num(video.native_fps, 'video.native_fps');
  const sampling = obj(r.sampling, 'sampling');
  for (const side of ['chosen', 'rejected', 'train']) {
    const s = obj(sampling[side], `sampling.${side}`);
    if (s.mode !== 'fps' && s.mode !== 'nframes') throw new PairFieldError(`sampling.${side}.mode`, `"sampling.${side}.mode" must be "fps" or "nframes"`);
    if (typeof s.value !== 'number' || !(s.value > 0)) throw new PairFieldError(`sampling.${side}.value`, `"sampling.${side}.value" must be a positive number`);
  }
  if (r.adversary !== null && r.adversary !== undefined) {
    const a = obj(r.adversary, 'adversary');
    if (!ADVERSARY_CATEGORIES.includes(a.category as never)) throw new PairFieldError('adversary.category', `"adversary.category" must be one of ${ADVERSARY_CATEGORIES.join(', ')}`);
    str(a, 'recipe');
    obj(a.params, 'adversary.params');
    if (!Number.isSafeInteger(a.seed)) throw new PairFieldError('adversary.seed', '"adversary.seed" must be an integer');
  }
  for (const p of ['generator', 'judge']) if (r[p] !== null && r[p] !== undefined) str(obj(r[p], p), 'name');
  num(r.margin, 'margin');
  if (!PAIR_STATUSES.includes(r.status as never)) throw new PairFieldError('status', `"status" must be one of ${PAIR_STATUSES.join(', ')}`);
  arr(r.edits, 'edits');
  if (!arr(r.tags, 'tags').every((t) => typeof t === 'string')) throw new PairFieldError('tags', '"tags" must be strings');
  str(r, 'notes', { optional: true });
  for (const t of ['created_at', 'updated_at']) if (typeof r[t] !== 'number') throw new PairFieldError(t, `"${t}" must be a number (ms since 1970)`);
  return { ...(r as unknown as PreferencePair), adversary: (r.adversary ?? null) as PreferencePair['adversary'], generator: (r.generator ?? null) as PreferencePair['generator'], judge: (r.judge ?? null) as PreferencePair['judge'], margin: (r.margin ?? null) as number | null, notes: (r.notes ?? '') as string, adversarial_query: (r.adversarial_query ?? '') as string };
}
