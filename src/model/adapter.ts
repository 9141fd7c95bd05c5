import type { TensorData } from '../graph';
import { decodeSafetensors } from '../nn';
import { ModelFolderError } from './errors';
import type { LoadedModel } from './folder';

/** The files of a LoRA adapter folder in PEFT's layout. */
export const ADAPTER_FILES = ['adapter_config.json', 'adapter_model.safetensors'] as const;
export type AdapterFile = (typeof ADAPTER_FILES)[number];

/** PEFT names adapter tensors after the wrapped model: `base_model.model.<module>.lora_A.weight`. */
const PEFT_PREFIX = 'base_model.model.';

/**
 * The model with a PEFT-layout LoRA adapter merged into its weights:
 * W' = W + (lora_alpha / r) · B A for every adapted projection. Errors name
 * the adapter file and tensor.
 */
export async function mergeAdapter(model: LoadedModel, read: (file: AdapterFile) => Promise<Uint8Array | undefined>): Promise<LoadedModel> {
  const configBytes = await read('adapter_config.json');
  if (!configBytes) throw new ModelFolderError('adapter_config.json', 'the file is missing');
  let cfg: { r?: number; lora_alpha?: number };
  try {
    cfg = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (e) {
    throw new ModelFolderError('adapter_config.json', `not JSON (${(e as Error).message})`);
  }
  if (!Number.isInteger(cfg.r) || !(cfg.r! > 0) || typeof cfg.lora_alpha !== 'number') throw new ModelFolderError('adapter_config.json', 'needs an integer "r" > 0 and a number "lora_alpha"');
  const bytes = await read('adapter_model.safetensors');
  if (!bytes) throw new ModelFolderError('adapter_model.safetensors', 'the file is missing');
  let tensors;
  try {
    tensors = decodeSafetensors(bytes).tensors;
  } catch (e) {
    throw new ModelFolderError('adapter_model.safetensors', (e as Error).message, /tensor "([^"]+)"/.exec((e as Error).message)?.[1] ?? null);
  }
  const scale = cfg.lora_alpha / cfg.r!;
  const weights = new Map<string, TensorData>(model.weights);
  for (const [name, a] of Object.entries(tensors)) {
    if (!name.endsWith('.lora_A.weight')) continue;
    const module = name.slice(name.startsWith(PEFT_PREFIX) ? PEFT_PREFIX.length : 0, -'.lora_A.weight'.length);
    const b = tensors[name.replace('.lora_A.weight', '.lora_B.weight')];
    const base = model.weights.get(`${module}.weight`) as Float32Array | undefined;
    if (!b) throw new ModelFolderError('adapter_model.safetensors', 'has no matching lora_B', name);
    if (!base) throw new ModelFolderError('adapter_model.safetensors', `adapts "${module}", which the model does not have`, name);
    const [rank, inF] = a.shape;
    const [outF] = b.shape;
    if (rank !== cfg.r || b.shape[1] !== rank || outF * inF !== base.length) throw new ModelFolderError('adapter_model.safetensors', `shapes A [${a.shape}] and B [${b.shape}] do not fit the model's [${outF}, ${inF}] with r ${cfg.r}`, name);
    const merged = Float32Array.from(base);
    for (let o = 0; o < outF; o++)
      for (let r = 0; r < rank; r++) {
        const bv = Number(b.data[o * rank + r]) * scale;
        if (bv !== 0) for (let i = 0; i < inF; i++) merged[o * inF + i] += bv * Number(a.data[r * inF + i]);
      }
    weights.set(`${module}.weight`, merged);
  }
  return { ...model, weights };
}
