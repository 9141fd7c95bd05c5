/** Annotation-free alignment data: preference pairs the model makes from its own answers on preferred and adversarial views. */
export { makeSelfPairs, pairPrecision, sampleQuestion, balanceModeOf, chosenClass, PAIR_CATEGORIES, type PairCategory, type SelfPair, type MakePairsOptions, type MakePairsResult, type PairTally, type QuestionSampler } from './makePairs';
export { CANDIDATE_SOURCES, DEFAULT_SOURCES, pairRule, swappedRoles, type CandidateSource, type CandidateQuery, type PairRule } from './sources';
export { sparseView, viewFrames, adversarySpecOf, SYNTH_FPS, SPARSE_FPS, type PairView } from './views';
export { selfPairRecord, type GeneratorRef } from './pairRecord';
export { makeOraclePairs, ORACLE_SOURCE, type OraclePairsOptions } from './oraclePairs';
