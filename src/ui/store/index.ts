/**
 * The workbench's one store, built from one slice per domain. Only small
 * preferences persist here (localStorage); videos persist in IndexedDB.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { createInspectSlice, type InspectSlice } from './inspectSlice';
import { createLibrarySlice, type LibrarySlice } from './librarySlice';
import { createLogSlice, type LogSlice } from './logSlice';
import { createPairsSlice, type PairsSlice } from './pairsSlice';
import { createSamplingSlice, type SamplingSlice } from './samplingSlice';
import { createUiSlice, type UiSlice } from './uiSlice';

export type Workbench = LibrarySlice & SamplingSlice & UiSlice & LogSlice & InspectSlice & PairsSlice;

export const useWorkbench = create<Workbench>()(
  persist(
    (...a) => ({ ...createLibrarySlice(...a), ...createSamplingSlice(...a), ...createUiSlice(...a), ...createLogSlice(...a), ...createInspectSlice(...a), ...createPairsSlice(...a) }),
    {
      name: 'pasta-workbench.prefs',
      // v2 added the view, the inspector's specs and curation; v1 state carries over as it is.
      version: 2,
      migrate: (persisted) => persisted as Workbench,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({
        theme: s.theme,
        view: s.view,
        selectedId: s.selectedId,
        spec: s.spec,
        maxSide: s.maxSide,
        category: s.category,
        specs: s.specs,
        slots: s.slots,
        overlay: s.overlay,
        grid: s.grid,
        projectId: s.projectId,
        currentPairId: s.currentPairId,
        filters: s.filters,
      }),
    },
  ),
);
