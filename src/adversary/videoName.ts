/**
 * How a spec names another video: the way pair records do, by its path
 * relative to the dataset root (or its file name), never by a library's
 * internal id, so a spec copied into another browser finds the same file.
 */
import type { VideoSource } from './types';

const fileName = (path: string) => path.split('/').pop() ?? path;
const normalized = (path: string) => path.replaceAll('\\', '/').replace(/^\.\//, '');

/** The name a spec stores for `video`: its relative path, or its id when it has none. */
export const specNameOf = (video: VideoSource): string => video.path ?? video.id;

/**
 * The library video a spec's name stands for: the same relative path, then a
 * path that ends with the other (one library added a folder, the other the
 * file), then the same file name when exactly one video has it. A library id
 * (specs written before names) still resolves. Undefined when none matches,
 * or when a bare file name matches several videos.
 */
export function findVideo(library: ReadonlyMap<string, VideoSource> | undefined, name: string): VideoSource | undefined {
  const found = videosNamed(library, name);
  return found.length === 1 ? found[0] : undefined;
}

/** Every video `name` could stand for, best match first tier only: one when it is unambiguous, several when a file name is shared. */
export function videosNamed(library: ReadonlyMap<string, VideoSource> | undefined, name: string): VideoSource[] {
  if (!library) return [];
  const videos = [...library.values()];
  const path = normalized(name);
  const exact = videos.filter((v) => v.path === path);
  if (exact.length) return exact;
  const nested = videos.filter((v) => v.path && (v.path.endsWith(`/${path}`) || path.endsWith(`/${v.path}`)));
  if (nested.length) return nested;
  const sameName = videos.filter((v) => v.path && fileName(v.path) === fileName(path));
  if (sameName.length) return sameName;
  const byId = library.get(name) ?? videos.find((v) => v.id === name);
  return byId ? [byId] : [];
}
