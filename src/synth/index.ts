/**
 * The synthetic video world: scenes (scene.ts), their rasterizer
 * (render.ts) and ground-truth questions per category (questions.ts).
 *
 * Typical use: `sampleExample(split, seed, templateId)` gives a scene and a
 * question whose answer class is balanced per template (see `balanceKey`);
 * `renderFrames(scene, 32)` gives the TICKS frames the model sees.
 * `mirrorScene` / `reverseScene` give the breaking views; `questionsOf`
 * re-asks a template on them (match instances by `text`).
 */
export * from './scene';
export * from './render';
export * from './questions';
export { SynthError } from './errors';
export { DIRECTIONS, DIRECTION_VECTOR, type Direction } from './motion';
export { visibleTicks, visibleRuns, straightDirection, turnOf, coverage } from './facts';
export { insideShape } from './shapes';
