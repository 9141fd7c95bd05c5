/**
 * The visual-token budget of an exported record: how many tokens its frames cost a model family, against the
 * trainer's sequence limit. Trainers truncate past the limit, and some (Idefics3 under TRL) cut image tokens
 * with no error while the loss still falls, so this estimate is the only guard before training.
 */
import type { PreferencePair } from '../pairs/pair';
import type { FormatId } from './formatTypes';
import { trainFrameCount } from './frames';

export type ModelFamily = 'qwen2.5-vl' | 'idefics3' | 'llava-onevision';
export const MODEL_FAMILIES: readonly ModelFamily[] = ['qwen2.5-vl', 'idefics3', 'llava-onevision'];

/** Each trainer's default sequence limit and its option's name (null: no default limit). */
export const TRAINER_LIMITS: Record<Exclude<FormatId, 'canonical'>, { option: string; limit: number | null }> = {
  trl: { option: 'max_length', limit: 1024 }, // DPOConfig default
  'llama-factory': { option: 'cutoff_len', limit: 2048 }, // DataArguments default
  'ms-swift': { option: 'max_length', limit: null }, // TemplateArguments: the model's own maximum unless set
  'llava-hound': { option: 'model_max_length', limit: 2048 }, // its dpo_scripts/train_dpo.sh
  'llava-next': { option: 'model_max_length', limit: 4096 }, // train_dpo.py TrainingArguments default
};

// Qwen2.5-VL (smart_resize): sides in multiples of 28 (14-px patches, 2x2 merge), pixels per frame kept within
// bounds that depend on who prepares the frames.
const QWEN_FACTOR = 28;
/** Pixel bounds per frame: the processor's for images; for video, qwen-vl-utils' or LLaMA-Factory's own. */
export const QWEN_PIXELS = {
  image: { min: 4 * 28 * 28, max: 16384 * 28 * 28 },
  // qwen-vl-utils VIDEO_MIN_PIXELS / VIDEO_MAX_PIXELS (ms-swift reads video through it): small frames are scaled up.
  'qwen-vl-utils video': { min: 128 * 28 * 28, max: 768 * 28 * 28 },
  // LLaMA-Factory DataArguments video_max_pixels 256*256, then the processor's own minimum.
  'llama-factory video': { min: 4 * 28 * 28, max: 256 * 256 },
} as const;
export type QwenPixels = keyof typeof QWEN_PIXELS;

function qwenGrid(width: number, height: number, { min, max }: { min: number; max: number }): number {
  let h = Math.max(QWEN_FACTOR, Math.round(height / QWEN_FACTOR) * QWEN_FACTOR);
  let w = Math.max(QWEN_FACTOR, Math.round(width / QWEN_FACTOR) * QWEN_FACTOR);
  if (h * w > max) {
    const beta = Math.sqrt((height * width) / max);
    h = Math.max(QWEN_FACTOR, Math.floor(height / beta / QWEN_FACTOR) * QWEN_FACTOR);
    w = Math.max(QWEN_FACTOR, Math.floor(width / beta / QWEN_FACTOR) * QWEN_FACTOR);
  } else if (h * w < min) {
    const beta = Math.sqrt(min / (height * width));
    h = Math.ceil((height * beta) / QWEN_FACTOR) * QWEN_FACTOR;
    w = Math.ceil((width * beta) / QWEN_FACTOR) * QWEN_FACTOR;
  }
  return (h / QWEN_FACTOR) * (w / QWEN_FACTOR);
}

/** Idefics3 / SmolVLM: 64 tokens per 512-px tile; an image larger than one tile adds a global view. */
const IDEFICS_TILE = 512;
const IDEFICS_TOKENS = 64;
/** LLaVA-OneVision: each video frame pooled to 14 x 14. */
const ONEVISION_FRAME_TOKENS = 196;

/**
 * Visual tokens of `frames` frames of `width` x `height`: as one video (Qwen merges frame pairs: temporal
 * patch 2) or as separate images (each image is its own temporal patch).
 */
export function visualTokens(family: ModelFamily, frames: number, width: number, height: number, asVideo: boolean, pixels: QwenPixels = asVideo ? 'qwen-vl-utils video' : 'image'): number {
  switch (family) {
    case 'qwen2.5-vl':
      return (asVideo ? Math.ceil(frames / 2) : frames) * qwenGrid(width, height, QWEN_PIXELS[pixels]);
    case 'idefics3': {
      const tiles = Math.max(width, height) <= IDEFICS_TILE ? 1 : Math.ceil(width / IDEFICS_TILE) * Math.ceil(height / IDEFICS_TILE) + 1;
      return frames * tiles * IDEFICS_TOKENS;
    }
    case 'llava-onevision':
      return frames * ONEVISION_FRAME_TOKENS;
  }
}

/** One record's budget. `text` is an estimate (4 characters a token); `over` says it passes the limit. */
export interface TokenBudget {
  pairId: string;
  visual: number;
  text: number;
  limit: number | null;
  over: boolean;
}

export interface BudgetOptions {
  family: ModelFamily;
  /** Size of the exported frames (the trainer's own resizing is modelled by `visualTokens`). */
  frameSize: { width: number; height: number };
  /** Frames go as one video (every format but TRL, which takes images). */
  asVideo: boolean;
  /** The trainer's limit; default TRAINER_LIMITS' default for the format. */
  limit?: number | null;
}

/** The budget of a pair in a format: visual tokens of its training frames plus its prompt and longer answer. */
export function tokenBudget(pair: PreferencePair, format: Exclude<FormatId, 'canonical'>, o: BudgetOptions): TokenBudget {
  const pixels: QwenPixels = !o.asVideo ? 'image' : format === 'llama-factory' ? 'llama-factory video' : format === 'ms-swift' ? 'qwen-vl-utils video' : 'image';
  const visual = visualTokens(o.family, trainFrameCount(pair, { even: o.asVideo }), o.frameSize.width, o.frameSize.height, o.asVideo, pixels);
  const text = Math.ceil((pair.query.length + Math.max(pair.chosen.length, pair.rejected.length)) / 4);
  const limit = o.limit === undefined ? TRAINER_LIMITS[format].limit : o.limit;
  return { pairId: pair.id, visual, text, limit, over: limit !== null && visual + text > limit };
}

/** One line for the dialog and the command: the range of visual tokens and how many records pass the limit. */
export function budgetSummary(budgets: readonly TokenBudget[], family: ModelFamily, format: Exclude<FormatId, 'canonical'>): string {
  if (budgets.length === 0) return '';
  const visual = budgets.map((b) => b.visual);
  const limit = budgets[0].limit;
  const over = budgets.filter((b) => b.over).length;
  const range = `${Math.min(...visual)}${Math.max(...visual) !== Math.min(...visual) ? `-${Math.max(...visual)}` : ''}`;
  return `${family}: ${range} visual tokens per record; ${limit === null ? `${format} sets no ${TRAINER_LIMITS[format].option} by default` : `${format} ${TRAINER_LIMITS[format].option} ${limit}: ${over} of ${budgets.length} records over`}`;
}
