/**
 * An adversarial view with its pixels: decodes the frames it needs (cached),
 * then applies its pixel operations in the pixel Worker, which already holds
 * the frames (by key). Used by Inspect, Curate and the export bundle.
 */
import type { AdversarialView, VideoSource, ViewFrame } from '../../adversary';
import type { RgbaFrame } from '../../core/frame';
import type { RenderJob } from '../../adversary/workerHost';
import { type VideoRecord, isDecodable } from '../../library/videoRecord';
import { pixelWorker } from '../workers';
import { NamedError } from '../../core/errors';
import { FRAME_CACHE_CAPACITY, cachedFrame, ensureFrames, frameKey } from './frameStore';

/** The library's probed videos as adversary sources (what splices and swaps may take frames from). */
export const librarySources = (videos: readonly VideoRecord[]): Map<string, VideoSource> =>
  new Map(videos.flatMap((v) => (isDecodable(v) ? [[v.id, { id: v.id, path: v.relativePath, timeline: v.timeline! }] as const] : [])));

export interface RenderedView {
  videoId: string;
  view: AdversarialView;
  preferred: RgbaFrame[];
  adversarial: RgbaFrame[];
  /** |adversarial − preferred at the same position|, null where not asked or sizes differ (frames of another video). */
  diffs: (RgbaFrame | null)[];
  /** Milliseconds from `t0` to the pixels being ready. */
  renderMs: number;
}

export interface RenderOptions {
  maxSide: number;
  /** Also compute difference images. */
  overlay?: boolean;
  signal?: AbortSignal;
  t0?: number;
  onProgress?(done: number, total: number): void;
}

/** A view that needs more distinct frames than the frame cache holds (it would evict its own frames). */
export class ViewTooLargeError extends NamedError {
  static override readonly errorName = 'ViewTooLargeError';
}

export async function renderView(view: AdversarialView, videoId: string, videos: readonly VideoRecord[], options: RenderOptions): Promise<RenderedView> {
  const { maxSide, overlay = false, signal, t0 = performance.now(), onProgress } = options;
  const all = [...view.preferred.frames, ...view.adversarial.frames];
  const distinct = new Set(all.map((f) => frameKey(f.video, f.index, maxSide))).size;
  if (distinct > FRAME_CACHE_CAPACITY) {
    throw new ViewTooLargeError(`this view needs ${distinct} frames and the frame cache holds ${FRAME_CACHE_CAPACITY}: lower the preferred view's budget`);
  }
  const byVideo = new Map<string, number[]>();
  for (const f of all) byVideo.set(f.video, [...(byVideo.get(f.video) ?? []), f.index]);
  let done = 0;
  for (const [id, indices] of byVideo) {
    const video = videos.find((v) => v.id === id);
    if (!video) throw new Error(`video ${id} is not in the library`);
    await ensureFrames(video, indices, maxSide, { signal, onProgress: (d) => onProgress?.(done + d, all.length) });
    done += new Set(indices).size;
  }
  const keyOf = (f: ViewFrame) => frameKey(f.video, f.index, maxSide);
  const frameOf = (f: ViewFrame) => {
    const frame = cachedFrame(f.video, f.index, maxSide);
    if (!frame) throw new ViewTooLargeError(`frame ${f.index} of the view was dropped from the frame cache before it was drawn`);
    return frame;
  };
  const preferred = view.preferred.frames.map(frameOf);
  const n = view.adversarial.frames.length;
  const sources = view.adversarial.frames.map(frameOf);
  // Only frames with pixel operations go to the Worker; difference images only when asked.
  const jobs = view.adversarial.frames.flatMap((f, i): (RenderJob & { slot: number })[] => {
    if (!f.ops.length && !overlay) return [];
    const p = Math.min(preferred.length - 1, Math.floor(((i + 0.5) / n) * preferred.length));
    return [{ slot: i, source: keyOf(f), ops: f.ops, compareWith: overlay ? keyOf(view.preferred.frames[p]) : undefined }];
  });
  const adversarial = [...sources];
  const diffs: (RgbaFrame | null)[] = sources.map(() => null);
  if (jobs.length) {
    const out = await pixelWorker().call('render', { jobs: jobs.map(({ slot: _slot, ...job }) => job) }, { signal });
    jobs.forEach((j, k) => {
      adversarial[j.slot] = out.frames[k];
      diffs[j.slot] = out.diffs[k];
    });
  }
  return { videoId, view, preferred, adversarial, diffs, renderMs: performance.now() - t0 };
}
