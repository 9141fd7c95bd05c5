/** Adversaries per category: the paper's (sparse 1 fps + false-premise queries) and our visual extensions. Pure and deterministic. */
export * from './types';
export { AdversarySpecError, UnknownRecipeError, ParamOutOfRangeError, MissingVideoError } from './errors';
export { RECIPES, recipesOf, defaultSpec, applyAdversary } from './apply';
export type { Recipe, ParamSpec, NumberParam, VideoParam } from './recipe';
export { QUERY_TEMPLATES, REWRITE_KINDS, templatesOf, fillTemplate, type QueryTemplate } from './queries';
export { applyPixelOps, pixelDifference } from './pixelOps';
export { seededRandom, type Random } from '../core/random';
export { parseAdversarySpec } from './parseSpec';
export { findVideo, specNameOf, videosNamed } from './videoName';
