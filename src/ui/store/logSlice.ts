import type { StateCreator } from 'zustand';
import type { Workbench } from './index';

export interface LogEntry {
  id: number;
  time: number;
  level: 'info' | 'error';
  /** What it is about, e.g. a file name. */
  subject: string;
  message: string;
}

export interface LogSlice {
  log: LogEntry[];
  addLog(level: LogEntry['level'], subject: string, message: string): void;
  clearLog(): void;
}

let nextId = 1;
const MAX_ENTRIES = 500;

export const createLogSlice: StateCreator<Workbench, [], [], LogSlice> = (set) => ({
  log: [],
  addLog: (level, subject, message) =>
    set((s) => ({ log: [...s.log.slice(-(MAX_ENTRIES - 1)), { id: nextId++, time: Date.now(), level, subject, message }] })),
  clearLog: () => set({ log: [] }),
});
