import { makePair } from '../../pairs/pair';
import { PairFieldError, arr, obj, str } from '../../pairs/validate';
import { TRAINER_DROPS, type TrainerFormat } from '../formatTypes';
import { refuseSpecialTags, withoutVideoTag } from '../specialTags';

/** The `dataset_info.json` entry LLaMA-Factory needs for the exported file. */
export function llamaFactoryDatasetInfo(name: string, fileName: string) {
  return {
    [name]: {
      file_name: fileName,
      formatting: 'sharegpt',
      ranking: true,
      columns: { messages: 'conversations', chosen: 'chosen', rejected: 'rejected', videos: 'videos' },
    },
  };
}

/**
 * Adds (or replaces) our entry in an existing `dataset_info.json`, keeping every other dataset: LLaMA-Factory reads
 * one such file per dataset folder (data/parser.py get_dataset_list), so overwriting it would unregister the rest.
 * Throws when the existing text is not a JSON object, rather than losing it.
 */
export function mergeDatasetInfo(existing: string | null, name: string, fileName: string): string {
  let info: Record<string, unknown> = {};
  if (existing !== null && existing.trim() !== '') {
    const parsed: unknown = JSON.parse(existing);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('dataset_info.json is not a JSON object');
    info = parsed as Record<string, unknown>;
  }
  return `${JSON.stringify({ ...info, ...llamaFactoryDatasetInfo(name, fileName) }, null, 2)}\n`;
}

/**
 * LLaMA-Factory's sharegpt ranking records: one `<video>` tag per entry of `videos`. With nested frames, the
 * video entry is the pair's own training frames (an even count, as Qwen2.5-VL wants for a video), which
 * LLaMA-Factory reads as a video at its `video_fps` (default 2).
 */
export const llamaFactory: TrainerFormat = {
  id: 'llama-factory',
  label: 'LLaMA-Factory (sharegpt, ranking)',
  about: 'conversations / chosen / rejected / videos, plus a dataset_info.json entry (formatting sharegpt, ranking true), merged into an existing one. One <video> tag per video. With nested frames each video is the pair\'s own frame list; LLaMA-Factory then assumes video_fps (2) for its timing.',
  drops: ['id', ...TRAINER_DROPS, 'judge', 'margin'],
  write(pair, ctx) {
    refuseSpecialTags(pair, 'llama-factory');
    const video = ctx.videoPath(pair);
    return {
      conversations: [{ from: 'human', value: `<video>${pair.query}` }],
      chosen: { from: 'gpt', value: pair.chosen },
      rejected: { from: 'gpt', value: pair.rejected },
      videos: [ctx.nestedFrames ? ctx.frames(pair, { even: true }) : video],
    };
  },
  read(r, ctx) {
    const conversations = arr(r.conversations, 'conversations');
    const human = conversations.map((m, i) => obj(m, `conversations[${i}]`)).filter((m) => m.from === 'human');
    if (human.length === 0) throw new PairFieldError('conversations', '"conversations" has no human turn');
    const videos = r.videos === undefined ? [] : arr(r.videos, 'videos');
    return makePair(
      {
        id: typeof r.id === 'string' ? r.id : `llama-factory-${ctx.line}`,
        query: withoutVideoTag(str(human.at(-1)!, 'value')),
        chosen: str(obj(r.chosen, 'chosen'), 'value'),
        rejected: str(obj(r.rejected, 'rejected'), 'value'),
        video: { path: typeof videos[0] === 'string' ? videos[0] : '', duration_s: null, native_fps: null },
        generator: { kind: 'import', name: 'llama-factory' },
      },
      ctx.now,
    );
  },
  looksLike: (r) => 'conversations' in r,
};
