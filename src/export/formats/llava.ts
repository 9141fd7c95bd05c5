import { makePair } from '../../pairs/pair';
import { str } from '../../pairs/validate';
import type { TrainerFormat } from '../formatTypes';
import { exportedVideoPath, refusePlaceholders, withoutVideoTag } from '../placeholders';

/** LLaVA-Hound / LLaVA-NeXT DPO jsonl; LLaVA-NeXT also reads `answer` (the chosen response). */
export const llava: TrainerFormat = {
  id: 'llava',
  label: 'LLaVA-Hound / LLaVA-NeXT DPO',
  about: 'id, video, prompt ("<video>\\n" + question), chosen, rejected, and answer (LLaVA-NeXT).',
  write(pair) {
    refusePlaceholders(pair);
    return { id: pair.id, video: exportedVideoPath(pair), prompt: `<video>\n${pair.query}`, chosen: pair.chosen, rejected: pair.rejected, answer: pair.chosen };
  },
  read(r, ctx) {
    return makePair(
      {
        id: typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : `llava-${ctx.line}`,
        query: withoutVideoTag(str(r, 'prompt')),
        chosen: str(r, 'chosen'),
        rejected: str(r, 'rejected'),
        video: { path: str(r, 'video', { optional: true }), duration_s: null, native_fps: null },
        generator: { kind: 'import', name: 'llava' },
      },
      ctx.now,
    );
  },
  looksLike: (r) => typeof r.prompt === 'string' && 'video' in r && typeof r.chosen === 'string',
};
