/**
 * Fixture videos the tests make themselves (global-setup.ts), the real sample
 * videos in ../shared/media, and helpers to hand files to a page.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { findFfmpeg } from '../scripts/find-tools.mjs';

export const FIXTURE_DIR = path.resolve(process.env.PASTA_FIXTURE_DIR ?? '.cache/e2e-fixtures');
export const SHARED_MEDIA = path.resolve('../shared/media');
export const hasSharedMedia = existsSync(path.join(SHARED_MEDIA, 'bottle-detection.mp4'));
export const ffmpegPath: string | null = findFfmpeg();

/** Pattern-video fixtures: name -> how it is made. Every frame shows its index. */
export const PATTERN_FIXTURES = {
  'avc.mp4': { container: 'mp4', codec: 'avc', width: 320, height: 240, frameCount: 60, fps: 30 },
  'vp9.webm': { container: 'webm', codec: 'vp9', width: 320, height: 240, frameCount: 60, fps: 30 },
  'av1.webm': { container: 'webm', codec: 'av1', width: 320, height: 240, frameCount: 45, fps: 30 },
  'avc.mkv': { container: 'mkv', codec: 'avc', width: 320, height: 240, frameCount: 60, fps: 25 },
  'ntsc.mp4': { container: 'mp4', codec: 'avc', width: 320, height: 240, frameCount: 90, fps: 30000 / 1001 },
  'vfr.mp4': {
    container: 'mp4', codec: 'avc', width: 320, height: 240,
    // 10 fps for 1 s, then 40 fps for 0.5 s, then 5 fps for 1 s
    timestamps: [
      ...Array.from({ length: 10 }, (_, i) => i * 0.1),
      ...Array.from({ length: 20 }, (_, i) => 1 + i * 0.025),
      ...Array.from({ length: 5 }, (_, i) => 1.5 + i * 0.2),
    ],
  },
  'rotated90.mp4': { container: 'mp4', codec: 'avc', width: 320, height: 192, frameCount: 30, fps: 30, rotation: 90 },
  'rotated180.mp4': { container: 'mp4', codec: 'avc', width: 320, height: 192, frameCount: 30, fps: 30, rotation: 180 },
  'rotated270.mp4': { container: 'mp4', codec: 'avc', width: 320, height: 192, frameCount: 30, fps: 30, rotation: 270 },
  'one-frame.mp4': { container: 'mp4', codec: 'avc', width: 320, height: 240, frameCount: 1, fps: 30 },
  'no-duration.webm': { container: 'webm', codec: 'vp8', width: 320, height: 240, frameCount: 50, fps: 25, appendOnly: true },
  'with-audio.webm': { container: 'webm', codec: 'vp9', width: 320, height: 240, frameCount: 30, fps: 30, audio: true },
  'long.mp4': { container: 'mp4', codec: 'avc', width: 320, height: 240, frameCount: 900, fps: 30 },
  '4k.mp4': { container: 'mp4', codec: 'avc', width: 3840, height: 2160, frameCount: 8, fps: 30 },
} as const;

export type FixtureName =
  | keyof typeof PATTERN_FIXTURES | 'empty.mp4' | 'not-a-video.mp4' | 'truncated.mp4' | 'corrupt.mp4' | 'audio-only.mp4' | 'hevc.mp4' | 'long-25min.mp4'
  | 'image.mp4' | 'damaged.webm' | 'moov-cut.mp4';

export const fixturePath = (name: FixtureName) => path.join(FIXTURE_DIR, name);

/** Serves `file` to the page at /__files/<name> (same origin, so COEP allows it). */
export async function serveFile(page: Page, name: string, file: string): Promise<string> {
  const url = `/__files/${encodeURIComponent(name)}`;
  await page.route(`**${url}`, (route) => route.fulfill({ path: file, headers: { 'Cross-Origin-Resource-Policy': 'same-origin' } }));
  return url;
}

/** Opens the diagnostics page and waits for its API. */
export async function openHarness(page: Page) {
  await page.goto('/harness.html');
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
}
