/** DPO with LoRA as ONNX graphs: log-probs, losses, AdamW, the step graph and the trainer that runs it. */
export { dpoLoss, validateDpoConfig, DPO_LOSS_TYPES, DPO_METRICS, DEFAULT_DPO, usesMeanLogps, type DpoConfig, type DpoLossType, type DpoMetric } from './dpo';
export { adamwStep, DEFAULT_ADAMW, type AdamWConfig } from './adamw';
export { BatchError, batchRows, policyFeeds, sequenceFeeds, sharedPromptFeeds, type DpoBatch } from './batch';
export { toyBatch, type ToyBatchOptions } from './toyBatch';
export { buildDpoStepGraph, buildReferenceGraph, responseWindowOf, type DpoStepOptions, type DpoStepGraph, type PolicyOptions } from './stepGraph';
export { DpoTrainer, type DpoTrainerOptions, type StepMetrics } from './trainer';
export { runFixedBatch, fixedBatchOf, type FixedBatchRunSpec, type FixedBatchRunResult, type RunSettings } from './fixedBatchRun';
export { buildFullStepGraph, FullTrainer, type FullStepOptions, type FullStepGraph } from './fullStep';
export { buildBuiltinDpoStepGraph, buildBuiltinReferenceGraph, buildBuiltinPolicyGraph, validateLoraTargets, type BuiltinDpoStepOptions, type BuiltinDpoStepGraph, type BuiltinPolicyOptions } from './builtinStep';
export { builtinPairBatch, builtinPairFeeds, type BuiltinPair, type BuiltinPairBatch } from './builtinBatch';
export { BuiltinDpoTrainer, type BuiltinDpoTrainerOptions, type BuiltinDpoCheckpoint } from './builtinTrainer';
export { trainPairEpochs, checkPairSet, scheduleLr, batchIndices, type PairEpochsOptions, type PairEpochsResult } from './pairEpochs';
export { adapterFiles, adapterWeights, peftConfig, type AdapterMetadata } from './peftAdapter';
export { TrainingDivergedError, PairSetError, CheckpointError } from './errors';
