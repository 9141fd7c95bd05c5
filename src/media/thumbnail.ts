/** A small JPEG of one early frame, for library cards. Needs OffscreenCanvas. */
import { decodePlan } from './decode';
import type { OpenedVideoCache } from './openedVideoCache';
import type { FramePlan } from './samplers';
import { indexAtTime, timestampOf, type FrameTimeline } from './timeline';

/** Where the thumbnail is taken: 10% into the video, past fade-ins and black first frames. */
export const THUMBNAIL_POSITION = 0.1;

export async function makeThumbnail(blob: Blob, timeline: FrameTimeline, maxSide = 192, cache?: OpenedVideoCache): Promise<Blob> {
  const index = indexAtTime(timeline, timeline.startTime + timeline.duration * THUMBNAIL_POSITION);
  const plan: FramePlan = { spec: { mode: 'uniform', n: 1 }, picks: [{ slot: 0, index, timestamp: timestampOf(timeline, index) }], notes: [] };
  const [frame] = await decodePlan(blob, timeline, plan, { maxSide, cache });
  const canvas = new OffscreenCanvas(frame.width, frame.height);
  canvas.getContext('2d')!.putImageData(new ImageData(frame.data, frame.width, frame.height), 0, 0);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
}
