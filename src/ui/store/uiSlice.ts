import type { StateCreator } from 'zustand';
import type { Workbench } from './index';

export type Theme = 'light' | 'dark';
export interface UiSlice {
  theme: Theme;
  helpOpen: boolean;
  logOpen: boolean;
  toggleTheme(): void;
  setHelpOpen(open: boolean): void;
  setLogOpen(open: boolean): void;
}

export const createUiSlice: StateCreator<Workbench, [], [], UiSlice> = (set) => ({
  theme: 'light',
  helpOpen: false,
  logOpen: false,
  toggleTheme: () => set((s) => ({ theme: s.theme === 'light' ? 'dark' : 'light' })),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
  setLogOpen: (logOpen) => set({ logOpen }),
});
