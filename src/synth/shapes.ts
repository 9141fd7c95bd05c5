/**
 * The shapes' geometry, shared by the rasterizer and by the coverage facts
 * (so "hidden" in a question means hidden in the pixels).
 */
import type { Shape } from './scene';

/** Whether the offset (dx, dy) from the centre lies inside `shape` of half-extent r (triangle: point up). */
export function insideShape(shape: Shape, dx: number, dy: number, r: number): boolean {
  if (shape === 'circle') return dx * dx + dy * dy <= r * r;
  if (shape === 'square') return dx <= r && dx >= -r && dy <= r && dy >= -r;
  // Apex (0, -r), base corners (+-r, r): inside above the base and between the two slanted edges.
  return dy <= r && 2 * (dx < 0 ? -dx : dx) <= dy + r;
}
