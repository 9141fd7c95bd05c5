// Makes sure the tests have a browser, PyTorch (the training reference), ffmpeg for reference decodes, and a
// Python environment with current PyTorch, TRL, PEFT and transformers from pip (and what `transformers serve` needs).
// Installs Debian's packages when running as root with apt; otherwise says how.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REFERENCE_PACKAGES, REFERENCE_VENV, findChromium, findFfmpeg, findReferencePython, findServePython, findTorchPython, hasApt, hasOpenBlas, isRoot, missingReferencePackages } from './find-tools.mjs';

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

// pip's default index is unreachable on machines with a local wheel index: --retries 0 keeps it from retrying for minutes.
// stderr is kept back: pip warns once per unreachable index entry; it is shown only if the install fails.
function pipInstall(python, pkgs) {
  const pip = spawnSync(python, ['-m', 'pip', 'install', '-q', '--retries', '0', '--disable-pip-version-check', ...pkgs], { encoding: 'utf8' });
  if (pip.status !== 0) console.error(`[ensure-tools] pip install --retries 0 failed:\n${(pip.stderr ?? '').split('\n').filter((l) => !l.startsWith('WARNING: Location')).slice(-20).join('\n')}`);
}
function torchVersion(python) {
  const run = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : null;
}

// The project's own .venv-ref is made when absent and topped up when it lacks a package (a developer's older
// venv predates the serve packages); a Python named by PASTA_REF_PYTHON is the user's and is left alone.
if (!process.env.PASTA_REF_PYTHON) {
  const venvPython = `${REFERENCE_VENV}bin/python`;
  if (!existsSync(venvPython)) {
    console.log(`[ensure-tools] making the reference Python environment (.venv-ref): pip install --retries 0 ${REFERENCE_PACKAGES.join(' ')}`);
    execFileSync('python3', ['-m', 'venv', REFERENCE_VENV], { stdio: 'inherit' });
  }
  const missing = missingReferencePackages(venvPython);
  if (missing.length) {
    const torchBefore = torchVersion(venvPython);
    // Pinning the installed torch keeps a dependency (accelerate's, for one) from replacing the CPU build.
    const pkgs = torchBefore ? [...missing.filter((p) => p !== 'torch'), `torch==${torchBefore}`] : missing;
    if (existsSync(venvPython) && torchBefore) console.log(`[ensure-tools] adding ${missing.join(' ')} to .venv-ref (torch stays ${torchBefore})`);
    pipInstall(venvPython, pkgs);
    const torchAfter = torchVersion(venvPython);
    if (torchBefore && torchAfter !== torchBefore) {
      console.error(`[ensure-tools] pip replaced .venv-ref's torch ${torchBefore} with ${torchAfter}; reinstall it: .venv-ref/bin/pip install --retries 0 torch==${torchBefore}`);
      process.exit(1);
    }
    if (!torchBefore) console.log(`[ensure-tools] .venv-ref has torch ${torchAfter}`);
  }
}

let refPython = findReferencePython();
if (!refPython) {
  console.error(
    '[ensure-tools] No Python with torch, transformers, peft, trl, datasets and pillow; the TRL checks need it. ' +
      `Make one (\`python3 -m venv .venv-ref && .venv-ref/bin/pip install --retries 0 ${REFERENCE_PACKAGES.join(' ')}\`) or set PASTA_REF_PYTHON.`,
  );
  process.exit(1);
}
console.log(`[ensure-tools] reference python (current torch, trl, peft): ${refPython}`);

const servePython = findServePython();
if (!servePython) {
  const missing = missingReferencePackages(refPython);
  console.error(
    `[ensure-tools] ${refPython} cannot run \`transformers serve\` (missing: ${missing.join(' ') || 'see `transformers serve --help`'}); ` +
      `the real-server tests need it. Install them (\`pip install --retries 0 ${missing.join(' ') || 'accelerate fastapi uvicorn openai'}\`).`,
  );
  process.exit(1);
}
console.log(`[ensure-tools] transformers serve: ${servePython}`);
