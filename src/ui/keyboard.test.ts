import { expect, it } from 'vitest';
import { SHORTCUTS, keyHint } from './keyboard';

it('every shortcut has its own id, and tooltips find a shortcut by id', () => {
  expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
  expect(keyHint('export-pairs')).toBe('Export pairs (X)');
  expect(keyHint('undo-remove')).toBe('Undo the last removal (Ctrl+Z)');
  expect(keyHint('undo-curation')).toBe('Undo the last curation action (Ctrl+Z)');
});

it('no two shortcuts of one view share a key, the Align view’s included', () => {
  const views = ['library', 'ask', 'inspect', 'curate', 'align', 'evaluate'] as const;
  for (const view of views) {
    const taken = new Map<string, string>();
    for (const s of SHORTCUTS.filter((x) => !x.views || x.views.includes(view))) {
      for (const k of s.keys) {
        const key = `${s.withModifier ? 'mod+' : ''}${k}`;
        expect(taken.get(key), `${view}: "${key}" is both ${taken.get(key)} and ${s.id}`).toBeUndefined();
        taken.set(key, s.id);
      }
    }
  }
  expect(keyHint('open-align')).toBe('Open Align (self-generated pairs, DPO training, adapters) (M)');
});
