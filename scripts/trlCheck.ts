/** Runs scripts/trl_dpo_check.py (TRL's DPOTrainer on exported sets) and returns one result per set. */
import { spawnSync } from 'node:child_process';

/** What the check reports for one exported set. */
export interface TrlCheckResult {
  dataset: string;
  records: number;
  images: number;
  steps: number;
  /** The logged loss of each step; the first is computed before any update. */
  losses: number[];
  rewards_chosen_0: number;
  columns: string[];
  /** Unresolved images, miscounted placeholders, truncated image tokens, a step-0 loss that is not ln 2. */
  problems: string[];
}

/**
 * Trains two LoRA steps on each set (a records file, or a folder holding pairs.jsonl) in one Python process,
 * so the imports (about 50 s the first time) are paid once. Throws with the tail of its output when the
 * process reports fewer results than sets.
 */
export function runTrlCheck(python: string, workDir: string, datasets: string[]): TrlCheckResult[] {
  const run = spawnSync(python, ['scripts/trl_dpo_check.py', workDir, ...datasets], { encoding: 'utf8', timeout: 400_000, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  const results = (run.stdout ?? '').split('\n').filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7)) as TrlCheckResult);
  if (results.length !== datasets.length) throw new Error(`trl_dpo_check.py reported ${results.length} of ${datasets.length} sets (exit ${run.status}):\n${(run.stdout ?? '').slice(-2000)}\n${(run.stderr ?? '').slice(-3000)}`);
  return results;
}
