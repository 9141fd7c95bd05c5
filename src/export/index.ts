/** Preference-set formats real trainers read: import (untrusted, per-record errors) and export. */
export { FORMATS, detectFormat } from './formats';
export { FORMAT_IDS, ExportRecordError, type FormatId, type TrainerFormat } from './formatTypes';
export { importText, type ImportResult, type ImportOptions } from './importText';
export { exportPairs, splitExport, type ExportResult, type ExportOptions, type NamedFrames } from './exportPairs';
export { trainFrameCount, trainFramePaths, trainFrameFolder, safeId } from './frames';
export { llamaFactoryDatasetInfo, mergeDatasetInfo } from './formats/llamaFactory';
export { SPECIAL_TAGS } from './specialTags';
export { MODEL_FAMILIES, TRAINER_LIMITS, type ModelFamily, type TokenBudget, budgetSummary, tokenBudget, visualTokens } from './visualTokens';
export { CARD_MARKER, datasetCard, type CardInput } from './datasetCard';
export { splitPairs, validationFileName } from './split';
