/** PASTA-tiny, the built-in video-language model: config, graphs, tokenizer, inputs and its folder on disk. */
export { DEFAULT_MODEL, type ModelConfig, type SequenceInputs, type LayerCache, geometry, validateConfig, visualTokens, textTokens, forward, answerLogps, answerBranchLogps, answerLoss, prefill, decodeStep, parameterCount } from './model';
export { WordTokenizer, PAD, EOS, type TokenizerJson } from './tokenizer';
export { fitFrame, patchify } from './patches';
export { packText, packAnswerBranches, branchFeeds, sequenceFeeds, type PackedText, type TextItem, type PackedBranches, type BranchItem, type BranchWindow } from './pack';
export { loadModelFolder, modelFolderFiles, parameterShapes, initialWeights, MODEL_FILES, type ModelFile, type LoadedModel } from './folder';
export { UnknownWordError, ModelFolderError, ModelInputError } from './errors';
export { scoreGraph, branchScoreGraph, prefillGraph, decodeGraph, decodeCarry, pretrainingLoss, type GraphSource, type GraphOptions } from './graphs';
export { mergeAdapter, ADAPTER_FILES, type AdapterFile } from './adapter';
