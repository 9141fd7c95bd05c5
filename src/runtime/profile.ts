/**
 * Where a run's time goes, from ONNX Runtime's profiler trace (the JSON list
 * of events `enableProfiling` writes): kernel time per op and per kind of
 * work, so an optimisation is chosen from a measurement.
 */

/** One event of ORT's trace (Chrome trace format); kernels are `cat: "Node"` events named `<node>_kernel_time`. */
export interface ProfileEvent {
  cat: string;
  name: string;
  /** Start and duration, microseconds. */
  ts?: number;
  dur: number;
  args?: { op_name?: string; provider?: string };
}

export type WorkKind = 'matmul' | 'softmax' | 'elementwise' | 'reduce' | 'copies' | 'other';

const KIND: Record<string, WorkKind> = {};
for (const op of ['MatMul', 'FusedMatMul', 'Gemm', 'MatMulInteger']) KIND[op] = 'matmul';
for (const op of ['Softmax', 'LogSoftmax', 'ReduceLogSumExp', 'ReduceMax']) KIND[op] = 'softmax';
for (const op of ['Add', 'Sub', 'Mul', 'Div', 'Neg', 'Exp', 'Log', 'Sqrt', 'Tanh', 'Sigmoid', 'Erf', 'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu', 'Abs', 'Relu', 'Max', 'Min', 'Pow', 'Where', 'Equal', 'Less', 'Greater', 'Cast', 'Clip', 'Sign', 'Reciprocal']) KIND[op] = 'elementwise';
for (const op of ['ReduceSum', 'ReduceMean', 'SimplifiedLayerNormalization', 'LayerNormalization', 'SkipSimplifiedLayerNormalization', 'SkipLayerNormalization']) KIND[op] = 'reduce';
for (const op of ['Transpose', 'Reshape', 'Expand', 'Concat', 'Slice', 'Pad', 'Gather', 'GatherElements', 'ScatterElements', 'ScatterND', 'Split', 'Identity', 'Squeeze', 'Unsqueeze', 'Tile', 'MemcpyToHost', 'MemcpyFromHost']) KIND[op] = 'copies';

/** The kind of work an ONNX op does, for the breakdown. */
export const workKind = (op: string): WorkKind => KIND[op] ?? 'other';

export interface ProfileSummary {
  /** Kernel time of all runs in the trace, ms. */
  kernelMs: number;
  byKind: Record<WorkKind, number>;
  /** Kernel ms per op type, largest first. */
  byOp: [string, number][];
}

/**
 * Sums kernel time per op and per kind, per run, over the trace's runs
 * (`model_run` events) after the first `skipRuns` (the first run of a
 * session also grows its memory arena, so it is not typical).
 */
export function summarizeProfile(events: readonly ProfileEvent[], skipRuns = 0): ProfileSummary {
  const byKind: Record<WorkKind, number> = { matmul: 0, softmax: 0, elementwise: 0, reduce: 0, copies: 0, other: 0 };
  const byOp = new Map<string, number>();
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0)).slice(skipRuns);
  if (runs.length === 0) throw new RangeError(`the trace holds no model_run after the first ${skipRuns}`);
  const counted = (ts = 0) => runs.some((r) => ts >= (r.ts ?? 0) && ts <= (r.ts ?? 0) + r.dur);
  let kernelMs = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || !counted(e.ts)) continue;
    const op = e.args?.op_name ?? 'unknown';
    const ms = e.dur / 1000 / runs.length;
    kernelMs += ms;
    byKind[workKind(op)] += ms;
    byOp.set(op, (byOp.get(op) ?? 0) + ms);
  }
  return { kernelMs, byKind, byOp: [...byOp].sort((a, b) => b[1] - a[1]) };
}

/** One line: each kind's share of kernel time, e.g. "matmul 41% · softmax 6% · ...". */
export function formatProfile(s: ProfileSummary): string {
  const pct = (ms: number) => `${((100 * ms) / Math.max(s.kernelMs, 1e-9)).toFixed(0)}%`;
  const kinds = (Object.entries(s.byKind) as [WorkKind, number][]).filter(([, ms]) => ms > 0).map(([k, ms]) => `${k} ${pct(ms)}`);
  const top = s.byOp.slice(0, 6).map(([op, ms]) => `${op} ${ms.toFixed(0)} ms`);
  return `${s.kernelMs.toFixed(0)} ms of kernels per step: ${kinds.join(' · ')}; largest: ${top.join(', ')}`;
}
