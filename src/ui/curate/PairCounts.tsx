/** Pairs per category and status, always in view while curating. */
import { useMemo } from 'react';
import { PAIR_CATEGORIES, PAIR_STATUSES, countPairs } from '../../pairs';
import { useWorkbench } from '../store';

export function PairCounts() {
  const pairs = useWorkbench((s) => s.pairs);
  const counts = useMemo(() => countPairs(pairs), [pairs]);
  const rows = [...PAIR_CATEGORIES.filter((c) => counts[c]), 'all'];
  return (
    <table className="pair-counts" data-testid="pair-counts">
      <thead>
        <tr><th />{PAIR_STATUSES.map((s) => <th key={s}>{s}</th>)}<th>all</th></tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c} data-category={c}>
            <th>{c}</th>
            {[...PAIR_STATUSES, 'all' as const].map((s) => <td key={s} data-status={s}>{counts[c]?.[s] ?? 0}</td>)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
