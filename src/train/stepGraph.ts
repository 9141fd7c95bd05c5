import { type EmittedModel, Graph, type TensorData, type Value, emitOnnx } from '../graph';
import { type DecoderConfig, type LoraTargets, NN, branchResponseLogps, decoderHidden, lmHead, responseLogps } from '../nn';
import type { HostTensor } from '../runtime';
import type { AdamWConfig } from './adamw';
import type { DpoConfig } from './dpo';
import { type PairLogps, dpoStepTail, paramTensor } from './dpoStepTail';

/** What both the step graph and the reference graph are built from. */
export interface PolicyOptions {
  model: DecoderConfig;
  pairs: number;
  seqLen: number;
  /** Saved base (and possibly adapter) weights by name; the rest start from `seed`. */
  weights?: ReadonlyMap<string, TensorData>;
  seed?: number;
  dtype?: 'float32' | 'float64';
  /** Frozen weights as graph inputs instead of initializers (for runtimes that share them between graphs). */
  frozenAsInputs?: boolean;
  /**
   * Positions per row that go through the LM head: at least the longest response in any batch fed.
   * Default seqLen − 1 (every position that predicts a token).
   */
  responseWindow?: number;
  /**
   * Rows of this many slots, one per pair: the prompt once and the chosen and
   * rejected responses as two branches after it (sharedPromptFeeds), so a long
   * prompt is computed once, not twice. At least the longest prompt plus both
   * responses. Off by default: rows of seqLen, chosen over rejected, as TRL.
   */
  sharedPrompt?: number;
}

export interface DpoStepOptions extends PolicyOptions {
  lora: LoraTargets;
  dpo: DpoConfig;
  adamw: AdamWConfig;
  /** Length of the `category_weights` input. Default 3 (spatial, temporal, cross-frame). */
  categories?: number;
  /** Also output each trainable parameter's gradient as `grad.<name>` (for tests). */
  emitGradients?: boolean;
}

export interface DpoStepGraph {
  model: EmittedModel;
  /** Trainable parameter names, in order. */
  trainable: string[];
  /** Output -> input it feeds on the next step: parameters and AdamW moments. */
  carry: Record<string, string>;
  /** Starting values of every carried input (adapters as initialised, moments zero). */
  initialState: Record<string, HostTensor>;
  /** Frozen parameters' values by name (fed when `frozenAsInputs`). */
  frozen: Map<string, HostTensor>;
  dtype: 'float32' | 'float64';
}

/** The response window of a policy's graphs (see PolicyOptions.responseWindow). */
export const responseWindowOf = (o: PolicyOptions) => o.responseWindow ?? o.seqLen - 1;

/** Response log-probs [2P] (chosen first) of a policy forward; the graph inputs are policyFeeds' names. */
function policyLogps(g: Graph, nn: NN, o: PolicyOptions, lora?: LoraTargets): PairLogps {
  const dtype = o.dtype ?? 'float32';
  const width = responseWindowOf(o);
  if (!Number.isInteger(width) || width < 1 || width > o.seqLen - 1) throw new TypeError(`responseWindow must be an integer in [1, ${o.seqLen - 1}], got ${width}`);
  const head = (h: Value) => lmHead(nn, o.model, h);
  const windowOf = (prefix: string, rows: number) => ({
    positions: g.input(`${prefix}logit_positions`, [rows, width], 'int32'),
    targets: g.input(`${prefix}logit_targets`, [rows, width], 'int32'),
    mask: g.input(`${prefix}logit_mask`, [rows, width], dtype),
  });
  if (o.sharedPrompt === undefined) {
    const rows = 2 * o.pairs;
    const ids = g.input('input_ids', [rows, o.seqLen], 'int32');
    const mask = g.input('attention_mask', [rows, o.seqLen], dtype);
    return responseLogps(nn.op, decoderHidden(nn, o.model, ids, mask, lora), head, windowOf('', rows)); // over [2P, T, C]
  }
  const length = o.sharedPrompt;
  if (!Number.isInteger(length) || length < 2) throw new TypeError(`sharedPrompt must be an integer of at least 2 (slots per pair row), got ${length}`);
  const row = (name: string, type: 'int32' | typeof dtype) => g.input(name, [o.pairs, length], type);
  const hidden = decoderHidden(nn, o.model, row('input_ids', 'int32'), row('attention_mask', dtype), lora, { positions: row('position_ids', 'int32'), branches: row('branches', dtype) }); // [P, L, C]
  const [chosen, rejected] = branchResponseLogps(nn.op, hidden, head, [windowOf('chosen_', o.pairs), windowOf('rejected_', o.pairs)]);
  const both = (k: 'sum' | 'mean' | 'count') => nn.op.Concat([chosen[k], rejected[k]], { axis: 0 }); // [2P]
  return { sum: both('sum'), mean: both('mean'), count: both('count') };
}

/**
 * The reference model's log-probs, computed once per pair and fed to the step
 * graph: outputs `logps_sum` and `logps_mean`, each [2P] (chosen rows first).
 * The reference is the base model without adapters.
 */
export function buildReferenceGraph(o: PolicyOptions): { model: EmittedModel; frozen: Map<string, HostTensor> } {
  const g = new Graph();
  const nn = new NN(g, { dtype: o.dtype, weights: o.weights, seed: o.seed });
  const logps = policyLogps(g, nn, o);
  const model = emitOnnx(g, { outputs: { logps_sum: logps.sum, logps_mean: logps.mean }, paramAsInput: () => !!o.frozenAsInputs, name: 'reference' });
  return { model, frozen: new Map(g.parameters().map((p) => [p.name, paramTensor(p)])) };
}

/**
 * One whole DPO training step as a single graph.
 * Inputs: policyFeeds' (sequenceFeeds' or sharedPromptFeeds' names); ref_logps [2P];
 * category [P] int32; category_weights [C]; lr and step (scalars); every
 * trainable parameter; `adam.m.<name>` and `adam.v.<name>`.
 * Outputs: loss, TRL's metrics, grad_norm, margins [P], `next.<input>` for
 * every carried input, and `grad.<name>` when asked.
 */
export function buildDpoStepGraph(o: DpoStepOptions): DpoStepGraph {
  const dtype = o.dtype ?? 'float32';
  const g = new Graph();
  const nn = new NN(g, { dtype, weights: o.weights, seed: o.seed });
  const { outputs, carry, initialState, trainable } = dpoStepTail(g, nn, { ...o, dtype }, () => policyLogps(g, nn, o, o.lora));
  const model = emitOnnx(g, { outputs, paramAsInput: (p) => trainable.has(p.name) || !!o.frozenAsInputs, name: 'dpo_step' });
  const frozen = new Map(g.parameters().filter((p) => !trainable.has(p.name)).map((p) => [p.name, paramTensor(p)]));
  return { model, trainable: [...trainable], carry, initialState, frozen, dtype };
}
