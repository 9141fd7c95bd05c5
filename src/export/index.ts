/** Preference-set formats real trainers read: import (untrusted, per-record errors) and export. */
export { FORMATS, detectFormat } from './formats';
export { FORMAT_IDS, ExportRecordError, type FormatId, type TrainerFormat } from './formatTypes';
export { importText, type ImportResult, type ImportOptions } from './importText';
export { exportPairs, type ExportResult, type ExportOptions } from './exportPairs';
export { trainFrameCount, trainFramePaths, safeId } from './frames';
export { llamaFactoryDatasetInfo } from './formats/llamaFactory';
