import { describe, expect, it } from 'vitest';
import { ModelFolderError } from '../../model';
import { adapterFiles } from '../../train';
import { adapterFilesOf } from './adapterFiles';

const lora = { rank: 2, alpha: 4, targets: ['q_proj'] };
const files = adapterFiles({
  'layers.0.attn.q_proj.lora_A.weight': { dtype: 'float32', shape: [2, 3], data: new Float32Array(6).fill(0.5) },
  'layers.0.attn.q_proj.lora_B.weight': { dtype: 'float32', shape: [3, 2], data: new Float32Array(6) },
}, lora, { baseModel: 'pasta-tiny' });

describe('adapter files picked by the user', () => {
  it('finds the two PEFT files by name among others and reads the LoRA shape', () => {
    const r = adapterFilesOf([{ name: 'README.md', bytes: new Uint8Array(1) }, ...Object.entries(files).map(([name, bytes]) => ({ name: `run/${name}`, bytes }))]);
    expect(r.summary).toEqual({ rank: 2, alpha: 4, targets: ['q_proj'], tensors: 2 });
    expect(r.files['adapter_model.safetensors']).toBe(files['adapter_model.safetensors']);
  });

  it('names the missing or malformed file', () => {
    const only = (name: string, bytes: Uint8Array) => [{ name, bytes }];
    expect(() => adapterFilesOf(only('adapter_config.json', files['adapter_config.json']))).toThrow(ModelFolderError);
    expect(() => adapterFilesOf(only('adapter_config.json', files['adapter_config.json']))).toThrow(/adapter_model.safetensors: the file is missing/);
    const bad = [{ name: 'adapter_config.json', bytes: new TextEncoder().encode('{"r": 0}') }, { name: 'adapter_model.safetensors', bytes: files['adapter_model.safetensors'] }];
    expect(() => adapterFilesOf(bad)).toThrow(/adapter_config.json: needs an integer "r"/);
    const junk = [{ name: 'adapter_config.json', bytes: files['adapter_config.json'] }, { name: 'adapter_model.safetensors', bytes: new Uint8Array(4) }];
    expect(() => adapterFilesOf(junk)).toThrow(/adapter_model.safetensors: /);
  });
});
