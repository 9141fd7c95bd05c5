import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import * as open from './open';
import { OpenedVideoCache } from './openedVideoCache';
import type { OpenedVideo } from './open';

vi.mock('./open', async (importOriginal) => {
  const real = await importOriginal<typeof import('./open')>();
  return { ...real, openVideo: vi.fn(real.openVideo) };
});

const MEDIA = path.resolve(__dirname, '../../../shared/media');
const have = existsSync(path.join(MEDIA, 'walk.mkv'));
const file = (name: string, lastModified = 1) => new File([readFileSync(path.join(MEDIA, name))], name, { lastModified });
const grab = (cache: OpenedVideoCache, f: Blob) => cache.use(f, async (o) => o);

it.skipIf(!have)('reuses the opened file for the same File, replaces it for another (skipped without ../shared/media)', async () => {
  const cache = new OpenedVideoCache();
  const a1 = await grab(cache, file('walk.mkv'));
  const a2 = await grab(cache, file('walk.mkv')); // a structured clone arrives as a new File object
  expect(a2).toBe(a1);
  const b = await grab(cache, file('bottle-detection.mp4'));
  expect(b).not.toBe(a1);
  expect(a1.input.disposed).toBe(true);
  expect(await grab(cache, file('walk.mkv', 2))).not.toBe(b); // another modification time is another file
});

it.skipIf(!have)('does not close a file that is in use; plain Blobs are never cached', async () => {
  const cache = new OpenedVideoCache();
  let inner: OpenedVideo | null = null;
  const outer = await cache.use(file('walk.mkv'), async (o) => {
    inner = await grab(cache, file('bottle-detection.mp4')); // busy: served by a private input
    expect(o.input.disposed).toBe(false);
    return o;
  });
  expect(inner!.input.disposed).toBe(true);
  expect(await grab(cache, file('walk.mkv'))).toBe(outer);
  const blob = new Blob([readFileSync(path.join(MEDIA, 'walk.mkv'))]);
  expect(await grab(cache, blob)).not.toBe(await grab(cache, blob));
});

it('forgets a file that failed to open, so the next use tries again', async () => {
  const cache = new OpenedVideoCache();
  const bad = new File(['not a video'.repeat(20)], 'bad.mp4');
  const openVideo = vi.mocked(open.openVideo);
  openVideo.mockClear();
  await expect(grab(cache, bad)).rejects.toThrow(/not a video/);
  await expect(grab(cache, bad)).rejects.toThrow(/not a video/);
  expect(openVideo).toHaveBeenCalledTimes(2);
});
