import type { FramePlan, SamplingSpec } from '../media/samplers';
import { AdversarySpecError, ParamOutOfRangeError } from './errors';
import type { Random } from '../core/random';
import type { AdversaryInput, Category, ParamValue, ViewFrame } from './types';

/** A numeric parameter with its range; `default: null` means "picked from the seed". */
export interface NumberParam {
  kind: 'int' | 'number';
  min: number;
  max: number;
  default: number | null;
  label: string;
}

/** Another video, named by its relative path or file name (as pair records name videos). */
export interface VideoParam {
  kind: 'video';
  label: string;
}

export type ParamSpec = NumberParam | VideoParam;

export interface RecipeContext {
  input: AdversaryInput;
  /** Parameters after defaults and range checks (null: pick from the seed). */
  params: Readonly<Record<string, ParamValue | null>>;
  random: Random;
}

export interface RecipeResult {
  preferred: { sampling: SamplingSpec | 'given plan'; frames: ViewFrame[] };
  adversarial: { sampling: SamplingSpec | 'given plan'; frames: ViewFrame[] };
  notes: string[];
}

export interface Recipe {
  id: string;
  category: Category;
  /** `paper`: VideoPASTA's own adversary (sparse sampling + false-premise queries). `visual`: our extension. */
  kind: 'paper' | 'visual';
  label: string;
  /** The relation the adversarial view breaks. */
  breaks: string;
  /** Why the original's correct answer becomes wrong on the adversarial view. */
  why: string;
  params: Readonly<Record<string, ParamSpec>>;
  apply(ctx: RecipeContext): RecipeResult;
}

/** The frames of a plan as a view of `video`, each its own origin. */
export const framesOf = (plan: FramePlan, video: string): ViewFrame[] =>
  plan.picks.map((p) => ({ slot: p.slot, video, index: p.index, timestamp: p.timestamp, from: p.slot, ops: [] }));

/** The preferred frames reordered: slot i shows preferred frame order[i]. */
export const reorder = (preferred: readonly ViewFrame[], order: readonly number[]): ViewFrame[] =>
  order.map((from, slot) => ({ ...preferred[from], slot, from }));

/** A permutation of 0..n-1 that moves every listed slot: a cyclic shift over them in random order. */
export function derange(n: number, slots: readonly number[], random: Random): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const cycle = random.shuffled(slots);
  if (cycle.length < 2) return order;
  cycle.forEach((s, i) => (order[s] = cycle[(i + 1) % cycle.length]));
  return order;
}

export function requireFrames(ctx: RecipeContext, min: number, what: string) {
  const n = ctx.input.plan.picks.length;
  if (n < min) throw new AdversarySpecError(`${what} needs at least ${min} frames in the plan, it has ${n}`, 'plan');
  return n;
}

/** Resolves and checks a spec's params against a recipe's; unknown names and out-of-range values fail naming the field. */
export function resolveParams(recipe: Recipe, params: Readonly<Record<string, ParamValue>>): Record<string, ParamValue | null> {
  const out: Record<string, ParamValue | null> = {};
  for (const name of Object.keys(params)) {
    if (name !== 'template' && !(name in recipe.params)) {
      throw new AdversarySpecError(`recipe ${recipe.id} has no parameter "${name}" (it takes: ${Object.keys(recipe.params).join(', ') || 'none'})`, `params.${name}`);
    }
  }
  for (const [name, spec] of Object.entries(recipe.params)) {
    const value = params[name];
    if (spec.kind === 'video') {
      if (typeof value !== 'string' || value === '') throw new AdversarySpecError(`recipe ${recipe.id} needs "${name}": ${spec.label}`, `params.${name}`);
      out[name] = value;
      continue;
    }
    if (value === undefined || value === null) {
      out[name] = spec.default;
      continue;
    }
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= spec.min && value <= spec.max && (spec.kind === 'number' || Number.isInteger(value));
    if (!ok) {
      throw new ParamOutOfRangeError(`${name} = ${JSON.stringify(value)} is out of range: ${spec.label} must be ${spec.kind === 'int' ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}]`, `params.${name}`);
    }
    out[name] = value;
  }
  return out;
}
