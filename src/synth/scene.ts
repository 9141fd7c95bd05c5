/**
 * The synthetic world's scenes: 2 to 4 coloured shapes moving over a muted
 * background for TICKS ticks. A scene is plain data, fully determined by
 * (split, seed); train and eval draw from different random streams, so they
 * never share a scene. Motions cover what the question templates ask about:
 * straight lines, turns, stops, entering late, leaving, leaving and coming
 * back, brief pop-ins, crossings (one in front of the other), swaps, and
 * "relay" scenes where objects take turns on screen (so counting needs the
 * whole video, not one frame).
 */
import { seededRandom, type Random } from '../core/random';
import {
  briefTrack, crossingPaths, edgeTrack, linearTrack, patterns, staticTrack, stopTrack, swapPaths, turnTrack,
} from './motion';

export type Shape = 'circle' | 'square' | 'triangle';
export type Colour = 'red' | 'green' | 'blue' | 'yellow' | 'purple';
export type Size = 'small' | 'medium' | 'large';

/** Every shape, colour and size, in a fixed order. */
export const SHAPES: readonly Shape[] = ['circle', 'square', 'triangle'];
export const COLOURS: readonly Colour[] = ['red', 'green', 'blue', 'yellow', 'purple'];
export const SIZES: readonly Size[] = ['small', 'medium', 'large'];

/** Normalized half-extent of each size. */
export const RADIUS: Record<Size, number> = { small: 0.09, medium: 0.13, large: 0.17 };

/** Saturated object colours, far apart in RGB and far from every background tone. */
export const COLOUR_RGB: Record<Colour, readonly [number, number, number]> = {
  red: [230, 40, 40],
  green: [40, 200, 60],
  blue: [50, 90, 240],
  yellow: [240, 220, 40],
  purple: [175, 60, 215],
};

/** Ticks per scene: the model sees exactly these frames. */
export const TICKS = 8;

/** Where an object is at one tick: centre in normalized coords (x right, y down). */
export interface ObjectState { x: number; y: number; visible: boolean }

export interface SceneObject {
  id: number;
  shape: Shape;
  colour: Colour;
  size: Size;
  /** Normalized half-extent (of the frame's shorter side). */
  radius: number;
  /** Larger = drawn later = in front. */
  depth: number;
  /** One state per tick. */
  track: ObjectState[];
}

export type BackgroundPattern = 'flat' | 'vertical' | 'horizontal' | 'checker';

/** A dark, muted backdrop: `base` and a second tone combined by `pattern` (vertical = top to bottom). */
export interface Background {
  base: [number, number, number];
  second: [number, number, number];
  pattern: BackgroundPattern;
}

export interface Scene {
  seed: number;
  split: 'train' | 'eval';
  background: Background;
  objects: SceneObject[];
}

/** Cells per side of the checker background (even, so a mirror swaps the two tones). */
export const CHECKER_CELLS = 4;

const BASE_TONES: readonly [number, number, number][] = [
  [28, 30, 38], [40, 36, 30], [24, 38, 42], [44, 44, 48], [36, 28, 44], [30, 40, 30], [52, 46, 40],
];
const PATTERNS: readonly BackgroundPattern[] = ['flat', 'vertical', 'horizontal', 'checker'];

/** The name questions use for an object, e.g. "red circle". */
export const nameOf = (o: Pick<SceneObject, 'colour' | 'shape'>) => `${o.colour} ${o.shape}`;

const pick = <T>(r: Random, items: readonly T[]): T => items[r.int(0, items.length - 1)];

function weighted<T extends string>(r: Random, weights: Partial<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][]; // insertion order: deterministic
  let u = r.uniform(0, entries.reduce((s, [, w]) => s + w, 0));
  for (const [k, w] of entries) if ((u -= w) < 0) return k;
  return entries[entries.length - 1][0];
}

function background(r: Random): Background {
  const base = pick(r, BASE_TONES);
  const lift = r.int(14, 34);
  const second: [number, number, number] = [base[0] + lift + r.int(-6, 6), base[1] + lift + r.int(-6, 6), base[2] + lift + r.int(-6, 6)];
  return { base: [...base], second, pattern: pick(r, PATTERNS) };
}

type Event = 'none' | 'swap' | 'pass' | 'hide' | 'handover';
type Kind = 'linear' | 'static' | 'stop' | 'turn' | 'enter' | 'exit' | 'comeBack' | 'span' | 'brief';
const KIND_WEIGHTS: Record<Kind, number> = { linear: 3, static: 1, stop: 1.2, turn: 7, enter: 1.5, exit: 1.5, comeBack: 3, span: 1, brief: 0.7 };

