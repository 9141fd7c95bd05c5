/**
 * The size and orientation of a video's frames as trainers read them, which
 * is not always what a player shows: a player stretches non-square pixels to
 * the display aspect; decord, torchvision and PyAV return the coded picture.
 */

/** What the container says about the picture (mediabunny's track fields). */
export interface PictureGeometry {
  codedWidth: number;
  codedHeight: number;
  /** Clockwise rotation to display, 0, 90, 180 or 270 (mediabunny's convention). */
  rotation: number;
}

/** The coded picture turned by the rotation, pixels taken as square: the size of the frames we sample. */
export function frameSizeOf(g: PictureGeometry): { width: number; height: number } {
  const sideways = g.rotation % 180 !== 0;
  return { width: sideways ? g.codedHeight : g.codedWidth, height: sideways ? g.codedWidth : g.codedHeight };
}

/**
 * The rotation as ffprobe prints it (its display matrix `rotation`, in
 * counter-clockwise degrees, in (-180, 180]): mediabunny's clockwise 90 is
 * ffprobe's -90, clockwise 270 is ffprobe's 90.
 */
export function ffprobeRotation(clockwise: number): number {
  const cw = ((clockwise % 360) + 360) % 360;
  return cw === 0 ? 0 : cw <= 180 ? -cw : 360 - cw;
}

/** Output size for a frame of `width` x `height` whose longer side may be at most `maxSide` (never upscaled). */
export function fitMaxSide(width: number, height: number, maxSide?: number): { width: number; height: number } {
  if (!maxSide || Math.max(width, height) <= maxSide) return { width, height };
  const scale = maxSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
