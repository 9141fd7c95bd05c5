/**
 * What the media Worker needs from a Worker it shares decoded frames with
 * (the pixel-operations Worker): one method that keeps frames by key. Declared
 * here, below both, so media does not import the Worker it feeds.
 */
import type { RgbaFrame } from '../core/frame';

/** Frames delivered to a linked Worker, each under the key its reader will ask for. */
export interface StoreFramesRequest {
  frames: { key: string; frame: RgbaFrame }[];
}

/** The methods a Worker that receives shared frames declares. */
export interface FrameSinkMethods {
  /** Keeps `frames` by key (replacing a frame already kept under the same key). */
  store(request: StoreFramesRequest): void;
}
