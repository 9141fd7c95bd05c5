import { expect, it } from 'vitest';
import { SHORTCUTS, keyHint } from './keyboard';

it('every shortcut has its own id, and tooltips find a shortcut by id', () => {
  expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
  expect(keyHint('export-pairs')).toBe('Export pairs (X)');
  expect(keyHint('undo-remove')).toBe('Undo the last removal (Ctrl+Z)');
  expect(keyHint('undo-curation')).toBe('Undo the last curation action (Ctrl+Z)');
});
