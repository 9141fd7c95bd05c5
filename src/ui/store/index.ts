/**
 * The workbench's one store, built from one slice per domain. Only small
 * preferences persist here (localStorage); videos persist in IndexedDB.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { createLibrarySlice, type LibrarySlice } from './librarySlice';
import { createLogSlice, type LogSlice } from './logSlice';
import { createSamplingSlice, type SamplingSlice } from './samplingSlice';
import { createUiSlice, type UiSlice } from './uiSlice';

export type Workbench = LibrarySlice & SamplingSlice & UiSlice & LogSlice;

export const useWorkbench = create<Workbench>()(
  persist(
    (...a) => ({ ...createLibrarySlice(...a), ...createSamplingSlice(...a), ...createUiSlice(...a), ...createLogSlice(...a) }),
    {
      name: 'pasta-workbench.prefs',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ theme: s.theme, selectedId: s.selectedId, spec: s.spec, maxSide: s.maxSide }),
    },
  ),
);
