/** Filters of the queue (and of exports): category, status, recipe, tag, video, margin. */
import { useMemo } from 'react';
import { PAIR_CATEGORIES, PAIR_STATUSES, type PairFilters } from '../../pairs';
import { useWorkbench } from '../store';

export function PairFiltersBar() {
  const filters = useWorkbench((s) => s.filters);
  const pairs = useWorkbench((s) => s.pairs);
  const setFilters = useWorkbench((s) => s.setFilters);
  const options = useMemo(() => {
    const recipes = new Set<string>();
    const tags = new Set<string>();
    const videos = new Set<string>();
    for (const p of pairs) {
      recipes.add(p.adversary?.recipe ?? 'none');
      p.tags.forEach((t) => tags.add(t));
      if (p.video.path) videos.add(p.video.path);
    }
    return { recipes: [...recipes].sort(), tags: [...tags].sort(), videos: [...videos].sort() };
  }, [pairs]);
  const set = (key: keyof PairFilters, value: string) => {
    const next = { ...filters };
    if (value === '') delete next[key];
    else (next as Record<string, string | number>)[key] = key === 'minMargin' || key === 'maxMargin' ? Number(value) : value;
    setFilters(next);
  };
  const select = (key: keyof PairFilters, label: string, values: readonly string[]) => (
    <label>
      {label}
      <select data-testid={`filter-${key}`} value={String(filters[key] ?? '')} onChange={(e) => set(key, e.target.value)}>
        <option value="">any</option>
        {values.map((v) => <option key={v} value={v}>{v}</option>)}
      </select>
    </label>
  );
  return (
    <div className="pair-filters" data-testid="pair-filters">
      {select('category', 'Category', PAIR_CATEGORIES)}
      {select('status', 'Status', PAIR_STATUSES)}
      {select('recipe', 'Recipe', options.recipes)}
      {select('tag', 'Tag', options.tags)}
      {select('video', 'Video', options.videos)}
      <label>
        Margin ≥
        <input type="number" step="0.1" data-testid="filter-minMargin" value={filters.minMargin ?? ''} onChange={(e) => set('minMargin', e.target.value)} />
      </label>
    </div>
  );
}
