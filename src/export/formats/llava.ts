import { type PreferencePair, type Provenance, makePair } from '../../pairs/pair';
import { str } from '../../pairs/validate';
import type { ReadContext } from '../formatTypes';
import { withoutVideoTag } from '../specialTags';

/** The scores LLaVA-style DPO sets carry beside each pair (Hound's and LLaVA-NeXT's converters write them). */
const SCORE_KEYS = ['chosen_score', 'rejected_score'] as const;

/** Scores of an imported record, kept in the judge's details so they survive curation and a later export. */
function judgeOf(r: Record<string, unknown>, name: string): Provenance | null {
  const details: Record<string, number> = {};
  for (const k of SCORE_KEYS) if (typeof r[k] === 'number' && Number.isFinite(r[k])) details[k] = r[k] as number;
  return Object.keys(details).length ? { kind: 'import', name, details } : null;
}

/** The scores to write back: those an import kept. */
export function scoresOf(pair: PreferencePair): Record<string, number> {
  const d = pair.judge?.details ?? {};
  return Object.fromEntries(SCORE_KEYS.flatMap((k) => (typeof d[k] === 'number' ? [[k, d[k]]] : [])));
}

/** Reads a LLaVA-style DPO record (both variants share id, video, prompt, chosen, rejected). */
export function readLlava(r: Record<string, unknown>, ctx: ReadContext, name: string): PreferencePair {
  return makePair(
    {
      id: typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : `${name}-${ctx.line}`,
      // Both loaders strip their own tag and add it back, so an imported prompt may or may not start with one.
      query: withoutVideoTag(str(r, 'prompt')).replace(/^\s*<image>\s*\n?/, ''),
      chosen: str(r, 'chosen'),
      rejected: str(r, 'rejected'),
      video: { path: str(r, 'video', { optional: true }), duration_s: null, native_fps: null },
      generator: { kind: 'import', name },
      judge: judgeOf(r, name),
    },
    ctx.now,
  );
}
