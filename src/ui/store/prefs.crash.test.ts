import { expect, it } from 'vitest';
import { prefsOf } from './prefs';

it('a view whose boundary caught a failure is saved as the Library, so a reload does not reopen the crash', () => {
  const base = { theme: 'light', view: 'inspect', selectedId: null, spec: { mode: 'uniform', n: 32 }, maxSide: 224, category: 'temporal', specs: {}, slots: {}, overlay: false, grid: false, projectId: null, currentPairId: null, filters: {} } as unknown as Parameters<typeof prefsOf>[0];
  expect(prefsOf({ ...base, crashedView: null }).view).toBe('inspect');
  expect(prefsOf({ ...base, crashedView: 'inspect' }).view).toBe('library');
  expect(prefsOf({ ...base, view: 'curate', crashedView: 'inspect' }).view).toBe('curate');
});
