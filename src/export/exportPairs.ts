import type { PreferencePair } from '../pairs/pair';
import { FORMATS } from './formats';
import { mergeDatasetInfo } from './formats/llamaFactory';
import { ExportRecordError, type FormatId, type WriteContext } from './formatTypes';
import { type FrameCountOptions, trainFrameFolder, trainFramePaths } from './frames';
import { splitPairs, validationFileName } from './split';
import { exportedVideoPath } from './videoPath';

/** Training frames an export names for one pair: the files to write, relative to the dataset root. */
export interface NamedFrames {
  pair: PreferencePair;
  /** `frames/<id>/000.jpg`, ...; with `even`, the last frame repeated to an even count. */
  files: string[];
  even: boolean;
}

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
  /** The training frames the records name, by pair id: the export is complete only once these are written. */
  frames: Map<string, NamedFrames>;
}

export interface ExportOptions {
  /** The dataset's name in LLaMA-Factory's dataset_info.json. Default "pasta_dpo". */
  datasetName?: string;
  /** The records file's name. Default `<datasetName>.<format>.jsonl`. */
  fileName?: string;
  /** LLaMA-Factory and ms-swift: each video as the pair's own frame list instead of the video file. Default false. */
  nestedFrames?: boolean;
  /** Folder the video paths are written under (e.g. "videos", or an absolute folder). Default: none, the pair's own relative path. */
  videoRoot?: string;
  /** Absolute folder to write frame paths under, for trainers run from elsewhere. Default: none (relative paths). */
  frameRoot?: string;
  /** The existing dataset_info.json beside the records, merged into rather than replaced (LLaMA-Factory). */
  existingDatasetInfo?: string | null;
}

const under = (root: string | undefined, p: string) => (root ? `${root.replace(/[\\/]+$/, '')}/${p}` : p);

/** Writes pairs in a trainer's format, one JSON record per line; pairs it cannot carry are named, not written. */
export function exportPairs(pairs: readonly PreferencePair[], format: FormatId, options: ExportOptions = {}): ExportResult {
  const datasetName = options.datasetName ?? 'pasta_dpo';
  const fileName = options.fileName ?? `${datasetName}.${format === 'canonical' ? 'pasta' : format}.jsonl`;
  const f = FORMATS[format];
  const lines: string[] = [];
  const written: PreferencePair[] = [];
  const errors: ExportRecordError[] = [];
  const frames = new Map<string, NamedFrames>();
  for (const pair of pairs) {
    let named: NamedFrames | undefined;
    const name = (p: PreferencePair, o: FrameCountOptions = {}) => (named = { pair: p, files: trainFramePaths(p, o), even: !!o.even });
    const ctx: WriteContext = {
      frames: (p, o) => name(p, o).files.map((file) => under(options.frameRoot, file)),
      frameFolder: (p) => {
        name(p);
        return under(options.frameRoot, trainFrameFolder(p));
      },
      videoPath: (p) => under(options.videoRoot, exportedVideoPath(p)),
      nestedFrames: !!options.nestedFrames,
    };
    try {
      lines.push(JSON.stringify(f.write(pair, ctx)));
      written.push(pair);
      if (named) frames.set(pair.id, named);
    } catch (e) {
      if (!(e instanceof ExportRecordError)) throw e;
      errors.push(e);
    }
  }
  const extraFiles: Record<string, string> = format === 'llama-factory' ? { 'dataset_info.json': mergeDatasetInfo(options.existingDatasetInfo ?? null, datasetName, fileName) } : {};
  return { text: lines.length ? `${lines.join('\n')}\n` : '', fileName, written, errors, extraFiles, frames };
}

/**
 * The written pairs of an export, split into train and validation records files (`splitPairs`, by video); the
 * validation file is `<name>.val.jsonl` and, for LLaMA-Factory, the `<dataset>_val` entry of the same merged
 * dataset_info.json (the last result's extraFiles hold it). Frame paths depend on the pair only, so frames
 * written for the whole export serve both files. With fraction 0, the export itself.
 */
export function splitExport(result: ExportResult, format: FormatId, options: ExportOptions, fraction: number): { outputs: ExportResult[]; oneSided: boolean } {
  if (fraction === 0) return { outputs: [result], oneSided: false };
  const { train, validation } = splitPairs(result.written, fraction);
  const datasetName = options.datasetName ?? 'pasta_dpo';
  const first = exportPairs(train, format, { ...options, fileName: result.fileName });
  const second = exportPairs(validation, format, { ...options, fileName: validationFileName(result.fileName), datasetName: `${datasetName}_val`, existingDatasetInfo: first.extraFiles['dataset_info.json'] ?? null });
  return { outputs: [first, second], oneSided: train.length === 0 || validation.length === 0 };
}
