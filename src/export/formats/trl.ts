import { makePair } from '../../pairs/pair';
import { PairFieldError, arr, obj, str } from '../../pairs/validate';
import { TRAINER_DROPS, type TrainerFormat } from '../formatTypes';
import { refuseSpecialTags } from '../specialTags';

/** The text of a TRL message's content: a string, or the text parts of a content list. */
function textOf(content: unknown, field: string): string {
  if (typeof content === 'string') return content;
  return arr(content, field)
    .flatMap((part, i) => {
      const p = obj(part, `${field}[${i}]`);
      return p.type === 'text' ? [str(p, 'text')] : [];
    })
    .join('');
}

/** The last message of a conversation field (or the field itself when it is a plain string). */
function lastMessage(value: unknown, field: string): string {
  if (typeof value === 'string') return value;
  const messages = arr(value, field);
  if (messages.length === 0) throw new PairFieldError(field, `"${field}" has no messages`);
  return textOf(obj(messages.at(-1), `${field}[${messages.length - 1}]`).content, `${field}.content`);
}

/**
 * TRL's DPOTrainer, conversational with images: TRL has no video input, so
 * the training frames go as an `images` list (one `{"type": "image"}` entry
 * each), which the model reads as separate pictures. No even-count padding:
 * for images it would only add a duplicate picture.
 */
export const trl: TrainerFormat = {
  id: 'trl',
  label: 'TRL DPOTrainer (conversational, frames as images)',
  about: 'prompt / chosen / rejected as conversations, with the training frames in "images" (paths relative to the folder the records are in). TRL has no video input: the model sees the frames as separate images, not as one video.',
  drops: [...TRAINER_DROPS, 'video.path', 'judge', 'margin'],
  write(pair, ctx) {
    refuseSpecialTags(pair, 'trl');
    ctx.videoPath(pair); // the frames come from it, so it must be a path inside the dataset root too
    const images = ctx.frames(pair);
    return {
      id: pair.id,
      images,
      prompt: [{ role: 'user', content: [...images.map(() => ({ type: 'image' })), { type: 'text', text: pair.query }] }],
      chosen: [{ role: 'assistant', content: [{ type: 'text', text: pair.chosen }] }],
      rejected: [{ role: 'assistant', content: [{ type: 'text', text: pair.rejected }] }],
    };
  },
  read(r, ctx) {
    if (r.images !== undefined) {
      arr(r.images, 'images').forEach((p, i) => {
        if (typeof p !== 'string') throw new PairFieldError(`images[${i}]`, `"images[${i}]" must be a path`);
      });
    }
    return makePair(
      {
        id: typeof r.id === 'string' ? r.id : `trl-${ctx.line}`,
        query: lastMessage(r.prompt, 'prompt'),
        chosen: lastMessage(r.chosen, 'chosen'),
        rejected: lastMessage(r.rejected, 'rejected'),
        // TRL records carry frames, not the video: the path is unknown unless a `video` column came along.
        video: { path: typeof r.video === 'string' ? r.video : '', duration_s: null, native_fps: null },
        generator: { kind: 'import', name: 'trl' },
      },
      ctx.now,
    );
  },
  looksLike: (r) => 'prompt' in r && 'chosen' in r && 'rejected' in r && (Array.isArray(r.prompt) || Array.isArray(r.chosen) || 'images' in r),
};
