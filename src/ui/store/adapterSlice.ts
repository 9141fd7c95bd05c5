/**
 * The adapter the model views use: the one trained last in the Align view
 * or loaded from files, kept in IndexedDB (alignDb), and the switch that
 * merges it into the model Worker's weights for every Ask, Inspect and
 * Evaluate pass. The switch persists (prefs); the files stay in memory here
 * once read.
 */
import type { StateCreator } from 'zustand';
import { serializeError } from '../../core/errors';
import type { AdapterFile } from '../../model';
import { type StoredAdapter, alignDb } from '../align/alignDb';
import { modelWorker } from '../modelWorker';
import type { Workbench } from './index';
import type { ShownError } from './modelSlice';

/** The active adapter as the views show it (its files are held apart, see `adapterFilesNow`). */
export type AdapterMeta = Omit<StoredAdapter, 'files'>;

export interface AdapterSlice {
  adapterMeta: AdapterMeta | null;
  /** Whether model passes use the adapter (persisted). */
  adapterOn: boolean;
  adapterError: ShownError | null;
  /** Reads the stored adapter (once, at start). */
  loadStoredAdapter(): Promise<void>;
  /** Makes `files` the active adapter (stored), switching it on. */
  setActiveAdapter(files: Record<AdapterFile, Uint8Array>, meta: Omit<AdapterMeta, 'createdAt'>): Promise<void>;
  setAdapterOn(on: boolean): Promise<void>;
  /** Brings the model Worker in line with the switch (after a load or a Worker restart). */
  syncAdapter(): Promise<void>;
}

let files: Record<AdapterFile, Uint8Array> | null = null;
/** What the model Worker was last told, per Worker start (a replaced Worker starts with none). */
let applied: { starts: number; name: string | null } = { starts: -1, name: null };
/** The active adapter's files, or null. */
export const adapterFilesNow = () => files;

export const createAdapterSlice: StateCreator<Workbench, [], [], AdapterSlice> = (set, get) => ({
  adapterMeta: null,
  adapterOn: false,
  adapterError: null,

  loadStoredAdapter: async () => {
    try {
      const stored = await (await alignDb()).activeAdapter();
      if (!stored) return;
      files = stored.files;
      const { files: _f, ...meta } = stored;
      set({ adapterMeta: meta });
    } catch (e) {
      get().addLog('error', 'adapter', `could not read the stored adapter: ${(e as Error).message}`);
    }
  },

  setActiveAdapter: async (next, meta) => {
    const stored: StoredAdapter = { ...meta, createdAt: Date.now(), files: next };
    files = next;
    set({ adapterMeta: { ...meta, createdAt: stored.createdAt }, adapterError: null });
    try {
      await (await alignDb()).setActiveAdapter(stored);
    } catch (e) {
      get().addLog('error', 'adapter', `could not store the adapter: ${(e as Error).message}`);
    }
    await get().syncAdapter();
  },

  setAdapterOn: async (on) => {
    set({ adapterOn: on, adapterError: null });
    await get().syncAdapter();
  },

  syncAdapter: async () => {
    const info = get().modelInfo;
    if (!info) return; // merged when the model loads (loadModel calls this)
    const wanted = get().adapterOn && files ? get().adapterMeta!.name : null;
    const starts = modelWorker().starts;
    const current = applied.starts === starts ? applied.name : info.adapter;
    if (current === wanted) {
      if (info.adapter !== wanted) set((s) => ({ modelInfo: s.modelInfo && { ...s.modelInfo, adapter: wanted } }));
      return;
    }
    try {
      const r = await modelWorker().call('setAdapter', { name: wanted ?? '', files: wanted ? files : null });
      applied = { starts, name: r.adapter };
      set((s) => ({ modelInfo: s.modelInfo && { ...s.modelInfo, adapter: r.adapter } }));
      get().addLog('info', 'adapter', r.adapter ? `model passes use the adapter "${r.adapter}"` : 'model passes use the base model (adapter off)');
    } catch (e) {
      const s = serializeError(e);
      set({ adapterError: { name: s.name, message: s.message }, adapterOn: false });
      get().addLog('error', 'adapter', `${s.name}: ${s.message}`);
    }
  },
});
