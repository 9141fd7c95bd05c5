import { GraphBuildError, type Value } from '../graph';
import { branchBias, causalPaddingBias, selfAttention } from './attention';
import { embedding } from './embedding';
import { type LoraTargets, linear } from './linear';
import { type MlpKind, mlp } from './mlp';
import type { NN } from './module';
import { layerNorm, rmsNorm } from './norm';

/** A decoder-only transformer: the language half of the built-in model, and the benchmark's model. */
export interface DecoderConfig {
  vocabSize: number;
  /** Longest sequence the position table covers. */
  maxSeqLen: number;
  dim: number;
  layers: number;
  heads: number;
  /** MLP hidden size; 4·dim is GPT-2's choice. */
  hidden: number;
  mlp: MlpKind;
  norm: 'rms' | 'layer';
}

export const DEFAULT_DECODER: DecoderConfig = {
  vocabSize: 512,
  maxSeqLen: 128,
  dim: 128,
  layers: 2,
  heads: 4,
  hidden: 512,
  mlp: 'gelu',
  norm: 'rms',
};

/** Pre-norm block: x + attn(norm(x)), then + mlp(norm(x)). */
function block(nn: NN, index: number, x: Value, bias: Value, config: DecoderConfig, lora?: LoraTargets): Value {
  const norm = config.norm === 'rms' ? rmsNorm : layerNorm;
  return nn.scope('layers', () =>
    nn.scope(index, () => {
      const h = nn.op.Add(x, selfAttention(nn, 'attn', norm(nn, 'input_norm', x), bias, { dim: config.dim, heads: config.heads, lora }));
      return nn.op.Add(h, mlp(nn, 'mlp', norm(nn, 'post_norm', h), { dim: config.dim, hidden: config.hidden, kind: config.mlp, lora }));
    }),
  );
}

/** Rows holding one prompt and several responses as branches of it (see branchBias). */
export interface SharedPromptInputs {
  /** [B, T] int32: each slot's position; every branch starts where the prompt ends. */
  positions: Value;
  /** [B, T] float: 0 on the prompt, n ≥ 1 on branch n. */
  branches: Value;
}

/**
 * The final normed hidden states [B, T, C] for int32 `ids` [B, T] and a float
 * padding `mask` [B, T] (1 = token, 0 = padding; right padding).
 */
export function decoderHidden(nn: NN, config: DecoderConfig, ids: Value, mask: Value, lora?: LoraTargets, branches?: SharedPromptInputs): Value {
  const { op } = nn;
  const [b, t] = ids.shape;
  if (ids.rank !== 2 || mask.rank !== 2 || mask.shape[0] !== b || mask.shape[1] !== t) {
    throw new GraphBuildError(`ids ${ids.describe()} and mask ${mask.describe()} must both be [B, T]`);
  }
  // Branches restart their positions after the prompt, so a row may be longer than the position table.
  if (t > config.maxSeqLen && !branches) throw new GraphBuildError(`sequence length ${t} exceeds maxSeqLen ${config.maxSeqLen}`);
  const positions = nn.scope('embed_positions', () => nn.param('weight', [config.maxSeqLen, config.dim], { kind: 'normal', std: 0.02 }));
  const positional = branches ? op.Gather(positions, branches.positions) : op.Slice(positions, { starts: [0], ends: [t], axes: [0] }); // [B, T, C] or [T, C]
  let x = op.Add(embedding(nn, 'embed_tokens', ids, config.vocabSize, config.dim), positional); // [B, T, C]
  let bias = causalPaddingBias(nn, mask);
  if (branches) bias = op.Add(bias, branchBias(nn, branches.branches));
  for (let i = 0; i < config.layers; i++) x = block(nn, i, x, bias, config, lora);
  return (config.norm === 'rms' ? rmsNorm : layerNorm)(nn, 'norm', x); // [B, T, C]
}

/** Next-token logits [..., vocab] from hidden states [..., C]. */
export const lmHead = (nn: NN, config: DecoderConfig, h: Value): Value => linear(nn, 'lm_head', h, { inFeatures: config.dim, outFeatures: config.vocabSize });

/** Next-token logits [B, T, vocab] at every position (see decoderHidden). */
export const decoderLogits = (nn: NN, config: DecoderConfig, ids: Value, mask: Value, lora?: LoraTargets): Value => lmHead(nn, config, decoderHidden(nn, config, ids, mask, lora));

/** Parameters of the base model (no adapters), for budgets and reports. */
export function decoderParameterCount(c: DecoderConfig): number {
  const mlpParams = c.mlp === 'gelu' ? 2 * c.dim * c.hidden : 3 * c.dim * c.hidden;
  const normParams = c.norm === 'rms' ? c.dim : 2 * c.dim;
  const perLayer = 4 * c.dim * c.dim + mlpParams + 2 * normParams;
  return c.vocabSize * c.dim * 2 + c.maxSeqLen * c.dim + c.layers * perLayer + normParams;
}
