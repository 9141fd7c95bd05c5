/**
 * A video in the library: the file itself (kept in IndexedDB so the library
 * survives a reload), what probing found, and a thumbnail.
 */
import type { SerializedMediaError } from '../media/errors';
import type { VideoProbe } from '../media/probe';
import type { FrameTimeline } from '../media/timeline';

export type VideoStatus = 'probing' | 'ready' | 'error';

export interface VideoRecord {
  id: string;
  /** File name. */
  name: string;
  /** Path relative to the folder it was added from (just the name for single files). */
  relativePath: string;
  size: number;
  lastModified: number;
  addedAt: number;
  file: Blob;
  status: VideoStatus;
  probe?: VideoProbe;
  timeline?: FrameTimeline;
  thumbnail?: Blob;
  /** Why the file cannot be used (probe or decode failure), with the error's name. */
  error?: SerializedMediaError;
  /** For a demo video rendered from the synthetic world: the scene it shows, so its ground-truth questions can be listed. */
  scene?: SceneRef;
}

/** A scene of the synthetic world by (split, seed), which determine it. */
export interface SceneRef {
  split: 'train' | 'eval';
  seed: number;
}

/** Extensions offered in pickers and kept when a whole folder is added. */
export const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'webm', 'mkv', 'mka', 'ogv', 'ts', 'mts', 'avi', 'flv', '3gp'];

/** Whether a file from a folder looks like a video (by type or extension). Single picks are always tried. */
export function looksLikeVideo(file: { name: string; type: string }): boolean {
  if (file.type.startsWith('video/')) return true;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return VIDEO_EXTENSIONS.includes(ext);
}

/** A stable id: same path, size and modification time means the same file. */
export function videoId(file: { name: string; size: number; lastModified: number }, relativePath: string): string {
  const key = `${relativePath || file.name}|${file.size}|${file.lastModified}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `v-${h1.toString(36)}${h2.toString(36)}`;
}

export function newVideoRecord(file: File, relativePath = file.webkitRelativePath || file.name, now = Date.now()): VideoRecord {
  return {
    id: videoId(file, relativePath),
    name: file.name,
    relativePath,
    size: file.size,
    lastModified: file.lastModified,
    addedAt: now,
    file,
    status: 'probing',
  };
}

/**
 * Whether a video's frames can be decoded here: probed, no error, and a codec this browser decodes.
 * An HEVC file without a platform decoder is described but not decodable, so it is never offered
 * as a splice source or sampled.
 */
export const isDecodable = (v: Pick<VideoRecord, 'status' | 'probe' | 'timeline'>): boolean =>
  v.status === 'ready' && !!v.timeline && v.probe?.decodable !== false;
