/**
 * Training metrics per step, in a store of their own: the Worker's ticks are
 * appended here and each chart subscribes to it (store.subscribe), so a tick
 * re-draws the charts alone and never re-renders the Align view. A chart
 * draws at most MAX_POINTS points (evenly thinned, the last step always
 * kept), so drawing costs the same at step 10 and step 10,000. DOM-free.
 */
import { createStore } from 'zustand/vanilla';
import { DPO_METRICS } from '../../train/dpo'; // the leaf module: the store must not load the trainer

/** What the charts plot, in the order they are drawn (TRL's names). */
export const CHART_METRICS = ['loss', ...DPO_METRICS] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];

/**
 * The charts: metrics on one scale share one (TRL's rewards/* and logps/*
 * pairs), so the seven curves take four charts, and a redraw builds four.
 */
export const CHART_GROUPS: readonly { title: string; metrics: readonly ChartMetric[]; domain?: [number, number] }[] = [
  { title: 'loss', metrics: ['loss'] },
  { title: 'rewards/accuracies', metrics: ['rewards/accuracies'], domain: [0, 1] },
  { title: 'rewards', metrics: ['rewards/chosen', 'rewards/rejected', 'rewards/margins'] },
  { title: 'logps', metrics: ['logps/chosen', 'logps/rejected'] },
];

/** One optimizer step as the charts and the run record keep it. */
export type StepPoint = { step: number; epoch: number; lr: number; seconds: number } & Record<ChartMetric, number>;

export interface MetricsState {
  points: StepPoint[];
  /** Steps the run will take in all (for the progress bar). */
  totalSteps: number;
  /** Training seconds so far, counting earlier sessions of a resumed run. */
  seconds: number;
  append(point: StepPoint): void;
  reset(points: StepPoint[], totalSteps: number): void;
}

export const MAX_POINTS = 300;

export function createMetricsStore() {
  return createStore<MetricsState>()((set) => ({
    points: [],
    totalSteps: 0,
    seconds: 0,
    // A new array per tick, so subscribers can compare by identity.
    append: (point) => set((s) => ({ points: [...s.points.filter((p) => p.step < point.step), point], seconds: point.seconds })),
    reset: (points, totalSteps) => set({ points: [...points], totalSteps, seconds: points.at(-1)?.seconds ?? 0 }),
  }));
}

/** The app's one metrics store. */
export const trainingMetrics = createMetricsStore();

/** The points to draw: at most `max`, evenly spaced over the run, the first and last always in. */
export function thinned<T>(points: readonly T[], max = MAX_POINTS): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  const stride = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * stride)]);
  return out;
}

/** Seconds left from the steps done since `fromStep` (this session) and how long they took. */
export function secondsLeft(points: readonly StepPoint[], totalSteps: number): number | null {
  if (points.length < 2 || !totalSteps) return null;
  const first = points[0];
  const last = points.at(-1)!;
  const steps = last.step - first.step;
  if (steps <= 0 || last.seconds <= first.seconds) return null;
  return ((last.seconds - first.seconds) / steps) * Math.max(0, totalSteps - last.step);
}

/**
 * A chart's value range that changes only when a curve leaves it: the data's
 * range widened to whole steps of a round size (1, 2 or 5 times a power of
 * ten, about a quarter of the spread), so most redraws keep their axis.
 */
export function steadyRange(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  const raw = (hi - lo) / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 5, 10].map((m) => m * p).find((u) => u >= raw)!;
  const round = (x: number) => Number(x.toPrecision(10)) + 0; // + 0 turns -0 into 0
  return [round(Math.floor(lo / unit) * unit), round(Math.ceil(hi / unit) * unit)];
}

/** `n` evenly spaced ticks over [lo, hi], rounded so they print short. */
export function ticksOf([lo, hi]: [number, number], n = 5): number[] {
  return Array.from({ length: n }, (_, i) => Number((lo + ((hi - lo) * i) / (n - 1)).toPrecision(6)));
}
