import { makePair } from '../../pairs/pair';
import { PairFieldError, arr, obj, str } from '../../pairs/validate';
import { ExportRecordError, TRAINER_DROPS, type TrainerFormat } from '../formatTypes';
import { refuseSpecialTags, withoutVideoTag } from '../specialTags';

/**
 * ms-swift's DPO/RLHF records: the chosen answer is the last assistant message. `margin` is one of its standard
 * columns (dataset/preprocessor/core.py RowPreprocessor.standard_keys), so a scored pair carries it.
 */
export const msSwift: TrainerFormat = {
  id: 'ms-swift',
  label: 'ms-swift (messages + rejected_response)',
  about: 'messages (user "<video>question", assistant chosen), rejected_response, videos, and margin when the pair has one. ms-swift drops a pair whose rejected answer equals the chosen one, so such pairs are left out and named. With nested frames each video is the pair\'s own frame list, read at qwen-vl-utils\' 2 fps.',
  drops: ['id', ...TRAINER_DROPS, 'judge'],
  write(pair, ctx) {
    refuseSpecialTags(pair, 'ms-swift');
    // ms-swift dataset/preprocessor/core.py _check_rejected_response raises when rejected_response equals the last
    // message's content, and the row is then deleted with only a log line.
    if (pair.rejected === pair.chosen) throw new ExportRecordError(pair.id, 'rejected', 'the rejected answer equals the chosen one, which ms-swift refuses (it deletes the row)');
    const video = ctx.videoPath(pair);
    return {
      messages: [
        { role: 'user', content: `<video>${pair.query}` },
        { role: 'assistant', content: pair.chosen },
      ],
      rejected_response: pair.rejected,
      videos: [ctx.nestedFrames ? ctx.frames(pair, { even: true }) : video],
      ...(pair.margin !== null ? { margin: pair.margin } : {}),
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
        margin: typeof r.margin === 'number' && Number.isFinite(r.margin) ? r.margin : null,
        generator: { kind: 'import', name: 'ms-swift' },
      },
      ctx.now,
    );
  },
  looksLike: (r) => 'messages' in r && 'rejected_response' in r,
};
