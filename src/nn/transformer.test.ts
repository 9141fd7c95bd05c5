import { describe, expect, it } from 'vitest';
import { Graph, GraphBuildError } from '../graph';
import { type DecoderConfig, NN, decoderLogits, decoderParameterCount } from '.';

const config: DecoderConfig = { vocabSize: 50, maxSeqLen: 10, dim: 16, layers: 2, heads: 2, hidden: 32, mlp: 'silu_gated', norm: 'layer' };

function build(lora?: { rank: number; alpha: number; targets: string[] }) {
  const g = new Graph();
  const nn = new NN(g, { seed: 1 });
  const logits = decoderLogits(nn, config, g.input('ids', [2, 8], 'int32'), g.input('mask', [2, 8], 'float32'), lora);
  return { g, nn, logits };
}

describe('decoder', () => {
  it('names parameters as saved files do, and counts them', () => {
    const { g, nn, logits } = build({ rank: 2, alpha: 4, targets: ['q_proj', 'down_proj'] });
    expect(logits.shape).toEqual([2, 8, 50]);
    expect(nn.trainableParameters().map((p) => p.name)).toEqual([
      'layers.0.attn.q_proj.lora_A.weight',
      'layers.0.attn.q_proj.lora_B.weight',
      'layers.0.mlp.down_proj.lora_A.weight',
      'layers.0.mlp.down_proj.lora_B.weight',
      'layers.1.attn.q_proj.lora_A.weight',
      'layers.1.attn.q_proj.lora_B.weight',
      'layers.1.mlp.down_proj.lora_A.weight',
      'layers.1.mlp.down_proj.lora_B.weight',
    ]);
    const base = g.parameters().filter((p) => !nn.trainable.has(p.name));
    expect(base.map((p) => p.name)).toContain('layers.1.post_norm.bias');
    expect(base.reduce((s, p) => s + p.size, 0)).toBe(decoderParameterCount(config));
  });

  it('the same seed gives the same weights, whatever the build order; saved weights win', () => {
    const a = build().g.parameters();
    const b = build({ rank: 2, alpha: 4, targets: ['v_proj'] }).g.parameters();
    const byName = new Map(b.map((p) => [p.name, p]));
    for (const p of a) expect(byName.get(p.name)!.source).toEqual(p.source);
    const g = new Graph();
    const w = new Float32Array(16).fill(3);
    const nn = new NN(g, { weights: new Map([['norm.weight', w]]) });
    decoderLogits(nn, config, g.input('ids', [1, 4], 'int32'), g.input('mask', [1, 4], 'float32'));
    expect(g.parameters().find((p) => p.name === 'norm.weight')!.source).toEqual({ kind: 'param', data: w });
    expect(nn.initialized).not.toContain('norm.weight');
  });

  it('rejects sequences longer than the position table and saved weights of the wrong size', () => {
    const g = new Graph();
    expect(() => decoderLogits(new NN(g), config, g.input('ids', [1, 11], 'int32'), g.input('mask', [1, 11], 'float32'))).toThrow(/sequence length 11 exceeds maxSeqLen 10/);
    const g2 = new Graph();
    const nn = new NN(g2, { weights: new Map([['norm.weight', new Float32Array(3)]]) });
    expect(() => decoderLogits(nn, config, g2.input('ids', [1, 4], 'int32'), g2.input('mask', [1, 4], 'float32'))).toThrow(GraphBuildError);
  });
});
