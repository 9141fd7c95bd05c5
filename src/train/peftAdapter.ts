/**
 * LoRA adapters in PEFT's folder layout: `adapter_config.json` (a LoraConfig
 * as `save_pretrained` writes it) and `adapter_model.safetensors` with PEFT's
 * key names, `base_model.model.<module>.lora_A.weight` / `.lora_B.weight`
 * (the adapter name "default" is not in the keys, as PEFT saves them). What
 * `mergeAdapter` (src/model/adapter.ts) and `peft.PeftModel.from_pretrained` read.
 */
import type { AdapterFile } from '../model';
import { type LoraTargets, decodeSafetensors, encodeSafetensors } from '../nn';
import type { HostTensor } from '../runtime';

const PEFT_PREFIX = 'base_model.model.';

/** What goes into adapter_config.json beyond the LoRA shape. */
export interface AdapterMetadata {
  /** `base_model_name_or_path`: the model the adapter was trained on. */
  baseModel: string;
  /** Extra string fields for the safetensors header (run settings, seed). */
  header?: Record<string, string>;
}

/** PEFT's LoraConfig fields for our adapters: no dropout, no bias, plain LoRA (not rsLoRA, not DoRA). */
export function peftConfig(lora: LoraTargets, baseModel: string) {
  return {
    peft_type: 'LORA',
    task_type: null,
    base_model_name_or_path: baseModel,
    inference_mode: true,
    r: lora.rank,
    lora_alpha: lora.alpha,
    lora_dropout: 0,
    target_modules: [...lora.targets].sort(),
    bias: 'none',
    fan_in_fan_out: false,
    use_rslora: false,
    use_dora: false,
    init_lora_weights: true,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
  };
}

/** The two files of an adapter folder from the trained adapters (our names, `layers.0.attn.q_proj.lora_A.weight`). */
export function adapterFiles(adapters: Readonly<Record<string, HostTensor>>, lora: LoraTargets, meta: AdapterMetadata): Record<AdapterFile, Uint8Array> {
  const tensors: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(adapters)) {
    if (!/\.lora_[AB]\.weight$/.test(name)) throw new TypeError(`adapter tensor "${name}" is not a lora_A or lora_B weight`);
    tensors[PEFT_PREFIX + name] = { dtype: 'float32', shape: t.shape, data: Float32Array.from(t.data as Float32Array) };
  }
  const json = new TextEncoder().encode(`${JSON.stringify(peftConfig(lora, meta.baseModel), null, 2)}\n`);
  return { 'adapter_config.json': json, 'adapter_model.safetensors': encodeSafetensors(tensors, { format: 'pt', ...meta.header }) };
}

/** Adapter values by our parameter names, read back from an adapter folder's safetensors bytes. */
export function adapterWeights(safetensors: Uint8Array): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, t] of Object.entries(decodeSafetensors(safetensors).tensors)) {
    out.set(name.startsWith(PEFT_PREFIX) ? name.slice(PEFT_PREFIX.length) : name, t.data as Float32Array);
  }
  return out;
}
