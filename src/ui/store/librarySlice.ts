import type { StateCreator } from 'zustand';
import { CorruptFileError, serializeError } from '../../media/errors';
import { looksLikeVideo, newVideoRecord, type SceneRef, type VideoRecord } from '../../library/videoRecord';
import type { Workbench } from './index';
import { libraryDb, mediaWorker } from './services';

export interface LibrarySlice {
  videos: VideoRecord[];
  libraryLoaded: boolean;
  selectedId: string | null;
  /** The last removed video, for undo. */
  lastRemoved: VideoRecord | null;
  /** How far probing has read each video that is being probed, 0..1. */
  probeProgress: Record<string, number>;
  loadLibrary(): Promise<void>;
  /** Adds files; from a folder, files that do not look like videos are skipped. `scenes[i]` marks `files[i]` as a demo of that scene. */
  addFiles(files: File[], options?: { fromFolder?: boolean; scenes?: (SceneRef | undefined)[] }): Promise<void>;
  removeVideo(id: string): Promise<void>;
  undoRemove(): Promise<void>;
  select(id: string | null): void;
  selectRelative(step: number): void;
}

/** Probes in flight, so removing a video stops its probe. */
const probing = new Map<string, AbortController>();

export const createLibrarySlice: StateCreator<Workbench, [], [], LibrarySlice> = (set, get) => {
  /** Replaces a record in state and storage, unless it was removed meanwhile. */
  const save = async (record: VideoRecord) => {
    if (!get().videos.some((v) => v.id === record.id)) return;
    set((s) => ({ videos: s.videos.map((v) => (v.id === record.id ? record : v)) }));
    await (await libraryDb()).put(record);
  };

  /** Probes and thumbnails a new record; failures land on the record and in the log. */
  const analyse = async (record: VideoRecord) => {
    const controller = new AbortController();
    probing.set(record.id, controller);
    const onProgress = (fraction: number) => set((s) => ({ probeProgress: { ...s.probeProgress, [record.id]: fraction } }));
    try {
      const { probe, timeline } = await mediaWorker().probe(record.file, undefined, { signal: controller.signal, onProgress });
      let next: VideoRecord = { ...record, probe, timeline, status: 'ready' };
      const fail = (error: unknown) => {
        next = { ...next, status: 'error', error: serializeError(error) };
        get().addLog('error', record.name, `${next.error!.name}: ${next.error!.message}`);
      };
      // A truncated file still shows what it has; its card says what is missing.
      if (probe.truncated) fail(new CorruptFileError('the file is truncated: the data of its last frames is missing'));
      await save(next);
      try {
        next = { ...next, thumbnail: await mediaWorker().thumbnail(record.file, timeline) };
      } catch (error) {
        fail(error);
      }
      await save(next);
    } catch (error) {
      if (controller.signal.aborted) return; // removed while probing
      const e = serializeError(error);
      get().addLog('error', record.name, `${e.name}: ${e.message}`);
      await save({ ...record, status: 'error', error: e }).catch((s: Error) => get().addLog('error', record.name, `could not save: ${s.message}`));
    } finally {
      probing.delete(record.id);
      set((s) => {
        const { [record.id]: _done, ...rest } = s.probeProgress;
        return { probeProgress: rest };
      });
    }
  };

  return {
    videos: [],
    libraryLoaded: false,
    selectedId: null,
    lastRemoved: null,
    probeProgress: {},

    loadLibrary: async () => {
      const videos = await (await libraryDb()).list();
      set((s) => ({
        videos,
        libraryLoaded: true,
        selectedId: videos.some((v) => v.id === s.selectedId) ? s.selectedId : null,
      }));
      // A reload during probing leaves records half done: finish them.
      for (const v of videos) if (v.status === 'probing') void analyse(v);
    },

    addFiles: async (files, { fromFolder = false, scenes } = {}) => {
      const sceneOf = new Map(files.map((f, i) => [f, scenes?.[i]]));
      const kept = fromFolder ? files.filter(looksLikeVideo) : files;
      if (kept.length < files.length) get().addLog('info', 'folder', `skipped ${files.length - kept.length} file(s) that are not videos`);
      const known = new Set(get().videos.map((v) => v.id));
      const records = kept.map((f) => ({ ...newVideoRecord(f), ...(sceneOf.get(f) && { scene: sceneOf.get(f) }) })).filter((r) => !known.has(r.id) && known.add(r.id));
      if (records.length === 0) return;
      const db = await libraryDb();
      const stored: VideoRecord[] = [];
      for (const r of records) {
        try {
          await db.put(r);
          stored.push(r);
        } catch (error) {
          // e.g. QuotaExceededError: the file is not kept, the rest of the library is untouched
          get().addLog('error', r.name, `could not store the file in this browser: ${(error as Error).name}: ${(error as Error).message}`);
        }
      }
      if (stored.length === 0) return;
      set((s) => ({ videos: [...s.videos, ...stored], selectedId: s.selectedId ?? stored[0].id }));
      for (const r of stored) await analyse(r);
    },

    removeVideo: async (id) => {
      const s = get();
      const index = s.videos.findIndex((v) => v.id === id);
      if (index < 0) return;
      const removed = s.videos[index];
      const rest = s.videos.filter((v) => v.id !== id);
      const selectedId = s.selectedId === id ? (rest[Math.min(index, rest.length - 1)]?.id ?? null) : s.selectedId;
      probing.get(id)?.abort();
      set({ videos: rest, lastRemoved: removed, selectedId });
      await (await libraryDb()).delete(id);
    },

    undoRemove: async () => {
      const removed = get().lastRemoved;
      if (!removed) return;
      await (await libraryDb()).put(removed);
      set((s) => ({
        videos: [...s.videos, removed].sort((a, b) => a.addedAt - b.addedAt),
        lastRemoved: null,
        selectedId: removed.id,
      }));
      if (removed.status === 'probing') void analyse(removed); // its probe was stopped by the removal
    },

    select: (selectedId) => set({ selectedId }),

    selectRelative: (step) => {
      const { videos, selectedId } = get();
      if (videos.length === 0) return;
      const current = videos.findIndex((v) => v.id === selectedId);
      const next = current < 0 ? 0 : Math.min(Math.max(current + step, 0), videos.length - 1);
      set({ selectedId: videos[next].id });
    },
  };
};
