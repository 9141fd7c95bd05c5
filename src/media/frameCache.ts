/**
 * The one cache of decoded frames, least recently used first out. Whoever
 * keeps copies of the same frames elsewhere (the pixel-operations Worker)
 * follows its evictions through `onEvict` instead of evicting on its own.
 */
import type { RgbaFrame } from '../core/frame';

/** The key of a decoded frame: video, source frame index and the size it was decoded at. */
export const frameKey = (video: string, index: number, maxSide: number) => `${video}:${index}@${maxSide}`;

export class FrameCache {
  private readonly frames = new Map<string, RgbaFrame>();

  /**
   * @param capacity most frames kept (a Map keeps insertion order, so the first key is the least recently used)
   * @param onEvict told the keys dropped by each `set` that overflowed, or by `clear`
   */
  constructor(readonly capacity: number, private readonly onEvict: (keys: string[]) => void = () => {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TypeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.frames.size;
  }

  has(key: string): boolean {
    return this.frames.has(key);
  }

  /** The frame, marked as the most recently used. */
  get(key: string): RgbaFrame | undefined {
    const f = this.frames.get(key);
    if (f) {
      this.frames.delete(key);
      this.frames.set(key, f);
    }
    return f;
  }

  /** Adds frames (most recently used), then drops the least recently used beyond capacity. */
  set(entries: Iterable<[string, RgbaFrame]>): void {
    for (const [key, frame] of entries) {
      this.frames.delete(key);
      this.frames.set(key, frame);
    }
    const dropped: string[] = [];
    for (const key of this.frames.keys()) {
      if (this.frames.size - dropped.length <= this.capacity) break;
      dropped.push(key);
    }
    for (const key of dropped) this.frames.delete(key);
    if (dropped.length) this.onEvict(dropped);
  }

  /** Drops everything (without telling `onEvict`: used when the copies elsewhere are already gone). */
  clear(): void {
    this.frames.clear();
  }
}
