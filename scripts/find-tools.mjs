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

/**
 * A Python that can `import torch` (the reference for the training-graph
 * parity tests and bench:train): $PASTA_PYTHON, else Debian's /usr/bin/python3
 * (the first python3 on PATH may be another interpreter), else python3.
 */
export function findTorchPython() {
  const candidates = [process.env.PASTA_PYTHON, '/usr/bin/python3', which('python3')].filter(Boolean);
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}

/** Whether Debian's OpenBLAS is installed (PyTorch falls back to a reference BLAS about 25x slower without it). */
export const hasOpenBlas = () => existsSync('/usr/lib/x86_64-linux-gnu/openblas-pthread') || existsSync('/usr/lib/aarch64-linux-gnu/openblas-pthread');

/** The project's reference Python environment: current PyTorch, transformers, PEFT and TRL from pip (ignored by git). */
export const REFERENCE_VENV = new URL('../.venv-ref/', import.meta.url).pathname;
/**
 * The reference packages, pip's name -> the module Python imports.
 * pillow: TRL's vision collator and the image processors open the exported frames with it.
 * accelerate, fastapi, uvicorn, openai: what `transformers serve` imports (the tests' real OpenAI-compatible server).
 */
export const REFERENCE_MODULES = {
  torch: 'torch', numpy: 'numpy', transformers: 'transformers', peft: 'peft', trl: 'trl', safetensors: 'safetensors',
  datasets: 'datasets', pillow: 'PIL', accelerate: 'accelerate', fastapi: 'fastapi', uvicorn: 'uvicorn', openai: 'openai',
};
export const REFERENCE_PACKAGES = Object.keys(REFERENCE_MODULES);

/**
 * The reference packages (pip's names) that `python` cannot find, checked by module lookup in one process
 * (nothing is imported, so it takes well under a second); every package when `python` does not run.
 */
export function missingReferencePackages(python) {
  const script = 'import importlib.util, sys; print(" ".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))';
  try {
    const out = execFileSync(python, ['-c', script, ...Object.values(REFERENCE_MODULES)], { encoding: 'utf8' }).trim();
    const missing = new Set(out ? out.split(' ') : []);
    return REFERENCE_PACKAGES.filter((pkg) => missing.has(REFERENCE_MODULES[pkg]));
  } catch {
    return [...REFERENCE_PACKAGES];
  }
}

/**
 * A Python with current PyTorch, TRL, PEFT and transformers (the reference for
 * TRL's own loss code, its data loader, and bench:train): $PASTA_REF_PYTHON,
 * else the project's .venv-ref, else null.
 */
export function findReferencePython() {
  const candidates = [process.env.PASTA_REF_PYTHON, `${REFERENCE_VENV}bin/python`].filter(Boolean);
  for (const py of candidates) {
    if (!existsSync(py)) continue;
    try {
      execFileSync(py, ['-c', 'import torch, numpy, transformers, peft, trl, safetensors, datasets, PIL'], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}

/**
 * A Python that can run `transformers serve` (torch, transformers, accelerate, fastapi, uvicorn, openai, pillow):
 * $PASTA_REF_PYTHON, else the project's .venv-ref, else null.
 */
export function findServePython() {
  const candidates = [process.env.PASTA_REF_PYTHON, `${REFERENCE_VENV}bin/python`].filter(Boolean);
  for (const py of candidates) {
    if (!existsSync(py)) continue;
    try {
      execFileSync(py, ['-c', 'from transformers.utils.import_utils import is_serve_available as ok; import accelerate, PIL; assert ok()'], { stdio: 'ignore' });
      return py;
    } catch {
      // not this one
    }
  }
  return null;
}
