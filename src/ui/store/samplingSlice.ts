import type { StateCreator } from 'zustand';
import { serializeError, type SerializedMediaError } from '../../media/errors';
import type { SampledFrame } from '../../core/frame';
import { DEFAULT_FRAME_COUNT, planFrames, type FramePlan, type SamplingSpec } from '../../media/samplers';
import type { Workbench } from './index';
import { mediaWorker } from './services';

export interface SamplingSlice {
  spec: SamplingSpec;
  /** Longest side of decoded frames, pixels. */
  maxSide: number;
  plan: FramePlan | null;
  frames: SampledFrame[] | null;
  /** Which video the plan and frames belong to. */
  framesFor: string | null;
  progress: { done: number; total: number } | null;
  samplingError: SerializedMediaError | null;
  setSpec(spec: SamplingSpec): void;
  setMaxSide(maxSide: number): void;
  /** Plans and decodes the selected video's frames; a newer call cancels an older one. */
  sampleSelected(): Promise<void>;
  cancelSampling(): void;
}

export const DEFAULT_SPEC: SamplingSpec = { mode: 'uniform', n: DEFAULT_FRAME_COUNT };
export const DEFAULT_MAX_SIDE = 224;

let running: AbortController | null = null;

export const createSamplingSlice: StateCreator<Workbench, [], [], SamplingSlice> = (set, get) => ({
  spec: DEFAULT_SPEC,
  maxSide: DEFAULT_MAX_SIDE,
  plan: null,
  frames: null,
  framesFor: null,
  progress: null,
  samplingError: null,

  setSpec: (spec) => set({ spec }),
  setMaxSide: (maxSide) => set({ maxSide }),

  sampleSelected: async () => {
    running?.abort();
    running = null;
    const { videos, selectedId, spec, maxSide } = get();
    const video = videos.find((v) => v.id === selectedId);
    if (!video?.timeline || !video.probe) {
      set({ plan: null, frames: null, framesFor: null, progress: null, samplingError: null });
      return;
    }
    // No decoder for it here: its error is on the record already, and a decode would only repeat it.
    if (video.probe.decodable === false) {
      set({ plan: null, frames: null, framesFor: video.id, progress: null, samplingError: null });
      return;
    }
    let plan: FramePlan;
    try {
      plan = planFrames(video.timeline, spec);
    } catch (error) {
      set({ plan: null, frames: null, framesFor: video.id, progress: null, samplingError: serializeError(error) });
      return;
    }
    const controller = new AbortController();
    running = controller;
    set({ plan, frames: null, framesFor: video.id, progress: { done: 0, total: new Set(plan.picks.map((p) => p.index)).size }, samplingError: null });
    try {
      const frames = await mediaWorker().decode(video.file, video.timeline, plan, { maxSide }, {
        signal: controller.signal,
        onProgress: (done, total) => set({ progress: { done, total } }),
      });
      if (running === controller) set({ frames, progress: null });
    } catch (error) {
      if (running !== controller) return; // superseded
      const e = serializeError(error);
      set({ progress: null, samplingError: e });
      if (e.code !== 'cancelled') get().addLog('error', video.name, `${e.name}: ${e.message}`);
    } finally {
      if (running === controller) running = null;
    }
  },

  cancelSampling: () => running?.abort(),
});
