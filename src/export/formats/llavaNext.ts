import { TRAINER_DROPS, type TrainerFormat } from '../formatTypes';
import { refuseSpecialTags } from '../specialTags';
import { readLlava, scoresOf } from './llava';

/**
 * LLaVA-NeXT's DPO jsonl (llava/train/train_dpo.py DPODataset). `video` is joined to --video_folder and read with
 * decord at --video_fps. The loader deletes every <image> from `prompt` and puts one in front; a <video> tag
 * would stay in the text as words, so the prompt is the bare question, as its own converter
 * (scripts/archived/dpo_data_info.py) writes it. `answer` is required: the length grouping reads it; that
 * converter leaves it empty.
 */
export const llavaNext: TrainerFormat = {
  id: 'llava-next',
  label: 'LLaVA-NeXT DPO (video file)',
  about: 'id, video (the video file, read with decord), prompt (the bare question: the loader adds its own <image>), chosen, rejected, answer (empty, as its converter writes it), and chosen_score / rejected_score when an import carried them.',
  drops: [...TRAINER_DROPS, 'margin'],
  write(pair, ctx) {
    refuseSpecialTags(pair, 'llava-next');
    return { id: pair.id, video: ctx.videoPath(pair), prompt: pair.query, answer: '', chosen: pair.chosen, rejected: pair.rejected, ...scoresOf(pair) };
  },
  read: (r, ctx) => readLlava(r, ctx, 'llava-next'),
  looksLike: (r) => typeof r.prompt === 'string' && 'video' in r && 'answer' in r && typeof r.chosen === 'string',
};
