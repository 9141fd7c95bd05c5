/** Responders behind one interface (responder.ts); the built-in model first. */
export type { GenerationSettings, Responder, Response, ResponseProvenance, ResponseRequest, TokenLogp, VideoTransport } from './responder';
export { BuiltinModel, type BuiltinModelOptions, type ScoreItem, type AnswerScore, type Choice, type Generation } from './builtinModel';
export { builtinResponder, type BuiltinResponderOptions } from './builtinResponder';
