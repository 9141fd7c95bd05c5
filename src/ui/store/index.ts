/**
 * The workbench's one store, built from one slice per domain. Only small
 * preferences persist here (localStorage); videos persist in IndexedDB.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { createInspectSlice, type InspectSlice } from './inspectSlice';
import { createLibrarySlice, type LibrarySlice } from './librarySlice';
import { createDemoSlice, type DemoSlice } from './demoSlice';
import { createLogSlice, type LogSlice } from './logSlice';
import { createModelSlice, type ModelSlice } from './modelSlice';
import { createAdapterSlice, type AdapterSlice } from './adapterSlice';
import { createAlignSlice, type AlignSlice } from './alignSlice';
import { createPairsSlice, type PairsSlice } from './pairsSlice';
import { createPipelineSlice, type PipelineSlice } from './pipelineSlice';
import { PREFS_VERSION, type Prefs, checkPrefs, migratePrefs, prefsOf } from './prefs';
import { createSamplingSlice, type SamplingSlice } from './samplingSlice';
import { createUiSlice, type UiSlice } from './uiSlice';

export type Workbench = LibrarySlice & SamplingSlice & UiSlice & LogSlice & InspectSlice & PairsSlice & DemoSlice & ModelSlice & AdapterSlice & AlignSlice & PipelineSlice;

export const useWorkbench = create<Workbench>()(
  persist<Workbench, [], [], Partial<Prefs>>(
    (...a) => ({ ...createLibrarySlice(...a), ...createSamplingSlice(...a), ...createUiSlice(...a), ...createLogSlice(...a), ...createInspectSlice(...a), ...createPairsSlice(...a), ...createDemoSlice(...a), ...createModelSlice(...a), ...createAdapterSlice(...a), ...createAlignSlice(...a), ...createPipelineSlice(...a) }),
    {
      name: 'pasta-workbench.prefs',
      version: PREFS_VERSION,
      migrate: migratePrefs,
      // Saved prefs of the current version are checked too: a bad field falls back to its default.
      merge: (saved, current) => ({ ...current, ...checkPrefs(saved) }),
      storage: createJSONStorage(() => localStorage),
      partialize: prefsOf,
    },
  ),
);
