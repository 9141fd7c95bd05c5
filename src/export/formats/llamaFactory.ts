import { makePair } from '../../pairs/pair';
import { PairFieldError, arr, obj, str } from '../../pairs/validate';
import type { TrainerFormat } from '../formatTypes';
import { exportedVideoPath, refusePlaceholders, withoutVideoTag } from '../placeholders';

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

/** LLaMA-Factory's sharegpt ranking records: one `<video>` tag per entry of `videos`. */
export const llamaFactory: TrainerFormat = {
  id: 'llama-factory',
  label: 'LLaMA-Factory (sharegpt, ranking)',
  about: 'conversations / chosen / rejected / videos, plus a dataset_info.json entry (formatting sharegpt, ranking true). One <video> tag per video.',
  write(pair) {
    refusePlaceholders(pair);
    return {
      conversations: [{ from: 'human', value: `<video>${pair.query}` }],
      chosen: { from: 'gpt', value: pair.chosen },
      rejected: { from: 'gpt', value: pair.rejected },
      videos: [exportedVideoPath(pair)],
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
