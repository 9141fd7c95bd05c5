/**
 * Keeps the most recently used file open, so probing, thumbnailing and
 * decoding one file parse its container index once: for a one-hour MP4 the
 * index is most of the memory a sampling run needs.
 */
import { openVideo, type OpenedVideo } from './open';

/** Files are identified by name, size, type and modification time; plain Blobs are not cached. */
const keyOf = (blob: Blob) => (blob instanceof File ? `${blob.name}|${blob.size}|${blob.type}|${blob.lastModified}` : null);

export class OpenedVideoCache {
  private entry: { key: string; opened: Promise<OpenedVideo>; users: number } | null = null;

  /** Runs `fn` with the opened file, reusing the cached one when it is the same file. */
  async use<T>(blob: Blob, fn: (opened: OpenedVideo) => Promise<T>): Promise<T> {
    const key = keyOf(blob);
    if (key === null || (this.entry && this.entry.key !== key && this.entry.users > 0)) {
      // Not cacheable, or the cached file is busy: use a private, short-lived input.
      return withOpenedVideo(blob, undefined, fn);
    }
    if (this.entry?.key !== key) {
      this.clear();
      const opened = openVideo(blob);
      this.entry = { key, opened, users: 0 };
      opened.catch(() => { if (this.entry?.opened === opened) this.entry = null; });
    }
    const entry = this.entry!;
    entry.users++;
    try {
      return await fn(await entry.opened);
    } finally {
      entry.users--;
    }
  }

  /** Closes the cached file (if no one is using it). */
  clear(): void {
    const old = this.entry;
    if (!old || old.users > 0) return;
    this.entry = null;
    old.opened.then((o) => o.dispose(), () => {});
  }
}

/** Opens `blob` through `cache` when given, else privately for the duration of `fn`. */
export async function withOpenedVideo<T>(blob: Blob, cache: OpenedVideoCache | undefined, fn: (opened: OpenedVideo) => Promise<T>): Promise<T> {
  if (cache) return cache.use(blob, fn);
  const opened = await openVideo(blob);
  try {
    return await fn(opened);
  } finally {
    opened.dispose();
  }
}
