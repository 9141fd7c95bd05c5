// Finds the system Chromium and ffmpeg; never downloads a browser.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function which(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** Absolute path of a Chromium: $CHROMIUM_PATH, else chromium / chromium-browser / google-chrome on PATH. */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = which(name);
    if (found) return found;
  }
  return null;
}

/** Absolute path of ffmpeg, or null. */
export function findFfmpeg() {
  return process.env.FFMPEG_PATH || which('ffmpeg');
}

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
export const hasApt = () => which('apt-get') !== null;
