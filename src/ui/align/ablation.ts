/**
 * The ablation of the paper's Table 2: adapters trained on one category's
 * pairs only, and on all three, each measured on all four held-out
 * categories, beside the base model; optionally the same with ground-truth
 * pairs as an upper bound. The plan (which runs, in order) and the table
 * (rows: base and the adapters; columns: the four categories) are plain
 * data. DOM-free.
 */
import { PAIR_CATEGORIES, type PairCategory } from '../../align/makePairs';
import { type BenchmarkResult, SYNTH_CATEGORIES } from '../../eval';
import type { SynthCategory } from '../../synth';

export type AblationArm = PairCategory | 'all';
/** `self`: the model's own pairs (the method); `oracle`: ground-truth pairs (an upper bound). */
export type PairKind = 'self' | 'oracle';

export interface AblationRun {
  key: string;
  arm: AblationArm;
  kind: PairKind;
  /** The categories this adapter trains on. */
  categories: PairCategory[];
  label: string;
}

const ARM_LABELS: Record<AblationArm, string> = { spatial: 'spatial only', temporal: 'temporal only', cross_frame: 'cross-frame only', all: 'all three' };
const ARMS: readonly AblationArm[] = [...PAIR_CATEGORIES, 'all'];

/** The runs in order: the four self-pair adapters, then (when asked) the four oracle ones. */
export function ablationPlan(withOracle: boolean): AblationRun[] {
  const kinds: PairKind[] = withOracle ? ['self', 'oracle'] : ['self'];
  return kinds.flatMap((kind) => ARMS.map((arm) => ({
    key: `${kind}:${arm}`,
    arm,
    kind,
    categories: arm === 'all' ? [...PAIR_CATEGORIES] : [arm],
    label: `${kind === 'oracle' ? 'oracle pairs (upper bound), ' : ''}${ARM_LABELS[arm]}`,
  })));
}

/** What one run gave: its held-out result, or the named error that stopped it. */
export interface AblationOutcome {
  pairs: number;
  steps: number;
  seconds: number;
  result: BenchmarkResult | null;
  error: { name: string; message: string } | null;
}

export interface AblationCell {
  /** Percent, one decimal. */
  accuracy: number;
  /** 95% interval in percent. */
  interval: [number, number];
  /** Points above (or below) the base model; null on the base row. */
  change: number | null;
}

export interface AblationRow {
  key: string;
  label: string;
  kind: PairKind | 'base';
  pairs: number | null;
  cells: Record<SynthCategory, AblationCell> | null;
  error: string | null;
  /** Not run yet. */
  pending: boolean;
}

const pct = (x: number) => Math.round(x * 1000) / 10;

function cellsOf(r: BenchmarkResult, base: BenchmarkResult | null): Record<SynthCategory, AblationCell> {
  return Object.fromEntries(SYNTH_CATEGORIES.map((c) => [c, {
    accuracy: pct(r.accuracy[c]),
    interval: [pct(r.interval[c][0]), pct(r.interval[c][1])] as [number, number],
    change: base && base !== r ? Math.round((r.accuracy[c] - base.accuracy[c]) * 1000) / 10 : null,
  }])) as Record<SynthCategory, AblationCell>;
}

/** The table: base first, then each planned run, done or not. */
export function ablationTable(plan: readonly AblationRun[], base: BenchmarkResult | null, outcomes: Readonly<Record<string, AblationOutcome>>): AblationRow[] {
  const rows: AblationRow[] = [{ key: 'base', label: 'base model', kind: 'base', pairs: null, cells: base && cellsOf(base, null), error: null, pending: !base }];
  for (const run of plan) {
    const o = outcomes[run.key];
    rows.push({
      key: run.key,
      label: run.label,
      kind: run.kind,
      pairs: o?.pairs ?? null,
      cells: o?.result ? cellsOf(o.result, base) : null,
      error: o?.error ? `${o.error.name}: ${o.error.message}` : null,
      pending: !o,
    });
  }
  return rows;
}
