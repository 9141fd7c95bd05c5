/**
 * Track builders: the per-tick paths of the world's motions (straight,
 * turning, stopping, entering, leaving, coming back, brief pop-ins,
 * crossings). Every builder returns exactly TICKS states. No trigonometry:
 * directions are axis-aligned with a random sideways drift, so the numbers
 * are the same in every JavaScript engine.
 */
import type { Random } from '../core/random';
import type { ObjectState } from './scene';

/** Number of ticks in a scene (mirrors scene.TICKS without importing a value from it). */
const N = 8;

/** An axis-aligned direction of motion, as the questions name it. */
export type Direction = 'left' | 'right' | 'up' | 'down';
/** The four directions, in the order options list them. */
export const DIRECTIONS: readonly Direction[] = ['left', 'right', 'up', 'down'];

/** Unit vector of a direction (y grows downwards). */
export const DIRECTION_VECTOR: Record<Direction, { x: number; y: number }> = {
  left: { x: -1, y: 0 }, right: { x: 1, y: 0 }, up: { x: 0, y: -1 }, down: { x: 0, y: 1 },
};

const pick = <T>(r: Random, items: readonly T[]): T => items[r.int(0, items.length - 1)];

/** A velocity mostly along `dir` with a sideways drift of at most `drift` times the speed. */
export function velocity(r: Random, dir: Direction, speed: number, drift = 0.2): { x: number; y: number } {
  const d = DIRECTION_VECTOR[dir];
  const side = r.uniform(-drift, drift) * speed;
  return { x: d.x * speed + (d.x === 0 ? side : 0), y: d.y * speed + (d.y === 0 ? side : 0) };
}

/** Visible where the centre is inside the frame: the rule for every motion that is not a pop-in. */
const onScreen = (x: number, y: number) => x >= 0 && x <= 1 && y >= 0 && y <= 1;

/** States from positions, visible wherever the centre is inside the frame. */
export function statesFromPath(path: readonly { x: number; y: number }[]): ObjectState[] {
  return path.map(({ x, y }) => ({ x, y, visible: onScreen(x, y) }));
}

/**
 * Scales a relative path down if it is too large for the frame and places it
 * at a random spot where every point stays at least `margin` inside, so it is
 * visible throughout.
 */
export function fitPath(r: Random, rel: readonly { x: number; y: number }[], margin = 0.1): { x: number; y: number }[] {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const p of rel) { x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y); }
  const room = 1 - 2 * margin;
  const scale = Math.min(1, room / Math.max(x1 - x0, 1e-9), room / Math.max(y1 - y0, 1e-9));
  const ox = margin - x0 * scale + r.uniform(0, room - (x1 - x0) * scale);
  const oy = margin - y0 * scale + r.uniform(0, room - (y1 - y0) * scale);
  return rel.map((p) => ({ x: ox + p.x * scale, y: oy + p.y * scale }));
}

/** Relative path: `v1` for the first `turnAt` ticks, then `v2` (v2 = v1 is a straight line, v2 = 0 a stop). */
function twoLegs(v1: { x: number; y: number }, v2: { x: number; y: number }, turnAt: number) {
  const out = [{ x: 0, y: 0 }];
  for (let t = 1; t < N; t++) {
    const v = t <= turnAt ? v1 : v2;
    out.push({ x: out[t - 1].x + v.x, y: out[t - 1].y + v.y });
  }
  return out;
}

/** A straight line at constant speed, on screen throughout. */
export function linearTrack(r: Random): ObjectState[] {
  const v = velocity(r, pick(r, DIRECTIONS), r.uniform(0.035, 0.1));
  return statesFromPath(fitPath(r, twoLegs(v, v, N)));
}

/** Standing still somewhere on screen. */
export function staticTrack(r: Random): ObjectState[] {
  const x = r.uniform(0.12, 0.88), y = r.uniform(0.12, 0.88);
  return statesFromPath(Array.from({ length: N }, () => ({ x, y })));
}

/** Moves straight, then stops at a tick in 2..5. */
export function stopTrack(r: Random): ObjectState[] {
  const v = velocity(r, pick(r, DIRECTIONS), r.uniform(0.05, 0.11));
  return statesFromPath(fitPath(r, twoLegs(v, { x: 0, y: 0 }, r.int(2, 5))));
}

/** Moves straight, then turns (to a perpendicular or the opposite direction) at a tick in 2..5. */
export function turnTrack(r: Random): ObjectState[] {
  const d1 = pick(r, DIRECTIONS);
  const d2 = pick(r, DIRECTIONS.filter((d) => d !== d1));
  const v1 = velocity(r, d1, r.uniform(0.06, 0.11), 0.15);
  const v2 = velocity(r, d2, r.uniform(0.06, 0.11), 0.15);
  return statesFromPath(fitPath(r, twoLegs(v1, v2, r.int(2, 5)), 0.08));
}

/**
 * A track that crosses one edge of the frame so that it is visible exactly
 * where `pattern` says: entering, leaving, coming back, peeking in. The
 * distance inside the edge grows with the distance (in ticks) to the nearest
 * change of visibility, so the object moves towards the edge, crosses it
 * between ticks and, when hidden, stays fully outside.
 */
