// `npm test`: tools check, type check, unit tests (Vitest, Node), end-to-end tests (Playwright, headless Chromium).
// Stops at the first failing stage; prints one closing line "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const CACHE = '.cache';
mkdirSync(CACHE, { recursive: true });
const vitestJson = `${CACHE}/vitest-results.json`;
const playwrightJson = `${CACHE}/playwright-results.json`;
for (const f of [vitestJson, playwrightJson]) rmSync(f, { force: true });

const stages = [
  ['tools (browser, PyTorch, ffmpeg)', 'node', ['scripts/ensure-tools.mjs']],
  ['type check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['unit tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]],
  ['production build', 'npx', ['vite', 'build']],
  ['end-to-end tests', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson }],
];

let failedStage = null;
for (const [name, cmd, args, env] of stages) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    failedStage = name;
    break;
  }
}

const counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  counts.passed += v.numPassedTests;
  counts.failed += v.numFailedTests;
  counts.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
}
if (existsSync(playwrightJson)) {
  const s = JSON.parse(readFileSync(playwrightJson, 'utf8')).stats;
  counts.passed += s.expected + s.flaky;
  counts.failed += s.unexpected;
  counts.skipped += s.skipped;
}
console.log('');
if (failedStage) console.log(`stage failed: ${failedStage}`);
console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(failedStage || counts.failed > 0 ? 1 : 0);
