/**
 * DPO with LoRA for the built-in video-language model, as ONNX graphs: the
 * step graph (policy = frozen base + adapters on chosen projections), the
 * reference graph (the frozen model, adapters off) and a policy scoring graph.
 *
 * A batch holds P pairs, one row each: the video and the question once, the
 * chosen and rejected answers as two branches of the row (builtinPairFeeds),
 * so the shared prefix is computed once; log-probs come out [2P], chosen
 * first, as separate rows would give them.
 */
import { type EmittedModel, Graph, type TensorData, emitOnnx } from '../graph';
import { type ModelConfig, answerBranchLogps, geometry, parameterShapes } from '../model';
import { type LoraTargets, NN } from '../nn';
import { pairSlots } from './builtinBatch';
import type { HostTensor } from '../runtime';
import type { AdamWConfig } from './adamw';
import { type DpoConfig, validateDpoConfig } from './dpo';
import { type PairLogps, dpoStepTail } from './dpoStepTail';

export interface BuiltinPolicyOptions {
  config: ModelConfig;
  /** The frozen model's weights by name (the reference when no adapter is being continued). */
  weights: ReadonlyMap<string, TensorData>;
  /** Pairs per step (P). */
  pairs: number;
  /** Text slots of a single-answer row: the longest question plus the answer window (packText's `slots`); pair rows take one window more (pairSlots). */
  slots: number;
}

export interface BuiltinDpoStepOptions extends BuiltinPolicyOptions {
  lora: LoraTargets;
  dpo: DpoConfig;
  adamw: AdamWConfig;
  /** Starting adapter values by parameter name (continuing a trained adapter); the rest start as PEFT does (B = 0). */
  adapter?: ReadonlyMap<string, TensorData>;
  /** Seed of the adapters' A matrices. Default 0. */
  seed?: number;
  /** Length of the `category_weights` input. Default 3 (spatial, temporal, cross-frame). */
  categories?: number;
}

export interface BuiltinDpoStepGraph {
  model: EmittedModel;
  /** Adapter parameter names (`layers.0.attn.q_proj.lora_A.weight`, …), in creation order. */
  trainable: string[];
  /** Output -> the input it feeds on the next step: adapters and AdamW moments. */
  carry: Record<string, string>;
  /** Starting values of every carried input (adapters as initialised, moments zero). */
  initialState: Record<string, HostTensor>;
}

/** Why a LoRA setting cannot work, naming the field. */
export function validateLoraTargets(config: ModelConfig, lora: LoraTargets): void {
  if (!Number.isInteger(lora.rank) || lora.rank < 1) throw new TypeError(`lora.rank must be an integer of at least 1, got ${lora.rank}`);
  if (!(lora.alpha > 0) || !Number.isFinite(lora.alpha)) throw new TypeError(`lora.alpha must be a positive number, got ${lora.alpha}`);
  if (!lora.targets.length) throw new TypeError('lora.targets must name at least one projection (e.g. q_proj, v_proj)');
  const linears = linearNames(config);
  const unknown = lora.targets.find((t) => !linears.has(t));
  if (unknown !== undefined) throw new TypeError(`lora.targets: "${unknown}" is not a linear layer of the model (its linear layers: ${[...linears].join(', ')})`);
  const tooWide = [...parameterShapes(config)].find(([n, s]) => lora.targets.includes(moduleOf(n)) && lora.rank > Math.min(s[0], s[1]));
  if (tooWide) throw new TypeError(`lora.rank ${lora.rank} exceeds the smaller side of ${tooWide[0]} [${tooWide[1].join(', ')}]`);
}

/** The own name of a weight's module: `layers.0.attn.q_proj.weight` -> `q_proj`. */
const moduleOf = (weight: string) => weight.split('.').slice(-2, -1)[0];

/** Own names of the model's linear layers: 2-D weights that are not embeddings or position tables. */
function linearNames(config: ModelConfig): Set<string> {
  const names = new Set<string>();
  for (const [n, s] of parameterShapes(config)) if (s.length === 2 && n.endsWith('.weight') && !/embed|positions/.test(n)) names.add(moduleOf(n));
  return names;
}

