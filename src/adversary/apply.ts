import { AdversarySpecError, UnknownRecipeError } from './errors';
import { makeQuery } from './queries';
import { seededRandom } from '../core/random';
import type { Recipe } from './recipe';
import { resolveParams } from './recipe';
import { CROSS_FRAME_RECIPES } from './recipes/crossFrame';
import { PAPER_RECIPES } from './recipes/paper';
import { SPATIAL_RECIPES } from './recipes/spatial';
import { TEMPORAL_RECIPES } from './recipes/temporal';
import { type AdversarialView, type AdversaryInput, type AdversarySpec, CATEGORIES } from './types';

/** Every recipe by id: the paper's three first, then our visual extensions. */
export const RECIPES: ReadonlyMap<string, Recipe> = new Map([...PAPER_RECIPES, ...TEMPORAL_RECIPES, ...SPATIAL_RECIPES, ...CROSS_FRAME_RECIPES].map((r) => [r.id, r]));

export const recipesOf = (category: AdversarySpec['category']) => [...RECIPES.values()].filter((r) => r.category === category);

/** The default spec of a category: the paper's recipe. */
export const defaultSpec = (category: AdversarySpec['category'], seed = 0): AdversarySpec => ({ category, recipe: `paper.${category}`, params: {}, seed });

/**
 * Applies a spec: the preferred and adversarial frame plans, their pixel
 * operations and the queries. Pure and deterministic; a bad spec throws an
 * AdversarySpecError naming the field, before anything is computed.
 */
export function applyAdversary(spec: AdversarySpec, input: AdversaryInput): AdversarialView {
  if (!CATEGORIES.includes(spec.category)) throw new AdversarySpecError(`unknown category "${spec.category}" (${CATEGORIES.join(', ')})`, 'category');
  const recipe = RECIPES.get(spec.recipe);
  if (!recipe) throw new UnknownRecipeError(`unknown recipe "${spec.recipe}"; ${spec.category} recipes are ${recipesOf(spec.category).map((r) => r.id).join(', ')}`, 'recipe');
  if (recipe.category !== spec.category) throw new AdversarySpecError(`recipe ${recipe.id} is a ${recipe.category} recipe, not ${spec.category}`, 'recipe');
  if (!Number.isSafeInteger(spec.seed)) throw new AdversarySpecError(`seed ${spec.seed} is not an integer`, 'seed');
  const params = resolveParams(recipe, spec.params);
  const template = spec.params.template;
  if (template !== undefined && typeof template !== 'string') throw new AdversarySpecError('params.template must be a template id', 'params.template');
  const query = makeQuery(spec.category, seededRandom(spec.seed, 'query'), template, input.slots);
  const result = recipe.apply({ input, params, random: seededRandom(spec.seed, recipe.id) });
  return { spec, ...result, query };
}
