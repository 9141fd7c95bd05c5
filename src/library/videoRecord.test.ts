import { expect, it } from 'vitest';
import { looksLikeVideo, videoId } from './videoRecord';

it('keeps videos from a folder by type or extension', () => {
  expect(looksLikeVideo({ name: 'a.MKV', type: '' })).toBe(true);
  expect(looksLikeVideo({ name: 'clip', type: 'video/mp4' })).toBe(true);
  expect(looksLikeVideo({ name: 'notes.txt', type: 'text/plain' })).toBe(false);
  expect(looksLikeVideo({ name: 'README', type: '' })).toBe(false);
});

it('gives the same file the same id and different files different ids', () => {
  const f = { name: 'a.mp4', size: 10, lastModified: 5 };
  expect(videoId(f, 'x/a.mp4')).toBe(videoId({ ...f }, 'x/a.mp4'));
  expect(videoId(f, 'x/a.mp4')).not.toBe(videoId(f, 'y/a.mp4'));
  expect(videoId(f, 'a.mp4')).not.toBe(videoId({ ...f, size: 11 }, 'a.mp4'));
});
