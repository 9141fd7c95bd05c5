import type { PreferencePair } from '../pairs/pair';
import { ExportRecordError } from './formatTypes';

/** Whether a path stays inside the dataset root: not absolute, no drive or share, no `..`. */
export const isInsideRoot = (p: string) => !(p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.startsWith('\\\\') || p.split(/[\\/]/).includes('..'));

/** The pair's video path relative to the dataset root, or the named error: trainers join it to their media folder. */
export function exportedVideoPath(pair: PreferencePair): string {
  const p = pair.video.path;
  if (!p) throw new ExportRecordError(pair.id, 'video.path', 'has no video path');
  if (!isInsideRoot(p)) throw new ExportRecordError(pair.id, 'video.path', `video path "${p}" is not relative to the dataset root`);
  return p.replaceAll('\\', '/');
}
