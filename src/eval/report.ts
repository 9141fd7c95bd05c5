import { type BenchmarkResult, SYNTH_CATEGORIES } from './benchmark';

const pct = (x: number) => (100 * x).toFixed(1);

/**
 * The benchmark as a markdown table: one row per category, then one per
 * template, with n, chance, accuracy on the preferred view and on the view
 * that breaks the category. The model card holds this table; `parseBenchmarkTable`
 * reads it back so a test can check the card against a fresh run.
 */
export function benchmarkTable(r: BenchmarkResult): string {
  const rows = [
    '| category / template | n | chance % | accuracy % (95% interval) | breaking view | accuracy on it % |',
    '|---|---:|---:|---:|---|---:|',
    ...SYNTH_CATEGORIES.map((c) => {
      const [lo, hi] = r.interval[c];
      return `| **${c}** | ${r.n[c]} | ${pct(r.chance[c])} | ${pct(r.accuracy[c])} (${pct(lo)}–${pct(hi)}) | ${r.adversarial_view[c]} | ${pct(r.adversarial_accuracy[c])} |`;
    }),
    ...Object.entries(r.per_template).map(([t, v]) => `| ${t} | ${v.n} | ${pct(v.chance)} | ${pct(v.accuracy)} | ${r.adversarial_view[v.category]} | ${pct(v.adversarial_accuracy)} |`),
  ];
  return rows.join('\n');
}

/** Row name -> [n, accuracy, accuracy on the breaking view] (fractions) from a table benchmarkTable wrote. */
export function parseBenchmarkTable(markdown: string): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 8 || !/^\d+$/.test(cells[2])) continue;
    out.set(cells[1].replace(/\*/g, ''), [Number(cells[2]), Number.parseFloat(cells[4]) / 100, Number.parseFloat(cells[6]) / 100]);
  }
  return out;
}
