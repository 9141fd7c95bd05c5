import type { PreferencePair } from '../pairs/pair';
import type { FrameCountOptions } from './frames';

export type FormatId = 'canonical' | 'trl' | 'llama-factory' | 'ms-swift' | 'llava-hound' | 'llava-next';
export const FORMAT_IDS: readonly FormatId[] = ['canonical', 'trl', 'llama-factory', 'ms-swift', 'llava-hound', 'llava-next'];

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
  /** Names the pair's training frames (so the export writes them) and returns their paths as the record holds them. */
  frames(pair: PreferencePair, options?: FrameCountOptions): string[];
  /** Names the pair's training frames and returns the folder that holds them, as the record holds it. */
  frameFolder(pair: PreferencePair): string;
  /** The pair's video path as the record holds it (relative to the dataset root unless asked otherwise). */
  videoPath(pair: PreferencePair): string;
  /** Carry each pair's own training frames as a nested frame list instead of the video (LLaMA-Factory, ms-swift). */
  nestedFrames: boolean;
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
  /** Fields of a pair this format cannot carry (lost on a round trip), shown in the export dialog. */
  drops: readonly string[];
  write(pair: PreferencePair, ctx: WriteContext): object;
  read(record: Record<string, unknown>, ctx: ReadContext): PreferencePair;
  /** Whether a parsed record looks like this format (for automatic detection). */
  looksLike(record: Record<string, unknown>): boolean;
}

/** What no trainer format has a field for: only the canonical format and the bundle's manifest keep these. */
export const TRAINER_DROPS = ['category', 'adversarial_query', 'sampling', 'adversary', 'generator', 'status', 'edits', 'tags', 'notes', 'created_at', 'updated_at', 'video.duration_s', 'video.native_fps'] as const;
