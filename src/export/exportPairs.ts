import type { PreferencePair } from '../pairs/pair';
import { FORMATS } from './formats';
import { llamaFactoryDatasetInfo } from './formats/llamaFactory';
import { ExportRecordError, type FormatId } from './formatTypes';
import { trainFramePaths } from './frames';

export interface ExportResult {
  /** The records file (JSONL). */
  text: string;
  fileName: string;
  /** Pairs written. */
  written: PreferencePair[];
  /** Pairs left out, each named with the field at fault. */
  errors: ExportRecordError[];
  /** Other files the trainer needs beside the records (LLaMA-Factory's dataset_info.json). */
  extraFiles: Record<string, string>;
}

/** Writes pairs in a trainer's format, one JSON record per line; pairs it cannot carry are named, not written. */
export interface ExportOptions {
  /** The dataset's name in LLaMA-Factory's dataset_info.json. Default "pasta_dpo". */
  datasetName?: string;
  /** The records file's name. Default `<datasetName>.<format>.jsonl`. */
  fileName?: string;
}

export function exportPairs(pairs: readonly PreferencePair[], format: FormatId, options: ExportOptions = {}): ExportResult {
  const datasetName = options.datasetName ?? 'pasta_dpo';
  const fileName = options.fileName ?? `${datasetName}.${format === 'canonical' ? 'pasta' : format}.jsonl`;
  const f = FORMATS[format];
  const lines: string[] = [];
  const written: PreferencePair[] = [];
  const errors: ExportRecordError[] = [];
  for (const pair of pairs) {
    try {
      lines.push(JSON.stringify(f.write(pair, { framePaths: trainFramePaths })));
      written.push(pair);
    } catch (e) {
      if (!(e instanceof ExportRecordError)) throw e;
      errors.push(e);
    }
  }
  const extraFiles: Record<string, string> =
    format === 'llama-factory' ? { 'dataset_info.json': `${JSON.stringify(llamaFactoryDatasetInfo(datasetName, fileName), null, 2)}\n` } : {};
  return { text: lines.length ? `${lines.join('\n')}\n` : '', fileName, written, errors, extraFiles };
}
