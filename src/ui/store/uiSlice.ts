import type { StateCreator } from 'zustand';
import type { Workbench } from './index';

export type Theme = 'light' | 'dark';
export type ViewName = 'library';

export interface UiSlice {
  theme: Theme;
  view: ViewName;
  helpOpen: boolean;
  logOpen: boolean;
  toggleTheme(): void;
  setHelpOpen(open: boolean): void;
  setLogOpen(open: boolean): void;
}

export const createUiSlice: StateCreator<Workbench, [], [], UiSlice> = (set) => ({
  theme: 'light',
  view: 'library',
  helpOpen: false,
  logOpen: false,
  toggleTheme: () => set((s) => ({ theme: s.theme === 'light' ? 'dark' : 'light' })),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setLogOpen: (logOpen) => set({ logOpen }),
});
