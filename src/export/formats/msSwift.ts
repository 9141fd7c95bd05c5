import { makePair } from '../../pairs/pair';
import { PairFieldError, arr, obj, str } from '../../pairs/validate';
import type { TrainerFormat } from '../formatTypes';
import { exportedVideoPath, refusePlaceholders, withoutVideoTag } from '../placeholders';

/** ms-swift's DPO/RLHF records: the chosen answer is the last assistant message. */
export const msSwift: TrainerFormat = {
  id: 'ms-swift',
  label: 'ms-swift (messages + rejected_response)',
  about: 'messages (user "<video>question", assistant chosen), rejected_response and videos.',
  write(pair) {
    refusePlaceholders(pair);
    return {
      messages: [
        { role: 'user', content: `<video>${pair.query}` },
        { role: 'assistant', content: pair.chosen },
      ],
      rejected_response: pair.rejected,
      videos: [exportedVideoPath(pair)],
    };
  },
  read(r, ctx) {
    const messages = arr(r.messages, 'messages').map((m, i) => obj(m, `messages[${i}]`));
    const user = messages.filter((m) => m.role === 'user').at(-1);
    const assistant = messages.filter((m) => m.role === 'assistant').at(-1);
    if (!user) throw new PairFieldError('messages', '"messages" has no user turn');
    if (!assistant) throw new PairFieldError('messages', '"messages" has no assistant turn (the chosen answer)');
    const videos = r.videos === undefined ? [] : arr(r.videos, 'videos');
    return makePair(
      {
        id: typeof r.id === 'string' ? r.id : `ms-swift-${ctx.line}`,
        query: withoutVideoTag(str(user, 'content')),
        chosen: str(assistant, 'content'),
        rejected: str(r, 'rejected_response'),
        video: { path: typeof videos[0] === 'string' ? videos[0] : '', duration_s: null, native_fps: null },
        generator: { kind: 'import', name: 'ms-swift' },
      },
      ctx.now,
    );
  },
  looksLike: (r) => 'messages' in r && 'rejected_response' in r,
};
