import type { PreferencePair } from '../pairs/pair';

export type FormatId = 'canonical' | 'trl' | 'llama-factory' | 'ms-swift' | 'llava';
export const FORMAT_IDS: readonly FormatId[] = ['canonical', 'trl', 'llama-factory', 'ms-swift', 'llava'];

/** A pair this format cannot carry (named, with the field), left out of the export. */
export class ExportRecordError extends Error {
  override name = 'ExportRecordError';
  constructor(
    readonly pairId: string,
    readonly field: string,
    message: string,
  ) {
    super(`pair ${pairId}: ${message}`);
  }
}

export interface WriteContext {
  /** Paths (relative to the dataset root) of the training frames of a pair, for formats that take images. */
  framePaths(pair: PreferencePair): string[];
}

export interface ReadContext {
  /** 1-based line (JSONL) or record number (JSON array), for ids and errors. */
  line: number;
  now: number;
}

/** One trainer's record layout: written from a canonical pair, read back into one. */
export interface TrainerFormat {
  id: FormatId;
  label: string;
  /** What the trainer is and what it expects, shown in the export dialog. */
  about: string;
  write(pair: PreferencePair, ctx: WriteContext): object;
  read(record: Record<string, unknown>, ctx: ReadContext): PreferencePair;
  /** Whether a parsed record looks like this format (for automatic detection). */
  looksLike(record: Record<string, unknown>): boolean;
}
