import type { StateCreator } from 'zustand';
import type { Workbench } from './index';

export type Theme = 'light' | 'dark';
/** The views of the left navigation. */
export type View = 'library' | 'ask' | 'inspect' | 'curate' | 'align' | 'evaluate' | 'pipeline';
export interface UiSlice {
  theme: Theme;
  view: View;
  setView(view: View): void;
  /** The view whose error boundary caught a failure: it is not reopened after a reload. */
  crashedView: View | null;
  reportViewCrash(view: View, error: Error): void;
  helpOpen: boolean;
  logOpen: boolean;
  toggleTheme(): void;
  setHelpOpen(open: boolean): void;
  setLogOpen(open: boolean): void;
}

export const createUiSlice: StateCreator<Workbench, [], [], UiSlice> = (set, get) => ({
  theme: 'light',
  view: 'library',
  setView: (view) => set({ view, crashedView: null }),
  crashedView: null,
  reportViewCrash: (view, error) => {
    set({ crashedView: view });
    get().addLog('error', view, `${error.name}: ${error.message}`);
  },
  helpOpen: false,
  logOpen: false,
  toggleTheme: () => set((s) => ({ theme: s.theme === 'light' ? 'dark' : 'light' })),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setLogOpen: (logOpen) => set({ logOpen }),
});
