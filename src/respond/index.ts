/** Responders behind one interface; the built-in model first. */
export { BuiltinModel, type BuiltinModelOptions, type ScoreItem, type AnswerScore, type Choice, type Generation } from './builtinModel';
