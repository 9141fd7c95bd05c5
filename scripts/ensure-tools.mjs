// Makes sure the tests have a browser, PyTorch (the training reference), ffmpeg for reference decodes, and a
// Python environment with current PyTorch, TRL, PEFT and transformers from pip.
// Installs Debian's packages when running as root with apt; otherwise says how.
import { execFileSync, spawnSync } from 'node:child_process';
import { REFERENCE_PACKAGES, REFERENCE_VENV, findChromium, findFfmpeg, findReferencePython, findTorchPython, hasApt, hasOpenBlas, isRoot } from './find-tools.mjs';

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

let refPython = findReferencePython();
if (!refPython) {
  // pip's default index is unreachable on machines with a local wheel index: --retries 0 keeps it from retrying for minutes.
  console.log(`[ensure-tools] making the reference Python environment (.venv-ref): pip install --retries 0 ${REFERENCE_PACKAGES.join(' ')}`);
  execFileSync('python3', ['-m', 'venv', REFERENCE_VENV], { stdio: 'inherit' });
  // stderr is kept back: pip warns once per unreachable index entry; it is shown only if the install fails.
  const pip = spawnSync(`${REFERENCE_VENV}bin/pip`, ['install', '-q', '--retries', '0', '--disable-pip-version-check', ...REFERENCE_PACKAGES], { encoding: 'utf8' });
  if (pip.status !== 0) console.error(`[ensure-tools] pip install --retries 0 failed:\n${(pip.stderr ?? '').split('\n').filter((l) => !l.startsWith('WARNING: Location')).slice(-20).join('\n')}`);
  refPython = findReferencePython();
}
if (!refPython) {
  console.error(
    '[ensure-tools] No Python with torch, transformers, peft, trl, datasets and pillow; the TRL checks need it. ' +
      `Make one (\`python3 -m venv .venv-ref && .venv-ref/bin/pip install --retries 0 ${REFERENCE_PACKAGES.join(' ')}\`) or set PASTA_REF_PYTHON.`,
  );
  process.exit(1);
}
console.log(`[ensure-tools] reference python (current torch, trl, peft): ${refPython}`);
