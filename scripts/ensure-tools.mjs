// Makes sure the tests have a browser, PyTorch (the training reference), and ffmpeg for reference decodes.
// Installs Debian's packages when running as root with apt; otherwise says how.
import { execFileSync } from 'node:child_process';
import { findChromium, findFfmpeg, findTorchPython, hasApt, hasOpenBlas, isRoot } from './find-tools.mjs';

let updated = false;
function aptInstall(...pkgs) {
  console.log(`[ensure-tools] installing Debian's ${pkgs.join(' ')} with apt-get (running as root)`);
  if (!updated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  updated = true;
  execFileSync('apt-get', ['install', '-y', '-qq', ...pkgs], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
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

let torchPython = findTorchPython();
if ((!torchPython || !hasOpenBlas()) && isRoot() && hasApt()) {
  aptInstall('python3-torch', 'libopenblas0-pthread');
  torchPython = findTorchPython();
}
if (!torchPython) {
  console.error(
    '[ensure-tools] No Python with PyTorch found; the training-graph parity tests need it. ' +
      'Install Debian\'s (`sudo apt-get install python3-torch libopenblas0-pthread`) or set PASTA_PYTHON.',
  );
  process.exit(1);
}
console.log(`[ensure-tools] python with torch: ${torchPython}${hasOpenBlas() ? '' : ' (without OpenBLAS: slow)'}`);
