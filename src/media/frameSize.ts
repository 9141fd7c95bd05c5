/** Output size for a frame of `width` x `height` whose longer side may be at most `maxSide` (never upscaled). */
export function fitMaxSide(width: number, height: number, maxSide?: number): { width: number; height: number } {
  if (!maxSide || Math.max(width, height) <= maxSide) return { width, height };
  const scale = maxSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
