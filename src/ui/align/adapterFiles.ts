/**
 * An adapter folder picked as files: which file is which (by name, as PEFT
 * names them), and a first check that the pair is a LoRA adapter at all
 * (the config has r and lora_alpha, the weights are safetensors with
 * lora_A/lora_B tensors). Whether it fits the model is checked where it is
 * merged. DOM-free.
 */
import { ADAPTER_FILES, type AdapterFile, ModelFolderError } from '../../model';
import { decodeSafetensors } from '../../nn';

/** What an adapter is called in the views: its config's base model and rank, or the file's folder. */
export interface AdapterSummary {
  rank: number;
  alpha: number;
  targets: string[];
  tensors: number;
}

/** The two PEFT files among `picked` (other files are ignored); names the missing or malformed one. */
export function adapterFilesOf(picked: readonly { name: string; bytes: Uint8Array }[]): { files: Record<AdapterFile, Uint8Array>; summary: AdapterSummary } {
  const byName = new Map(picked.map((p) => [p.name.split('/').pop()!, p.bytes]));
  const files = {} as Record<AdapterFile, Uint8Array>;
  for (const f of ADAPTER_FILES) {
    const bytes = byName.get(f);
    if (!bytes) throw new ModelFolderError(f, `the file is missing: pick both ${ADAPTER_FILES.join(' and ')}`);
    files[f] = bytes;
  }
  let cfg: { r?: unknown; lora_alpha?: unknown; target_modules?: unknown };
  try {
    cfg = JSON.parse(new TextDecoder().decode(files['adapter_config.json']));
  } catch (e) {
    throw new ModelFolderError('adapter_config.json', `not JSON (${(e as Error).message})`);
  }
  if (!Number.isInteger(cfg.r) || (cfg.r as number) < 1 || typeof cfg.lora_alpha !== 'number') throw new ModelFolderError('adapter_config.json', 'needs an integer "r" > 0 and a number "lora_alpha"');
  let tensors: string[];
  try {
    tensors = Object.keys(decodeSafetensors(files['adapter_model.safetensors']).tensors);
  } catch (e) {
    throw new ModelFolderError('adapter_model.safetensors', (e as Error).message);
  }
  if (!tensors.some((t) => t.endsWith('.lora_A.weight'))) throw new ModelFolderError('adapter_model.safetensors', 'has no lora_A tensors: not a LoRA adapter');
  const targets = Array.isArray(cfg.target_modules) ? cfg.target_modules.map(String) : [];
  return { files, summary: { rank: cfg.r as number, alpha: cfg.lora_alpha, targets, tensors: tensors.length } };
}
