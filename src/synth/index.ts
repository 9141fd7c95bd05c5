/**
 * The synthetic video world: scenes, their rasterizer and ground-truth
 * questions per category.
 */
export * from './scene';
export * from './render';
export * from './questions';
export { SynthError } from './errors';
export { DIRECTIONS, type Direction } from './motion';
export { visibleTicks, visibleRuns, straightDirection, turnOf, coverage } from './facts';
export { insideShape } from './shapes';
