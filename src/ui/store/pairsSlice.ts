import type { StateCreator } from 'zustand';
import { importText } from '../../export';
import {
  type EditableField,
  type PairFilters,
  type PairStatus,
  type PreferencePair,
  type Project,
  type RecordError,
  editText,
  filterPairs,
  matchVideos,
  setStatus,
  setTags,
  swapSides,
} from '../../pairs';
import type { Workbench } from './index';
import { pairsDb } from './services';

export interface ImportReport {
  file: string;
  imported: number;
  /** Records whose id the project already has: skipped, the stored pair kept. */
  duplicates: number;
  errors: RecordError[];
  formats: Record<string, number>;
  /** Video paths of imported pairs that match no library video (the pairs are kept). */
  unmatched: string[];
  ms: number;
}

interface UndoEntry {
  label: string;
  /** Pairs as they were before (restored on undo). */
  before: PreferencePair[];
  /** Pairs the action added (deleted on undo). */
  added: string[];
}

export interface PairsSlice {
  projects: Project[];
  projectId: string | null;
  pairs: PreferencePair[];
  pairsLoaded: boolean;
  currentPairId: string | null;
  filters: PairFilters;
  bulk: boolean;
  selectedPairs: string[];
  editing: boolean;
  undoStack: UndoEntry[];
  importProgress: { done: number; total: number } | null;
  importReport: ImportReport | null;
  pairsError: string | null;
  loadPairs(): Promise<void>;
  /** Reads the project list only (for the header), unless the pairs are already loaded. */
  loadProjects(): Promise<void>;
  createProject(name: string): Promise<void>;
  switchProject(id: string): Promise<void>;
  importPairsFile(file: File): Promise<void>;
  moveCursor(step: number): void;
  selectPair(id: string): void;
  decide(status: PairStatus): Promise<void>;
  swapCurrent(): Promise<void>;
  setEditing(editing: boolean): void;
  saveEdit(changes: Partial<Record<EditableField, string>>, tags?: string[]): Promise<void>;
  setFilters(filters: PairFilters): void;
  toggleBulk(): void;
  toggleSelected(id: string): void;
  selectAllVisible(): void;
  bulkDecide(status: PairStatus): Promise<void>;
  undoPairs(): Promise<void>;
  /** Adds pairs made in the workbench (Align) to the current project; a pair whose id the project has is kept as curated. */
  addGeneratedPairs(records: PreferencePair[]): Promise<{ added: number; kept: number }>;
}

const UNDO_DEPTH = 50;

