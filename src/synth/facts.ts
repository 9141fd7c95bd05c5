/**
 * Facts read off a scene's tracks, the ground truth behind the questions:
 * when an object is visible, which way it moves, where it turns, how much of
 * it another object covers. Everything is derived from the per-tick states,
 * so a mirrored or reversed scene gets its facts from the same rules.
 */
import { DIRECTIONS, type Direction } from './motion';
import { insideShape } from './shapes';
import { TICKS, type SceneObject, type Shape } from './scene';

/** Ticks at which the object is visible, ascending. */
export const visibleTicks = (o: SceneObject): number[] => o.track.flatMap((s, t) => (s.visible ? [t] : []));

/** Maximal runs of consecutive visible ticks, as [first, last] pairs. */
export function visibleRuns(o: SceneObject): [number, number][] {
  const runs: [number, number][] = [];
  for (let t = 0; t < TICKS; t++) {
    if (!o.track[t].visible) continue;
    if (runs.length && runs[runs.length - 1][1] === t - 1) runs[runs.length - 1][1] = t;
    else runs.push([t, t]);
  }
  return runs;
}

/** Smallest step (normalized units per tick) that counts as moving. */
export const MIN_STEP = 0.025;

/** The direction of one step, 'still' when too small, null when diagonal (no axis dominates 2:1). */
export function stepDirection(dx: number, dy: number): Direction | 'still' | null {
  const ax = Math.abs(dx), ay = Math.abs(dy);
  if (Math.max(ax, ay) < MIN_STEP) return 'still';
  if (ax >= 2 * ay) return dx > 0 ? 'right' : 'left';
  if (ay >= 2 * ax) return dy > 0 ? 'down' : 'up';
  return null;
}

/** Step directions over the longest visible run (ties: the earliest), with the run. */
function stepsOfLongestRun(o: SceneObject) {
  const runs = visibleRuns(o);
  if (!runs.length) return undefined;
  const run = runs.reduce((a, b) => (b[1] - b[0] > a[1] - a[0] ? b : a));
  const steps: (Direction | 'still' | null)[] = [];
  for (let t = run[0]; t < run[1]; t++) steps.push(stepDirection(o.track[t + 1].x - o.track[t].x, o.track[t + 1].y - o.track[t].y));
  return { run, steps };
}

/**
 * The one direction of an object that moves straight while visible: one
 * visible run of at least 3 ticks, every step in the same direction, at least
 * 0.15 in all. Undefined otherwise (still, turning, stopping, diagonal).
 */
export function straightDirection(o: SceneObject): { direction: Direction; from: number; to: number } | undefined {
  const runs = visibleRuns(o);
  if (runs.length !== 1 || runs[0][1] - runs[0][0] < 2) return undefined;
  const s = stepsOfLongestRun(o)!;
  const d = s.steps[0];
  if (!d || d === 'still' || s.steps.some((x) => x !== d)) return undefined;
  const [from, to] = s.run;
  const a = o.track[from], b = o.track[to];
  if (Math.abs(b.x - a.x) + Math.abs(b.y - a.y) < 0.15) return undefined;
  return { direction: d, from, to };
}

/**
 * A single visible turn: over the longest visible run, at least two steps
 * one way then at least two steps another way. `tick` is the corner.
 */
export function turnOf(o: SceneObject): { tick: number; before: Direction; after: Direction } | undefined {
  const s = stepsOfLongestRun(o);
  if (!s || s.steps.length < 4) return undefined;
  const first = s.steps[0];
  if (!first || first === 'still') return undefined;
  let k = 0;
  while (k < s.steps.length && s.steps[k] === first) k++;
  const second = s.steps[k];
  if (k < 2 || !second || second === 'still' || s.steps.length - k < 2) return undefined;
  if (s.steps.slice(k).some((x) => x !== second)) return undefined;
  return { tick: s.run[0] + k, before: first, after: second };
}

// Sample points inside each unit shape (an 11x11 grid that includes the outline, so "fully covered" leaves no sliver).
const GRID = 11;
const UNIT_POINTS: Record<Shape, { x: number; y: number }[]> = { circle: [], square: [], triangle: [] };
for (const shape of Object.keys(UNIT_POINTS) as Shape[]) {
  for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) {
    const x = -1 + (2 * i) / (GRID - 1), y = -1 + (2 * j) / (GRID - 1);
    if (insideShape(shape, x, y, 1)) UNIT_POINTS[shape].push({ x, y });
  }
}

/** Fraction of `back` (at tick t) covered by the union of `fronts` that are visible then. */
export function coverage(back: SceneObject, fronts: readonly SceneObject[], t: number): number {
  const b = back.track[t];
  const pts = UNIT_POINTS[back.shape];
  // Only fronts whose bounding boxes meet the back's can cover any of it.
  const live = fronts.filter((f) => f !== back && f.track[t].visible &&
    Math.abs(f.track[t].x - b.x) < f.radius + back.radius && Math.abs(f.track[t].y - b.y) < f.radius + back.radius);
  if (!live.length) return 0;
  let covered = 0;
  for (const p of pts) {
    const x = b.x + p.x * back.radius, y = b.y + p.y * back.radius;
    // The tiny slack absorbs rounding when equal outlines coincide (a square over a circle of its size).
    if (live.some((f) => insideShape(f.shape, x - f.track[t].x, y - f.track[t].y, f.radius + 1e-9))) covered++;
  }
  return covered / pts.length;
}

/** The objects in front of `o` (larger depth). */
export const inFrontOf = (o: SceneObject, all: readonly SceneObject[]) => all.filter((f) => f.depth > o.depth);

export { DIRECTIONS, type Direction };
