import type { Value } from '../graph';
import type { Init } from './init';
import type { NN } from './module';

/** A low-rank adapter: W x + (alpha / rank) · B A x, with B starting at zero so step 0 equals the base. */
export interface LoraConfig {
  rank: number;
  alpha: number;
}

/** Which projections of a block get adapters, and their size. */
export interface LoraTargets extends LoraConfig {
  /** Projection names: q_proj, k_proj, v_proj, o_proj, fc1, fc2, gate_proj, up_proj, down_proj. */
  targets: readonly string[];
}

export interface LinearOptions {
  inFeatures: number;
  outFeatures: number;
  /** Default false: the built-in models use bias-free projections, as LLaMA does. */
  bias?: boolean;
  /** Adds a trainable adapter beside the frozen weight. Default: the NN's injected adapter when `name` is one of its targets. */
  lora?: LoraConfig;
  /** The weight's initialisation. Default normal with std 0.02 (GPT-2's, for layers whose input is normalised). */
  init?: Init;
}

/**
 * y = x Wᵀ (+ b) (+ LoRA). Weights are stored [out, in] as PyTorch and PEFT
 * save them, so loading is an identity map; the transpose of a frozen weight
 * is folded by ORT when the session is created.
 */
export function linear(nn: NN, name: string, x: Value, options: LinearOptions): Value {
  const { inFeatures, outFeatures, bias = false, init = { kind: 'normal', std: 0.02 } } = options;
  const lora = options.lora ?? nn.loraFor(name);
  const { op } = nn;
  return nn.scope(name, () => {
    const w = nn.param('weight', [outFeatures, inFeatures], init);
    let y = op.MatMul(x, op.Transpose(w, [1, 0])); // [..., out]
    if (bias) y = op.Add(y, nn.param('bias', [outFeatures], { kind: 'zeros' }));
    if (lora) {
      // PEFT's defaults: A ~ kaiming-uniform(a=√5) = U(±1/√in), B = 0.
      const a = nn.scope('lora_A', () => nn.param('weight', [lora.rank, inFeatures], { kind: 'uniform', bound: 1 / Math.sqrt(inFeatures) }, { trainable: true }));
      const b = nn.scope('lora_B', () => nn.param('weight', [outFeatures, lora.rank], { kind: 'zeros' }, { trainable: true }));
      // The scale goes on the rank-wide tensor, not the output-wide one: the same sum, out/rank times fewer multiplies.
      const down = op.Mul(op.MatMul(x, op.Transpose(a, [1, 0])), lora.alpha / lora.rank); // [..., rank]
      y = op.Add(y, op.MatMul(down, op.Transpose(b, [1, 0]))); // [..., out]
    }
    return y;
  });
}