function trackOf(r: Random, kind: Kind, radius: number) {
  switch (kind) {
    case 'linear': return linearTrack(r);
    case 'static': return staticTrack(r);
    case 'stop': return stopTrack(r);
    case 'turn': return turnTrack(r);
    case 'enter': return edgeTrack(r, patterns.enter(r.int(1, 5)), radius);
    case 'exit': return edgeTrack(r, patterns.exit(r.int(1, 6)), radius);
    case 'comeBack': return edgeTrack(r, patterns.comeBack(r), radius);
    case 'span': { const from = r.int(1, 5); return edgeTrack(r, patterns.span(from, r.int(from, 6)), radius); }
    case 'brief': return briefTrack(r);
  }
}

/**
 * Relay scenes: objects take turns on screen, with at most `cap` of them at
 * once (cap drawn per scene), so neither the busiest frame nor the first and
 * last frames tell how many objects the video has.
 */
function relaySpan(r: Random, load: number[], cap: number): [number, number] {
  let best: [number, number] = [0, 0], bestOver = Infinity;
  for (let tries = 0; tries < 30; tries++) {
    const len = r.int(1, 6);
    const from = r.int(0, TICKS - len);
    const last = from + len - 1;
    let over = 0;
    for (let t = from; t <= last; t++) over = Math.max(over, load[t] + 1 - cap);
    if (over <= 0) return [from, last];
    if (over < bestOver) { bestOver = over; best = [from, last]; }
  }
  return best;
}

function relayTrack(r: Random, radius: number, [from, last]: [number, number]) {
  if (from === 0 && last === TICKS - 1) return trackOf(r, weighted<Kind>(r, { linear: 1, turn: 2, stop: 0.5, static: 0.3 }), radius);
  if (last - from <= 1 && r.next() < 0.5) return briefTrack(r);
  if (last - from >= 4 && r.next() < 0.8) {
    // A turning object that pops in and out of view for its turn.
    return turnTrack(r).map((st, t) => ({ ...st, visible: t >= from && t <= last }));
  }
  return edgeTrack(r, patterns.span(from, last), radius);
}

/**
 * The scene for (split, seed): the same pair always gives the same scene,
 * and train and eval scenes come from separate streams.
 */