export const createPairsSlice: StateCreator<Workbench, [], [], PairsSlice> = (set, get) => {
  /** Writes changed pairs (one transaction), then shows them; the previous versions go on the undo stack. */
  const commit = async (label: string, changed: PreferencePair[], added: string[] = []) => {
    const project = get().projectId;
    if (!project || changed.length === 0) return;
    const byId = new Map(get().pairs.map((p) => [p.id, p]));
    const fresh = new Set(added);
    const before = changed.flatMap((p) => (byId.has(p.id) && !fresh.has(p.id) ? [byId.get(p.id)!] : []));
    try {
      await (await pairsDb()).putPairs(project, changed);
    } catch (e) {
      set({ pairsError: `could not save: ${(e as Error).message}` });
      return;
    }
    // Merged into the state as it is now: another commit may have landed while this one was writing.
    const changedById = new Map(changed.map((p) => [p.id, p]));
    set((s) => {
      const present = new Set(s.pairs.map((p) => p.id));
      return {
        pairs: [...s.pairs.map((p) => changedById.get(p.id) ?? p), ...changed.filter((p) => !present.has(p.id))],
        undoStack: [...s.undoStack.slice(-UNDO_DEPTH + 1), { label, before, added }],
        pairsError: null,
      };
    });
  };

  /** The pairs the queue shows (filters applied), and the pair under the cursor (the first of them by default). */
  const visible = () => filterPairs(get().pairs, get().filters);
  const current = () => get().pairs.find((p) => p.id === get().currentPairId) ?? visible()[0] ?? null;

  return {
    projects: [],
    projectId: null,
    pairs: [],
    pairsLoaded: false,
    currentPairId: null,
    filters: {},
    bulk: false,
    selectedPairs: [],
    editing: false,
    undoStack: [],
    importProgress: null,
    importReport: null,
    pairsError: null,

    loadProjects: async () => {
      const projects = await (await pairsDb()).projects();
      if (!get().pairsLoaded) set({ projects });
    },

    loadPairs: async () => {
      const db = await pairsDb();
      let projects = await db.projects();
      if (projects.length === 0) {
        const first = { id: 'default', name: 'Default', created_at: Date.now() };
        await db.putProject(first);
        projects = [first];
      }
      const projectId = projects.some((p) => p.id === get().projectId) ? get().projectId! : projects[0].id;
      set({ projects, projectId, pairs: await db.pairs(projectId), pairsLoaded: true, undoStack: [] });
    },

    createProject: async (name) => {
      const project = { id: `p-${Date.now().toString(36)}`, name: name.trim() || 'Untitled', created_at: Date.now() };
      await (await pairsDb()).putProject(project);
      set((s) => ({ projects: [...s.projects, project] }));
      await get().switchProject(project.id);
    },

    switchProject: async (id) => {
      set({ projectId: id, pairs: await (await pairsDb()).pairs(id), currentPairId: null, selectedPairs: [], undoStack: [], importReport: null });
    },

    importPairsFile: async (file) => {
      const t0 = performance.now();
      set({ importProgress: { done: 0, total: 1 }, importReport: null });
      const text = await file.text();
      const result = await importText(text, {
        onProgress: (done, total) => set({ importProgress: { done, total } }),
        yieldEvery: () => new Promise((r) => setTimeout(r, 0)),
      });
      const existing = new Set(get().pairs.map((p) => p.id));
      const fresh = result.pairs.filter((p) => !existing.has(p.id));
      const { unmatched } = matchVideos(fresh, get().videos);
      await commit(`import ${file.name}`, fresh, fresh.map((p) => p.id));
      set({
        importProgress: null,
        importReport: {
          file: file.name,
          imported: fresh.length,
          duplicates: result.pairs.length - fresh.length,
          errors: result.errors,
          formats: result.formats as Record<string, number>,
          unmatched,
          ms: performance.now() - t0,
        },
      });
      if (result.errors.length) get().addLog('error', file.name, `${result.errors.length} malformed records (first: line ${result.errors[0].line}, ${result.errors[0].field}: ${result.errors[0].message})`);
    },

    moveCursor: (step) => {
      const list = visible();
      if (list.length === 0) return;
      const at = list.findIndex((p) => p.id === current()?.id);
      const next = list[Math.min(list.length - 1, Math.max(0, (at < 0 ? 0 : at) + step))];
      set({ currentPairId: next.id, editing: false });
    },
    selectPair: (id) => set({ currentPairId: id, editing: false }),

    decide: async (status) => {
      const pair = current();
      if (!pair) return;
      const list = visible();
      const at = list.findIndex((p) => p.id === pair.id);
      // On to the next pair of the queue as it was (a status filter may hide the decided one), at once,
      // so keys pressed quickly decide successive pairs rather than this one again.
      const next = list[at + 1] ?? list[at - 1];
      if (next) set({ currentPairId: next.id, editing: false });
      await commit(`${status} ${pair.id}`, [setStatus(pair, status)]);
    },

    swapCurrent: async () => {
      const pair = current();
      if (pair) await commit(`swap ${pair.id}`, [swapSides(pair)]);
    },

    setEditing: (editing) => set({ editing }),

    saveEdit: async (changes, tags) => {
      const pair = current();
      if (!pair) return;
      let next = pair;
      for (const [field, text] of Object.entries(changes)) next = editText(next, field as EditableField, text!);
      if (tags) next = setTags(next, tags);
      set({ editing: false });
      if (next !== pair) await commit(`edit ${pair.id}`, [next]);
    },

    setFilters: (filters) => set({ filters, selectedPairs: [] }),
    toggleBulk: () => set((s) => ({ bulk: !s.bulk, selectedPairs: [] })),
    toggleSelected: (id) => set((s) => ({ selectedPairs: s.selectedPairs.includes(id) ? s.selectedPairs.filter((x) => x !== id) : [...s.selectedPairs, id] })),
    selectAllVisible: () => set({ selectedPairs: visible().map((p) => p.id) }),

    bulkDecide: async (status) => {
      const chosen = new Set(get().selectedPairs);
      const changed = get().pairs.filter((p) => chosen.has(p.id)).map((p) => setStatus(p, status));
      await commit(`${status} ${changed.length} pairs`, changed);
      set({ selectedPairs: [] });
    },

    addGeneratedPairs: async (records) => {
      if (!get().pairsLoaded) await get().loadPairs();
      const existing = new Set(get().pairs.map((p) => p.id));
      const fresh = records.filter((p) => !existing.has(p.id));
      await commit(`add ${fresh.length} self-generated pairs`, fresh, fresh.map((p) => p.id));
      return { added: fresh.length, kept: records.length - fresh.length };
    },

    undoPairs: async () => {
      const entry = get().undoStack.at(-1);
      const project = get().projectId;
      if (!entry || !project) return;
      const db = await pairsDb();
      if (entry.before.length) await db.putPairs(project, entry.before);
      if (entry.added.length) await db.deletePairs(project, entry.added);
      const restored = new Map(entry.before.map((p) => [p.id, p]));
      const added = new Set(entry.added);
      set((s) => ({
        pairs: s.pairs.filter((p) => !added.has(p.id)).map((p) => restored.get(p.id) ?? p),
        undoStack: s.undoStack.slice(0, -1),
      }));
      get().addLog('info', 'curation', `undid: ${entry.label}`);
    },
  };
};
