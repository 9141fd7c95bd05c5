import type { StateCreator } from 'zustand';
import type { Workbench } from './index';

export type Theme = 'light' | 'dark';
/** The views of the left navigation. */
export type View = 'library' | 'inspect' | 'curate';
export interface UiSlice {
  theme: Theme;
  view: View;
  setView(view: View): void;
  helpOpen: boolean;
  logOpen: boolean;
  toggleTheme(): void;
  setHelpOpen(open: boolean): void;
  setLogOpen(open: boolean): void;
}

export const createUiSlice: StateCreator<Workbench, [], [], UiSlice> = (set) => ({
  theme: 'light',
  view: 'library',
  setView: (view) => set({ view }),
  helpOpen: false,
  logOpen: false,
  toggleTheme: () => set((s) => ({ theme: s.theme === 'light' ? 'dark' : 'light' })),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setLogOpen: (logOpen) => set({ logOpen }),
});