export function edgeTrack(r: Random, pattern: readonly boolean[], radius: number): ObjectState[] {
  const edge = pick(r, DIRECTIONS); // the edge it crosses
  const dist = pattern.map((v, t) => {
    let d = N;
    for (let u = 0; u < N; u++) if (pattern[u] !== v) d = Math.min(d, Math.abs(u - t));
    return d;
  });
  const maxIn = Math.max(...pattern.map((v, t) => (v ? dist[t] : 0)));
  let step = r.uniform(0.08, 0.16);
  if ((maxIn - 0.5) * step > 0.85) step = 0.85 / (maxIn - 0.5);
  const along = r.uniform(0.15, 0.85), drift = r.uniform(-0.02, 0.02);
  return pattern.map((v, t) => {
    // Signed depth inside the edge: positive on screen, beyond the radius when hidden.
    const depth = v ? (dist[t] - 0.5) * step : -((dist[t] - 0.5) * step + radius);
    const side = Math.min(0.92, Math.max(0.08, along + drift * t));
    const inward = edge === 'left' || edge === 'up' ? depth : 1 - depth;
    const x = edge === 'left' || edge === 'right' ? inward : side;
    const y = edge === 'left' || edge === 'right' ? side : inward;
    return { x, y, visible: v };
  });
}

/** Visible on a random run of 1-2 ticks only (a pop-in in place), hidden otherwise. */
export function briefTrack(r: Random): ObjectState[] {
  const len = r.int(1, 2), start = r.int(0, N - len);
  const x = r.uniform(0.12, 0.88), y = r.uniform(0.12, 0.88);
  return Array.from({ length: N }, (_, t) => ({ x, y, visible: t >= start && t < start + len }));
}

/** Visibility patterns for edge tracks. */
export const patterns = {
  /** Hidden before tick `from`, visible from it. */
  enter: (from: number) => Array.from({ length: N }, (_, t) => t >= from),
  /** Visible through tick `last`, hidden after it. */
  exit: (last: number) => Array.from({ length: N }, (_, t) => t <= last),
  /** Visible on [from, last] only. */
  span: (from: number, last: number) => Array.from({ length: N }, (_, t) => t >= from && t <= last),
  /**
   * Visible, hidden for a gap of 2-3 ticks, visible again; mostly gone again
   * for the last 2-3 ticks, so "visible at the end" does not give the answer away.
   */
  comeBack(r: Random): boolean[] {
    for (;;) {
      const lead = r.int(0, 1), a = r.int(1, 2), gap = r.int(2, 3);
      const rest = N - lead - a - gap;
      const tail = r.next() < 0.15 ? 0 : r.int(2, 3);
      const b = rest - tail;
      if (b < 1) continue;
      return Array.from({ length: N }, (_, t) => (t >= lead && t < lead + a) || (t >= lead + a + gap && t < lead + a + gap + b));
    }
  },
};

/**
 * Two crossing straight paths that meet at tick `meet` at a shared point
 * (plus `offset` for the second), so the objects overlap around that tick.
 */
export function crossingPaths(r: Random, meet: number, offset: { x: number; y: number }) {
  const c = { x: r.uniform(0.3, 0.7), y: r.uniform(0.3, 0.7) };
  const d1 = pick(r, DIRECTIONS);
  const d2 = pick(r, DIRECTIONS.filter((d) => d !== d1));
  const v1 = velocity(r, d1, r.uniform(0.04, 0.08), 0.15), v2 = velocity(r, d2, r.uniform(0.04, 0.08), 0.15);
  const path = (v: { x: number; y: number }, o: { x: number; y: number }) =>
    Array.from({ length: N }, (_, t) => ({ x: c.x + o.x + v.x * (t - meet), y: c.y + o.y + v.y * (t - meet) }));
  return [statesFromPath(path(v1, { x: 0, y: 0 })), statesFromPath(path(v2, offset))];
}

/** Two objects that swap places over the video (passing close to each other in the middle). */
export function swapPaths(r: Random) {
  const horizontal = r.next() < 0.6;
  const sep = r.uniform(0.25, 0.6), mid = { x: r.uniform(0.35, 0.65), y: r.uniform(0.35, 0.65) };
  const sideways = r.uniform(-0.15, 0.15); // how far apart they pass
  const a = horizontal ? { x: mid.x - sep / 2, y: mid.y + sideways } : { x: mid.x + sideways, y: mid.y - sep / 2 };
  const b = horizontal ? { x: mid.x + sep / 2, y: mid.y - sideways } : { x: mid.x - sideways, y: mid.y + sep / 2 };
  const lerp = (p: { x: number; y: number }, q: { x: number; y: number }) =>
    Array.from({ length: N }, (_, t) => ({ x: p.x + ((q.x - p.x) * t) / (N - 1), y: p.y + ((q.y - p.y) * t) / (N - 1) }));
  return [statesFromPath(lerp(a, b)), statesFromPath(lerp(b, a))];
}
