/**
 * The frame type every layer shares: decoded video, the synthetic world's
 * rasterizer, the inspector, the model's input and endpoint payloads.
 */

/** An RGBA image, 8 bits per channel, rows top to bottom, no padding. */
export interface RgbaFrame {
  width: number;
  height: number;
  data: Uint8ClampedArray<ArrayBuffer>;
}

/** A frame taken from a video by a sampling plan: its pixels, where it came from and when it is shown. */
export interface SampledFrame extends RgbaFrame {
  /** Position in the sampled sequence. */
  slot: number;
  /** Source frame index in presentation order. */
  index: number;
  /** Source frame presentation timestamp, seconds. */
  timestamp: number;
}
