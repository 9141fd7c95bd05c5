/**
 * Imports point downward only (see docs: architecture layers). A file that
 * imports a layer its own may not fails here, naming the file, the import and
 * the rule it broke. "Types only" arrows must be written `import type` (or
 * `export type ... from`), which compiles to nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Rule {
  /** Layers it may import anything from ('*': every layer). */
  imports: string[];
  /** Layers it may import types from, and only with `import type`. */
  types?: string[];
}

/** Which of our layers each layer may import (besides itself). */
const RULES: Record<string, Rule> = {
  core: { imports: [] },
  graph: { imports: ['core'] },
  nn: { imports: ['core', 'graph'] },
  model: { imports: ['core', 'nn', 'graph'] },
  runtime: { imports: ['core', 'graph'] },
  train: { imports: ['core', 'model', 'nn', 'graph', 'runtime'] },
  media: { imports: ['core'] },
  adversary: { imports: ['core', 'media'] },
  synth: { imports: ['core'] },
  respond: { imports: ['core', 'model', 'runtime', 'adversary'] },
  library: { imports: ['core', 'media'] },
  pairs: { imports: ['core'], types: ['adversary'] },
  export: { imports: ['core', 'pairs'], types: ['adversary'] },
  eval: { imports: ['core', 'model', 'synth', 'runtime', 'adversary', 'respond'] }, // eval measures responders: the built-in model now, servers later
  // align makes annotation-free pairs beside the adversary: it asks a responder (scored through eval's interface) about synth videos seen through adversarial views, and writes pair records.
  align: { imports: ['core', 'synth', 'eval', 'media', 'pairs'], types: ['adversary', 'respond'] },
  // pipeline drives responders (endpoints, the built-in model) over real videos: views from the adversary, answers from respond, records for pairs.
  pipeline: { imports: ['core', 'media', 'adversary', 'respond', 'pairs'] },
  ui: { imports: ['*'] },
};

/** Tests may reach further (a graph test runs its graph on the runtime; the parity test finds Python under scripts/), except in core. */
const TEST_EXTRA = ['runtime', '..'];

const describeRule = (layer: string, rule: Rule) => {
  const parts = [rule.imports.length ? `may import ${rule.imports.join(', ')}` : 'may import nothing of ours'];
  if (rule.types?.length) parts.push(`and types only (\`import type\`) from ${rule.types.join(', ')}`);
  return `${layer} ${parts.join(' ')}`;
};

/** Every relative import in `text`: its specifier, and whether it is type-only. */
function importsOf(source: string): { spec: string; typeOnly: boolean }[] {
  const found: { spec: string; typeOnly: boolean }[] = [];
  const text = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // code, not comments
  // Statements start a line (or follow a semicolon).
  // import x from '...', import { a } from '...', import type { T } from '...', export { a } from '...', export type { T } from '...'
  for (const m of text.matchAll(/(?:^|;)\s*(import|export)(\s+type)?\b[^'";]*?\bfrom\s+['"](\.[^'"]+)['"]/gm)) found.push({ spec: m[3], typeOnly: !!m[2] });
  // import '...' (for its side effects)
  for (const m of text.matchAll(/(?:^|;)\s*import\s+['"](\.[^'"]+)['"]/gm)) found.push({ spec: m[1], typeOnly: false });
  // import('...'), a type when written typeof import('...')
  for (const m of text.matchAll(/(\btypeof\s+)?\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g)) found.push({ spec: m[2], typeOnly: !!m[1] });
  return found;
}

/**
 * The layering violations in `files` (paths relative to src/, with `/`).
 * Pure, so the rules themselves can be tested on made-up files.
 */
function checkLayering(files: { file: string; text: string }[]): string[] {
  const violations: string[] = [];
  for (const { file, text } of files) {
    const layer = file.split('/')[0];
    const rule = RULES[layer];
    if (!rule || !file.includes('/')) {
      violations.push(`${file}: not in a known layer (a folder of src/ named in RULES)`);
      continue;
    }
    const isTest = /\.test\.tsx?$/.test(file);
    for (const { spec, typeOnly } of importsOf(text)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).split('/')[0];
      if (target === layer || rule.imports.includes('*') || rule.imports.includes(target)) continue;
      if (isTest && layer !== 'core' && TEST_EXTRA.includes(target)) continue;
      if (rule.types?.includes(target)) {
        if (typeOnly) continue;
        violations.push(`${file} imports ${spec} (${layer} -> ${target}) as a value: ${describeRule(layer, rule)}`);
        continue;
      }
      violations.push(`${file} imports ${spec} (${layer} -> ${target}): ${describeRule(layer, rule)}`);
    }
  }
  return violations;
}

const SRC = path.resolve(__dirname);

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|tsx)$/.test(name)) yield full;
  }
}

