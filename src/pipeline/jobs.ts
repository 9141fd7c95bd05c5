/**
 * The work of a run: one job per video and category, each with a stable key,
 * so a run resumed from its own output (or after a reload) skips what is done
 * and never asks twice.
 */
import type { Category } from '../adversary/types';

export interface PipelineVideo {
  /** Library id (or any key the frame source knows the video by). */
  id: string;
  /** Relative to the dataset root, forward slashes: what pair records store. */
  path: string;
}

export interface PipelineJob {
  key: string;
  video: PipelineVideo;
  category: Category;
  /** The adversary spec's seed: picks the query template and its rewrites. */
  seed: number;
}

export const jobKey = (path: string, category: Category, seed: number) => `${path}|${category}|${seed}`;

/** Every (video, category) job of a run, videos in the order given. */
export function planJobs(videos: readonly PipelineVideo[], categories: readonly Category[], seed: number): PipelineJob[] {
  return videos.flatMap((video) => categories.map((category) => ({ key: jobKey(video.path, category, seed), video, category, seed })));
}