export function generateScene(split: 'train' | 'eval', seed: number): Scene {
  const r = seededRandom(seed, `synth.${split}`);
  const bg = background(r);
  const n = r.int(2, 4);
  const relay = r.next() < 0.7;
  let event = weighted<Event>(r, { none: 0.1, swap: 0.15, pass: 0.2, hide: 0.3, handover: 0.25 });
  // Most relay scenes keep every object on its own schedule (events keep two objects on screen together).
  if (relay && event !== 'handover' && r.next() < (event === 'hide' ? 0.4 : 0.8)) event = 'none';

  // Identities: (colour, shape) unique within the scene; a handover pair shares a colour.
  const used = new Set<string>();
  const ident: { colour: Colour; shape: Shape }[] = [];
  if (event === 'handover') {
    const colour = pick(r, COLOURS);
    const [s1, s2] = r.shuffled(SHAPES);
    ident.push({ colour, shape: s1 }, { colour, shape: s2 });
  }
  // A square covers a circle or triangle of its own size: hidden objects need not be the smallest.
  const squareCover = event === 'hide' && r.next() < 0.45;
  if (squareCover) ident.push({ colour: pick(r, COLOURS), shape: 'square' }, { colour: pick(r, COLOURS), shape: pick(r, ['circle', 'triangle'] as const) });
  for (const i of ident) used.add(nameOf(i));
  while (ident.length < n) {
    const id = { colour: pick(r, COLOURS), shape: pick(r, SHAPES) };
    if (!used.has(nameOf(id))) { used.add(nameOf(id)); ident.push(id); }
  }

  const sizes: Size[] = ident.map(() => pick(r, SIZES));
  if (squareCover) sizes[1] = sizes[0];
  else if (event === 'hide') {
    // Object 1 passes behind object 0, which is large enough to cover it.
    sizes[1] = r.next() < 0.5 ? 'small' : 'medium';
    sizes[0] = sizes[1] === 'small' ? pick(r, ['medium', 'large'] as const) : 'large';
  }
  // Bystanders in hide scenes are often small, so "the smallest" is not the hidden one by default.
  if (event === 'hide') for (let i = 2; i < n; i++) if (r.next() < 0.5) sizes[i] = 'small';

  const tracks: ReturnType<typeof linearTrack>[] = [];
  if (event === 'swap') tracks.push(...swapPaths(r));
  if (event === 'pass' || event === 'hide') {
    const meet = r.int(1, 6), spread = event === 'pass' ? 0.12 : squareCover ? 0 : 0.02;
    const pair = crossingPaths(r, meet, { x: r.uniform(-spread, spread), y: r.uniform(-spread, spread) });
    // In relay scenes the crossing pair, too, is on screen only for a while around the meeting.
    if (relay) for (const track of pair) {
      const from = meet - r.int(1, 3), last = meet + r.int(1, 3);
      track.forEach((st, t) => { st.visible &&= t >= from && t <= last; });
    }
    tracks.push(...pair);
  }
  if (event === 'handover' && r.next() < 0.6) {
    // One object of the colour leaves, another of that colour arrives.
    tracks.push(edgeTrack(r, patterns.exit(r.int(1, 5)), RADIUS[sizes[0]]));
    tracks.push(edgeTrack(r, patterns.enter(r.int(1, 6)), RADIUS[sizes[1]]));
  } else if (event === 'handover') {
    // Decoy: one object of the colour stays throughout while another of that colour comes and goes.
    tracks.push(trackOf(r, weighted<Kind>(r, { linear: 1, turn: 1, static: 0.5 }), RADIUS[sizes[0]]));
    const from = r.int(1, 5);
    tracks.push(edgeTrack(r, patterns.span(from, r.int(from, 6)), RADIUS[sizes[1]]));
  }
  const load = Array.from({ length: TICKS }, (_, t) => tracks.filter((k) => k[t].visible).length);
  const cap = Math.max(r.int(1, Math.max(1, n - (r.next() < 0.4 ? 2 : 1))), ...load);
  while (tracks.length < n) {
    const radius = RADIUS[sizes[tracks.length]];
    if (!relay) { tracks.push(trackOf(r, weighted(r, KIND_WEIGHTS), radius)); continue; }
    if (r.next() < 0.3) {
      // Some relay objects leave and come back (two turns on screen), within the cap.
      const pattern = [0, 1, 2, 3, 4, 5].map(() => patterns.comeBack(r)).find((p) => p.every((v, t) => !v || load[t] < cap));
      if (pattern) {
        pattern.forEach((v, t) => { if (v) load[t]++; });
        tracks.push(edgeTrack(r, pattern, radius));
        continue;
      }
    }
    const w = relaySpan(r, load, cap);
    for (let t = w[0]; t <= w[1]; t++) load[t]++;
    tracks.push(relayTrack(r, radius, w));
  }

  const depths = r.shuffled(ident.map((_, i) => i));
  if (event === 'hide' && depths[0] < depths[1]) [depths[0], depths[1]] = [depths[1], depths[0]];
  // Crossing pairs mostly put the smaller one in front, offsetting hide scenes (where the larger is).
  if (event === 'pass' && sizes[0] !== sizes[1]) {
    const smallerFirst = RADIUS[sizes[0]] < RADIUS[sizes[1]];
    if ((depths[0] > depths[1]) !== (r.next() < 0.75 === smallerFirst)) [depths[0], depths[1]] = [depths[1], depths[0]];
  }
  // Shuffle which id gets which role, so ids carry no signal about motions.
  const order = r.shuffled(ident.map((_, i) => i));
  const objects: SceneObject[] = order.map((src, id) => ({
    id, ...ident[src], size: sizes[src], radius: RADIUS[sizes[src]], depth: depths[src], track: tracks[src],
  }));
  return { seed, split, background: bg, objects };
}

/** The state at fractional tick `t` (clamped to the video): x, y interpolated linearly, visible as at the nearest tick. */
export function stateAt(obj: SceneObject, t: number): ObjectState {
  const c = Math.min(TICKS - 1, Math.max(0, t));
  const i0 = Math.floor(c), i1 = Math.min(TICKS - 1, i0 + 1), f = c - i0;
  const a = obj.track[i0], b = obj.track[i1];
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, visible: obj.track[Math.round(c)].visible };
}

/** The scene seen in a mirror: x -> 1 - x (the background's left-right tones swap too). */
export function mirrorScene(s: Scene): Scene {
  const flipTones = s.background.pattern === 'horizontal' || s.background.pattern === 'checker';
  const background: Background = flipTones ? { ...s.background, base: [...s.background.second], second: [...s.background.base] } : { ...s.background };
  return {
    ...s, background,
    objects: s.objects.map((o) => ({ ...o, track: o.track.map((p) => ({ ...p, x: 1 - p.x })) })),
  };
}

/** The scene played backwards: every track reversed in time. */
export function reverseScene(s: Scene): Scene {
  return { ...s, background: { ...s.background }, objects: s.objects.map((o) => ({ ...o, track: [...o.track].reverse().map((p) => ({ ...p })) })) };
}
