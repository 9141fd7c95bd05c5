/** Category, recipe, parameters and seed of the adversary shown; the recipe's documentation beside them. */
import { useState } from 'react';
import { type Category, CATEGORIES, RECIPES, type Recipe, recipesOf } from '../../adversary';
import { type ShortcutId, keyHint } from '../keyboard';
import { isDecodable } from '../../library/videoRecord';
import { useWorkbench } from '../store';

const CATEGORY_LABEL: Record<Category, string> = { spatial: 'Spatial', temporal: 'Temporal', 'cross-frame': 'Cross-frame' };
const CATEGORY_SHORTCUT: Record<Category, ShortcutId> = { spatial: 'category-spatial', temporal: 'category-temporal', 'cross-frame': 'category-cross-frame' };

export function CategoryTabs() {
  const category = useWorkbench((s) => s.category);
  const setCategory = useWorkbench((s) => s.setCategory);
  return (
    <div className="tabs" role="tablist" aria-label="Category">
      {CATEGORIES.map((c) => (
        <button key={c} type="button" role="tab" aria-selected={c === category} title={keyHint(CATEGORY_SHORTCUT[c])} onClick={() => setCategory(c)}>{CATEGORY_LABEL[c]}</button>
      ))}
    </div>
  );
}

/**
 * A recipe's name in the menu, short enough to show whole in the side column:
 * the category is the tab above, and paper or extension is the option group
 * and the badge under the menu.
 */
const menuLabel = (r: Recipe) => r.label.replace(/ \((spatial|temporal|cross-frame)\)$/, '');

export function AdversaryControls() {
  const category = useWorkbench((s) => s.category);
  const spec = useWorkbench((s) => s.specs[s.category]);
  const videos = useWorkbench((s) => s.videos);
  const selectedId = useWorkbench((s) => s.selectedId);
  const { setRecipe, setParam, setSeed, reroll, setSpecJson } = useWorkbench.getState();
  const recipe = RECIPES.get(spec.recipe);
  const [json, setJson] = useState('');
  const others = videos.filter((v) => v.id !== selectedId && v.timeline);
  // Undecodable videos are listed, marked and not selectable, so the user sees why a file is missing.
  // Specs name videos by relative path (as pair records do); one saved with a library id still shows its video.
  const chosenPath = (value: unknown) => (typeof value === 'string' ? (videos.find((v) => v.id === value)?.relativePath ?? value) : '');

  return (
    <div className="adversary-controls" data-testid="adversary-controls">
      <label>
        Recipe
        <select data-testid="recipe-select" value={spec.recipe} onChange={(e) => setRecipe(e.target.value)}>
          <optgroup label="Paper (VideoPASTA)">
            {recipesOf(category).filter((r) => r.kind === 'paper').map((r) => <option key={r.id} value={r.id} title={r.label}>{menuLabel(r)}</option>)}
          </optgroup>
          <optgroup label="Visual (our extension)">
            {recipesOf(category).filter((r) => r.kind === 'visual').map((r) => <option key={r.id} value={r.id} title={`${r.label} (extension)`}>{menuLabel(r)}</option>)}
          </optgroup>
        </select>
      </label>
      {recipe && (
        <div className="recipe-doc" data-testid="recipe-doc">
          <span className={`badge ${recipe.kind}`}>{recipe.kind === 'paper' ? 'paper' : 'extension'}</span>
          <p><strong>Breaks:</strong> {recipe.breaks}</p>
          <p className="muted">{recipe.why}</p>
        </div>
      )}
      {recipe && Object.entries(recipe.params).map(([name, p]) => (
        <label key={`${spec.recipe}.${name}`}>
          {p.label}
          {p.kind === 'video' ? (
            <select data-testid={`param-${name}`} value={chosenPath(spec.params[name])} onChange={(e) => setParam(name, e.target.value || undefined)}>
              <option value="">choose a video</option>
              {others.map((v) => (
                <option key={v.id} value={v.relativePath} disabled={!isDecodable(v)}>
                  {v.name}{isDecodable(v) ? '' : ` (cannot be decoded: ${v.probe?.codecName ?? 'unknown codec'})`}
                </option>
              ))}
            </select>
          ) : (
            <input
              type="number"
              data-testid={`param-${name}`}
              step={p.kind === 'int' ? 1 : 0.05}
              defaultValue={spec.params[name] === undefined ? (p.default ?? '') : String(spec.params[name])}
              placeholder={p.default === null ? 'from the seed' : String(p.default)}
              onChange={(e) => setParam(name, e.target.value === '' ? undefined : Number(e.target.value))}
            />
          )}
        </label>
      ))}
      <div className="seed-row">
        <label>
          Seed
          <input type="number" data-testid="seed" value={spec.seed} step={1} onChange={(e) => setSeed(Number(e.target.value))} />
        </label>
        <button type="button" title={keyHint('reroll')} onClick={reroll} data-testid="reroll">Re-roll</button>
      </div>
      <details className="spec-json">
        <summary>Spec as JSON</summary>
        <pre data-testid="spec-json">{JSON.stringify(spec)}</pre>
        <textarea aria-label="Paste a spec" data-testid="spec-input" value={json} onChange={(e) => setJson(e.target.value)} placeholder='{"category":"temporal","recipe":"visual.temporal.reverse","params":{},"seed":0}' />
        <button type="button" data-testid="apply-spec" onClick={() => setSpecJson(json)}>Apply spec</button>
      </details>
    </div>
  );
}
