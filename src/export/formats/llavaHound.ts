import { TRAINER_DROPS, type TrainerFormat } from '../formatTypes';
import { refuseSpecialTags } from '../specialTags';
import { readLlava, scoresOf } from './llava';

/**
 * LLaVA-Hound-DPO's jsonl. Its video processor is fixed to the `frames` backend (LanguageBind
 * processing_video.py, LanguageBindVideoProcessor sets video_decode_backend = 'frames'): `video` is a folder that
 * load_frames lists and sorts by name. Given an mp4, the listing raises and run_dpo.py DPODataset.__getitem__
 * catches it and silently trains on another random record. So `video` names the pair's frame folder.
 */
export const llavaHound: TrainerFormat = {
  id: 'llava-hound',
  label: 'LLaVA-Hound-DPO (frame folders)',
  about: 'id, video (the pair\'s folder of training frames, which Hound lists and sorts by name), prompt ("<video>\\n" + question), chosen, rejected, and chosen_score / rejected_score when an import carried them. Hound samples its own number of frames (8) from the folder.',
  drops: [...TRAINER_DROPS, 'video.path', 'margin'],
  write(pair, ctx) {
    refuseSpecialTags(pair, 'llava-hound');
    ctx.videoPath(pair);
    return { id: pair.id, video: ctx.frameFolder(pair), prompt: `<video>\n${pair.query}`, chosen: pair.chosen, rejected: pair.rejected, ...scoresOf(pair) };
  },
  read: (r, ctx) => readLlava(r, ctx, 'llava-hound'),
  looksLike: (r) => typeof r.prompt === 'string' && 'video' in r && typeof r.chosen === 'string',
};
