// Makes sure the end-to-end tests have a browser (and ffmpeg for reference decodes).
// Installs Debian's packages when running as root with apt; otherwise says how.
import { execFileSync } from 'node:child_process';
import { findChromium, findFfmpeg, hasApt, isRoot } from './find-tools.mjs';

function aptInstall(pkg) {
  console.log(`[ensure-tools] ${pkg} not found: installing Debian's ${pkg} with apt-get (running as root)`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

let chromium = findChromium();
if (!chromium && isRoot() && hasApt()) {
  aptInstall('chromium');
  chromium = findChromium();
}
if (!chromium) {
  console.error(
    '[ensure-tools] No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
      'or set CHROMIUM_PATH to its executable. The tests never download a browser.',
  );
  process.exit(1);
}
console.log(`[ensure-tools] chromium: ${chromium}`);

let ffmpeg = findFfmpeg();
if (!ffmpeg && isRoot() && hasApt()) {
  aptInstall('ffmpeg');
  ffmpeg = findFfmpeg();
}
console.log(
  ffmpeg
    ? `[ensure-tools] ffmpeg: ${ffmpeg}`
    : '[ensure-tools] ffmpeg not found: reference-decode tests will be skipped (Debian: `sudo apt-get install ffmpeg`)',
);
