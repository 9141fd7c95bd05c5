import { AdversarySpecError } from './errors';
import { type AdversarySpec, CATEGORIES } from './types';

/**
 * A spec from JSON text (pasted, imported, or read from a manifest). Checks
 * its shape only; `applyAdversary` checks the recipe and its parameters.
 */
export function parseAdversarySpec(text: string): AdversarySpec {
  let spec: Partial<AdversarySpec> | null;
  try {
    spec = JSON.parse(text);
  } catch (e) {
    throw new AdversarySpecError(`the spec is not JSON: ${(e as Error).message}`);
  }
  if (!spec || typeof spec !== 'object' || typeof spec.category !== 'string' || typeof spec.recipe !== 'string' || typeof spec.params !== 'object' || spec.params === null || typeof spec.seed !== 'number') {
    throw new AdversarySpecError('a spec needs "category", "recipe", "params" (an object) and "seed" (a number)');
  }
  if (!CATEGORIES.includes(spec.category)) throw new AdversarySpecError(`unknown category "${spec.category}" (${CATEGORIES.join(', ')})`, 'category');
  return spec as AdversarySpec;
}
