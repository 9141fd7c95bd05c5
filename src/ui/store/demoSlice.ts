import type { StateCreator } from 'zustand';
import { generateScene } from '../../synth';
import { DEMOS_OFFERED_KEY, DEMO_FILE_TIME, DEMO_FPS, DEMO_SCENES, demoFrames, demoName, sameScene } from '../demo/demoScenes';
import type { Workbench } from './index';


export interface DemoSlice {
  /** Demo videos being made: how many are done. */
  demoProgress: { done: number; total: number } | null;
  /**
   * Renders the demo scenes that are not in the library, encodes each to an
   * H.264 MP4 in the browser (mediabunny) and adds them as files, through
   * the same probe/sample/decode path as a user's videos.
   */
  addDemoVideos(): Promise<void>;
  /** On the first start in this browser (library loaded and empty), adds the demo videos. */
  seedDemoVideos(): Promise<void>;
}

export const createDemoSlice: StateCreator<Workbench, [], [], DemoSlice> = (set, get) => ({
  demoProgress: null,

  addDemoVideos: async () => {
    if (get().demoProgress) return;
    const missing = DEMO_SCENES.map((ref, i) => ({ ref, i })).filter(({ ref }) => !get().videos.some((v) => sameScene(v.scene, ref)));
    if (missing.length === 0) return get().addLog('info', 'demo videos', 'every demo video is already in the library');
    set({ demoProgress: { done: 0, total: missing.length } });
    try {
      // The encoder (mediabunny) loads only when demo videos are made, not with the first view.
      const { encodeClip } = await import('../../media/encodeClip');
      const files: File[] = [];
      for (const [k, { ref, i }] of missing.entries()) {
        const bytes = await encodeClip(demoFrames(generateScene(ref.split, ref.seed)), DEMO_FPS);
        files.push(new File([bytes as Uint8Array<ArrayBuffer>], demoName(ref, i), { type: 'video/mp4', lastModified: DEMO_FILE_TIME }));
        set({ demoProgress: { done: k + 1, total: missing.length } });
      }
      await get().addFiles(files, { scenes: missing.map((m) => m.ref) });
      get().addLog('info', 'demo videos', `added ${files.length} synthetic demo video(s) with ground-truth questions`);
    } catch (error) {
      get().addLog('error', 'demo videos', `could not make the demo videos: ${(error as Error).name}: ${(error as Error).message}`);
    } finally {
      set({ demoProgress: null });
    }
  },

  seedDemoVideos: async () => {
    if (!get().libraryLoaded || localStorage.getItem(DEMOS_OFFERED_KEY)) return;
    localStorage.setItem(DEMOS_OFFERED_KEY, '1');
    if (get().videos.length > 0) return; // a library from before the demos: it is not a first start
    await get().addDemoVideos();
  },
});