const ourFiles = () =>
  [...sourceFiles(SRC)].filter((f) => f !== __filename).map((f) => ({ file: path.relative(SRC, f).split(path.sep).join('/'), text: readFileSync(f, 'utf8') }));

it('every src/ layer imports only what its rule allows', () => {
  const files = ourFiles();
  expect(files.length).toBeGreaterThan(100);
  expect(files.flatMap((f) => importsOf(f.text)).length).toBeGreaterThan(100);
  expect(checkLayering(files)).toEqual([]);
});

describe('the rules catch what they should', () => {
  const check = (file: string, text: string) => checkLayering([{ file, text }]);

  it('core imports nothing of ours, not even in its tests', () => {
    expect(check('core/x.ts', "import { decodePlan } from '../media/decode';")).toEqual([
      "core/x.ts imports ../media/decode (core -> media): core may import nothing of ours",
    ]);
    expect(check('core/x.test.ts', "import { ModelSession } from '../runtime';")).toHaveLength(1);
    expect(check('core/x.ts', "import { a } from './y';\nimport type { B } from './z';")).toEqual([]);
  });

  it('pairs and export take adversary types only, written import type, and nothing from media', () => {
    expect(check('pairs/p.ts', "import type { AdversarySpec } from '../adversary/types';")).toEqual([]);
    expect(check('export/formats/f.ts', "export type { Category } from '../../adversary/types';")).toEqual([]);
    expect(check('pairs/p.ts', "import { CATEGORIES } from '../adversary/types';")).toEqual([
      'pairs/p.ts imports ../adversary/types (pairs -> adversary) as a value: pairs may import core and types only (`import type`) from adversary',
    ]);
    // An inline `type` modifier still leaves an import behind: not enough.
    expect(check('pairs/p.ts', "import { type Category } from '../adversary';")).toHaveLength(1);
    expect(check('export/e.ts', "import type { FramePlan } from '../media/samplers';")).toEqual([
      'export/e.ts imports ../media/samplers (export -> media): export may import core, pairs and types only (`import type`) from adversary',
    ]);
  });

  it('synth, model, respond and eval import only their own lists', () => {
    expect(check('synth/world.ts', "import { seededRandom } from '../core/random';")).toEqual([]);
    expect(check('synth/world.ts', "import { planFrames } from '../media/samplers';")).toHaveLength(1);
    expect(check('model/vlm.ts', "import { Linear } from '../nn';\nimport { Ops } from '../graph';\nimport type { RgbaFrame } from '../core/frame';")).toEqual([]);
    expect(check('model/vlm.ts', "import { ModelSession } from '../runtime';")).toEqual([
      'model/vlm.ts imports ../runtime (model -> runtime): model may import core, nn, graph',
    ]);
    expect(check('respond/r.ts', "import { applyAdversary } from '../adversary';\nimport { ModelSession } from '../runtime';")).toEqual([]);
    expect(check('respond/r.ts', "import { trainStep } from '../train';")).toHaveLength(1);
    expect(check('eval/e.ts', "import { World } from '../synth';\nimport { RECIPES } from '../adversary';")).toEqual([]);
    expect(check('eval/e.ts', "import { pairsDb } from '../pairs/pairsDb';")).toHaveLength(1);
  });

  it('side-effect and dynamic imports count; a type written typeof import() does not', () => {
    expect(check('media/m.ts', "import '../adversary/errors';")).toHaveLength(1);
    expect(check('media/m.ts', "const x = await import('../ui/store');")).toHaveLength(1);
    expect(check('pairs/p.ts', "type R = typeof import('../adversary/recipe');")).toEqual([]);
    // Words in a comment are not an import.
    expect(check('pairs/p.ts', "/** every import format maps into this, every export is written from\n it. */\nimport type { A } from '../adversary/types';")).toEqual([]);
  });

  it('files outside the layer folders, or in an unknown one, are named', () => {
    expect(check('helpers.ts', '')).toEqual(['helpers.ts: not in a known layer (a folder of src/ named in RULES)']);
    expect(check('misc/a.ts', '')).toHaveLength(1);
  });
});

it('nothing below ui/ touches the DOM (it must run in Workers and in Node)', () => {
  const offenders: string[] = [];
  for (const { file, text } of ourFiles()) {
    const layer = file.split('/')[0];
    if (layer === 'ui' || !(layer in RULES) || /\.test\.tsx?$/.test(file)) continue;
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''); // code, not comments
    for (const m of code.matchAll(/\b(document|window|HTMLElement|HTMLCanvasElement|HTMLVideoElement|localStorage)\b/g)) offenders.push(`${file}: ${m[1]}`);
  }
  expect(offenders).toEqual([]);
});
