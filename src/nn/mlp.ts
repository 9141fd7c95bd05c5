import type { Value } from '../graph';
import { type LoraTargets, linear } from './linear';
import type { NN } from './module';

export type MlpKind = 'gelu' | 'silu_gated';

export interface MlpOptions {
  dim: number;
  hidden: number;
  kind: MlpKind;
  /** Adapters on the projections whose names are listed (fc1, fc2, gate_proj, up_proj, down_proj). */
  lora?: LoraTargets;
}

/** GELU: fc2(gelu(fc1 x)). SiLU-gated (LLaMA): down_proj(silu(gate_proj x) · up_proj x). */
export function mlp(nn: NN, name: string, x: Value, options: MlpOptions): Value {
  const { dim, hidden, kind, lora } = options;
  const { op } = nn;
  const proj = (n: string, h: Value, inF: number, outF: number) =>
    linear(nn, n, h, { inFeatures: inF, outFeatures: outF, lora: lora?.targets.includes(n) ? lora : undefined });
  return nn.scope(name, () => {
    if (kind === 'gelu') return proj('fc2', op.gelu(proj('fc1', x, dim, hidden)), hidden, dim);
    const gated = op.Mul(op.silu(proj('gate_proj', x, dim, hidden)), proj('up_proj', x, dim, hidden)); // [..., hidden]
    return proj('down_proj', gated, hidden, dim);
  });
}