/** Answer log-probs of [2P] rows (chosen then rejected): each pair one row, its two answers branches of it (builtinPairFeeds). */
function pairLogps(g: Graph, nn: NN, o: BuiltinPolicyOptions): PairLogps {
  const { op } = nn;
  const { visualTokens: v, patchValues } = geometry(o.config);
  const p = o.pairs;
  const k = o.config.answerWindow;
  const slots = pairSlots(o.config, o.slots);
  const text = (name: string, dtype: 'int32' | 'float32') => g.input(name, [p, slots], dtype);
  const inputs = { patches: g.input('patches', [p, v, patchValues], 'float32'), ids: text('ids', 'int32'), textMask: text('text_mask', 'float32'), textPositions: text('text_positions', 'int32'), branches: text('branches', 'float32') };
  const windowOf = (side: string) => ({ positions: g.input(`${side}_positions`, [p, k], 'int32'), targets: g.input(`${side}_targets`, [p, k], 'int32'), mask: g.input(`${side}_window_mask`, [p, k], 'float32') });
  const [chosen, rejected] = answerBranchLogps(nn, o.config, inputs, [windowOf('chosen'), windowOf('rejected')]);
  const both = (key: 'sum' | 'mean' | 'count') => op.Concat([chosen[key], rejected[key]], { axis: 0 }); // [2P]
  return { sum: both('sum'), mean: both('mean'), count: both('count') };
}

/**
 * The frozen model's log-probs of a batch, computed once per pair: outputs
 * `logps_sum` and `logps_mean`, [2P] each. `weights` is the reference: the
 * base, or the base with the adapter being continued merged in (never the
 * base alone then, a mistake TRL users hit).
 */
export function buildBuiltinReferenceGraph(o: BuiltinPolicyOptions): EmittedModel {
  const g = new Graph();
  const nn = new NN(g, { weights: o.weights });
  const logps = pairLogps(g, nn, o);
  return emitOnnx(g, { outputs: { logps_sum: logps.sum, logps_mean: logps.mean }, paramAsInput: () => false, name: 'builtin_reference' });
}

/** The policy's log-probs (`logps_sum`, `logps_mean`, [2P]) with the adapters fed as inputs by name: scores the model being trained. */
export function buildBuiltinPolicyGraph(o: BuiltinPolicyOptions & { lora: LoraTargets }): EmittedModel {
  const g = new Graph();
  const nn = new NN(g, { weights: o.weights, lora: o.lora });
  const logps = pairLogps(g, nn, o);
  return emitOnnx(g, { outputs: { logps_sum: logps.sum, logps_mean: logps.mean }, paramAsInput: (p) => nn.trainable.has(p.name), name: 'builtin_policy' });
}

/**
 * One DPO step of the built-in model's adapters as a single graph.
 * Inputs: patches [P, V, patchValues]; ids, text_mask [2P, slots]; positions,
 * targets, window_mask [2P, answerWindow]; ref_logps [2P]; category [P] int32;
 * category_weights [C]; lr and step (scalars); every adapter and its
 * `adam.m.` / `adam.v.` moments. Outputs: loss, TRL's metrics, grad_norm,
 * margins [P] and `next.<input>` for every carried input.
 */
export function buildBuiltinDpoStepGraph(o: BuiltinDpoStepOptions): BuiltinDpoStepGraph {
  validateLoraTargets(o.config, o.lora);
  validateDpoConfig(o.dpo);
  if (!Number.isInteger(o.pairs) || o.pairs < 1) throw new TypeError(`pairs must be an integer of at least 1, got ${o.pairs}`);
  const g = new Graph();
  const weights = new Map([...o.weights, ...(o.adapter ?? [])]);
  const nn = new NN(g, { weights, seed: o.seed, lora: o.lora });
  const { outputs, carry, initialState, trainable } = dpoStepTail(g, nn, { ...o, dtype: 'float32' }, () => pairLogps(g, nn, o));
  const model = emitOnnx(g, { outputs, paramAsInput: (p) => trainable.has(p.name), name: 'builtin_dpo_step' });
  return { model, trainable: [...trainable], carry, initialState };
}
