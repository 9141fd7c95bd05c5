/**
 * Imports point downward only (see docs: architecture layers). A lower layer
 * importing a higher one fails here, naming the file and the import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

/** Which of our layers each layer may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  core: [],
  graph: ['core'],
  nn: ['core', 'graph'],
  model: ['core', 'nn', 'graph'],
  runtime: ['core', 'graph'],
  train: ['core', 'model', 'nn', 'graph', 'runtime'],
  media: ['core'],
  adversary: ['core', 'media'],
  synth: ['core'],
  respond: ['core', 'model', 'runtime'],
  library: ['core', 'media'],
  pairs: ['core', 'adversary', 'media'],
  export: ['core', 'pairs', 'adversary', 'media'],
  eval: ['core', 'model', 'synth', 'runtime'],
  ui: ['*'],
};

const SRC = path.resolve(__dirname);

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx)$/.test(name)) yield full;
  }
}

const layerOf = (file: string) => path.relative(SRC, file).split(path.sep)[0];

it('every src/ layer imports only the layers below it', () => {
  const violations: string[] = [];
  let checked = 0;
  for (const file of sourceFiles(SRC)) {
    const layer = layerOf(file);
    if (!(layer in ALLOWED)) {
      if (file !== __filename) violations.push(`${path.relative(SRC, file)}: folder "${layer}" is not a known layer`);
      continue;
    }
    // Tests may reach further (a graph test runs its graph on the runtime; the parity test finds Python).
    const extra = /\.test\.tsx?$/.test(file) ? ['runtime', '..'] : [];
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
      const target = layerOf(path.resolve(path.dirname(file), m[1] ?? m[2]));
      checked++;
      const allowed = ALLOWED[layer];
      if (target !== layer && !allowed.includes('*') && !allowed.includes(target) && !extra.includes(target)) {
        violations.push(`${path.relative(SRC, file)} imports ${m[1] ?? m[2]} (${layer} -> ${target})`);
      }
    }
  }
  expect(checked).toBeGreaterThan(10);
  expect(violations).toEqual([]);
});

it('nothing below ui/ touches the DOM (it must run in Workers and in Node)', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const layer = layerOf(file);
    if (layer === 'ui' || !(layer in ALLOWED) || /\.test\.tsx?$/.test(file)) continue;
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // code, not comments
    for (const m of text.matchAll(/\b(document|window|HTMLElement|HTMLCanvasElement|HTMLVideoElement|localStorage)\b/g)) {
      offenders.push(`${path.relative(SRC, file)}: ${m[1]}`);
    }
  }
  expect(offenders).toEqual([]);
});
