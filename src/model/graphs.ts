import { type EmittedModel, Graph, type TensorData, type Value, emitOnnx } from '../graph';
import { NN } from '../nn';
import { type ModelConfig, type SequenceInputs, answerBranchLogps, answerLogps, answerLoss, decodeStep, geometry, prefill } from './model';

/** What the graphs of a model are built from: its config and, unless they are fed at run time, its weights. */
export interface GraphSource {
  config: ModelConfig;
  weights?: ReadonlyMap<string, TensorData>;
  /** Seed of parameters without saved values. Default 0. */
  seed?: number;
}

export interface GraphOptions {
  /** Rows per run. */
  rows: number;
  /** Text slots per row (scoring and training; prefill always takes maxText). Default maxText. */
  slots?: number;
  /** Parameters as graph inputs fed each run (to score a model being trained), not initializers. */
  weightsAsInputs?: boolean;
}

/** The whole-sequence inputs (names as packText's fields). */
function sequenceInputs(g: Graph, c: ModelConfig, rows: number, slots = c.maxText): SequenceInputs {
  const { visualTokens: v, patchValues } = geometry(c);
  return {
    patches: g.input('patches', [rows, v, patchValues], 'float32'),
    ids: g.input('ids', [rows, slots], 'int32'),
    textMask: g.input('text_mask', [rows, slots], 'float32'),
  };
}

function answerWindow(g: Graph, c: ModelConfig, rows: number) {
  return {
    positions: g.input('positions', [rows, c.answerWindow], 'int32'),
    targets: g.input('targets', [rows, c.answerWindow], 'int32'),
    mask: g.input('window_mask', [rows, c.answerWindow], 'float32'),
  };
}

const emit = (g: Graph, outputs: Record<string, Value>, o: GraphOptions, name: string): EmittedModel =>
  emitOnnx(g, { outputs, paramAsInput: () => !!o.weightsAsInputs, name });

/** Scoring: `token_logps` [rows, answerWindow] and `logp` [rows], the answer's total log-probability. */
export function scoreGraph(s: GraphSource, o: GraphOptions): EmittedModel {
  const g = new Graph();
  const nn = new NN(g, { weights: s.weights, seed: s.seed });
  const logps = answerLogps(nn, s.config, sequenceInputs(g, s.config, o.rows, o.slots), answerWindow(g, s.config, o.rows));
  return emit(g, { token_logps: logps.tokens, logp: logps.sum }, o, 'pasta_tiny_score');
}

/**
 * Scoring up to `branches` answers per row, each a branch of the row's one
 * question (packAnswerBranches, branchFeeds): the video and question go
 * through the model once per row, not once per answer. `token_logps`
 * [rows, branches·answerWindow] and `logp` [rows, branches].
 */
export function branchScoreGraph(s: GraphSource, o: GraphOptions & { branches: number }): EmittedModel {
  const g = new Graph();
  const nn = new NN(g, { weights: s.weights, seed: s.seed });
  const { rows, branches: n } = o;
  const slots = o.slots ?? s.config.maxText;
  const k = s.config.answerWindow;
  const text = (name: string, dtype: 'int32' | 'float32') => g.input(name, [rows, slots], dtype);
  const inputs = { ...sequenceInputs(g, s.config, rows, slots), textPositions: text('text_positions', 'int32'), branches: text('branches', 'float32') };
  const windows = Array.from({ length: n }, (_, b) => ({
    positions: g.input(`positions.${b}`, [rows, k], 'int32'),
    targets: g.input(`targets.${b}`, [rows, k], 'int32'),
    mask: g.input(`window_mask.${b}`, [rows, k], 'float32'),
  }));
  const logps = answerBranchLogps(nn, s.config, inputs, windows);
  const { op } = nn;
  return emit(g, { token_logps: op.Concat(logps.map((l) => l.tokens), { axis: 1 }), logp: op.Concat(logps.map((l) => op.Reshape(l.sum, [rows, 1])), { axis: 1 }) }, o, 'pasta_tiny_branch_score');
}

/** Generation's first step: `logits` [rows, vocab] after each row's last question word (`last` [rows]), and `k.i` / `v.i` for every layer. */
export function prefillGraph(s: GraphSource, o: GraphOptions): EmittedModel {
  const g = new Graph();
  const nn = new NN(g, { weights: s.weights, seed: s.seed });
  const out = prefill(nn, s.config, sequenceInputs(g, s.config, o.rows), g.input('last', [o.rows], 'int32'));
  const outputs: Record<string, Value> = { logits: out.logits };
  out.cache.forEach((kv, i) => Object.assign(outputs, { [`k.${i}`]: kv.k, [`v.${i}`]: kv.v }));
  return emit(g, outputs, o, 'pasta_tiny_prefill');
}

/** Names of the cache tensors a decode step carries: output -> the input it feeds next step. */
export function decodeCarry(c: ModelConfig): Record<string, string> {
  const carry: Record<string, string> = { 'next.valid': 'valid' };
  for (let i = 0; i < c.layers; i++) Object.assign(carry, { [`next.k.${i}`]: `k.${i}`, [`next.v.${i}`]: `v.${i}` });
  return carry;
}

/**
 * One decode step: inputs `ids` [rows], `position` [rows], `valid` [rows, T]
 * and `k.i` / `v.i` [rows, heads, T, hd]; outputs `logits` [rows, vocab] and
 * the `next.` caches (see decodeCarry).
 */
export function decodeGraph(s: GraphSource, o: GraphOptions): EmittedModel {
  const c = s.config;
  const g = new Graph();
  const nn = new NN(g, { weights: s.weights, seed: s.seed });
  const { sequence: t } = geometry(c);
  const hd = c.dim / c.heads;
  const cache = Array.from({ length: c.layers }, (_, i) => ({
    k: g.input(`k.${i}`, [o.rows, c.heads, t, hd], 'float32'),
    v: g.input(`v.${i}`, [o.rows, c.heads, t, hd], 'float32'),
  }));
  const out = decodeStep(nn, c, g, g.input('ids', [o.rows], 'int32'), g.input('position', [o.rows], 'int32'), cache, g.input('valid', [o.rows, t], 'float32'));
  const outputs: Record<string, Value> = { logits: out.logits, 'next.valid': out.valid };
  out.cache.forEach((kv, i) => Object.assign(outputs, { [`next.k.${i}`]: kv.k, [`next.v.${i}`]: kv.v }));
  return emit(g, outputs, o, 'pasta_tiny_decode');
}

/** The pretraining loss over a batch of `rows` (inputs as scoreGraph's), built into `nn`'s graph: a scalar. */
export function pretrainingLoss(nn: NN, c: ModelConfig, rows: number, slots = c.maxText): Value {
  return answerLoss(nn, c, sequenceInputs(nn.graph, c, rows, slots), answerWindow(nn.graph, c, rows));
}
