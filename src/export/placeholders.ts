import type { PreferencePair } from '../pairs/pair';
import { ExportRecordError } from './formatTypes';

/** Media placeholders trainers count: literal ones inside text are miscounted as media. */
const PLACEHOLDER = /<\s*(video|image)\s*>/i;

/** Refuses a pair whose text contains a literal `<video>` or `<image>` (it would be counted as a placeholder). */
export function refusePlaceholders(pair: PreferencePair) {
  for (const field of ['query', 'adversarial_query', 'chosen', 'rejected'] as const) {
    const m = pair[field].match(PLACEHOLDER);
    if (m) throw new ExportRecordError(pair.id, field, `"${field}" contains a literal ${m[0]}, which the trainer would count as a media placeholder; edit it out first`);
  }
}

/** The video path as exported: relative to the dataset root, never absolute. */
export function exportedVideoPath(pair: PreferencePair): string {
  const p = pair.video.path;
  if (!p) throw new ExportRecordError(pair.id, 'video.path', 'has no video path');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.startsWith('\\\\') || p.split(/[\\/]/).includes('..')) {
    throw new ExportRecordError(pair.id, 'video.path', `video path "${p}" is not relative to the dataset root`);
  }
  return p.replaceAll('\\', '/');
}

/** Strips one leading `<video>` (and the newline after it) from an imported question. */
export const withoutVideoTag = (text: string) => text.replace(/^\s*<video>\s*\n?/, '');
