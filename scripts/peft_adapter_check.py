"""Reads an adapter folder written by src/train/peftAdapter.ts with the real PEFT package.

    python peft_adapter_check.py DIR

DIR holds adapter_config.json and adapter_model.safetensors (the folder under test) and base.safetensors
(the base weights of every adapted module, our names). The check builds a torch module tree with those
modules as nn.Linear layers, wraps it with peft.get_peft_model using the config read by
LoraConfig.from_pretrained, loads the adapter with set_peft_model_state_dict, then merges it with
merge_and_unload. Prints one JSON line (config fields, keys, PEFT's load result) and writes
DIR/merged.safetensors: every adapted module's merged weight, for the caller to compare with its own merge.
"""
import json
import sys

import torch
from peft import LoraConfig, get_peft_model, set_peft_model_state_dict
from safetensors.torch import load_file, save_file

folder = sys.argv[1]
config = LoraConfig.from_pretrained(folder)
adapter = load_file(f"{folder}/adapter_model.safetensors")
base = load_file(f"{folder}/base.safetensors")

root = torch.nn.Module()
for name, weight in base.items():
    *path, leaf, _ = name.split(".")  # layers.0.attn.q_proj.weight
    parent = root
    for part in path:
        if not hasattr(parent, part):
            parent.add_module(part, torch.nn.Module())
        parent = getattr(parent, part)
    linear = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=False)
    with torch.no_grad():
        linear.weight.copy_(weight)
    parent.add_module(leaf, linear)

root.name_or_path = config.base_model_name_or_path  # what a transformers model carries; PEFT checks it against the config
model = get_peft_model(root, config)
result = set_peft_model_state_dict(model, adapter)
lora_params = sorted(n for n, _ in model.named_parameters() if "lora_" in n)
missing = sorted(k for k in result.missing_keys if "lora_" in k)
merged = model.merge_and_unload()
save_file({n: p.detach().contiguous() for n, p in merged.named_parameters()}, f"{folder}/merged.safetensors")
print(json.dumps({
    "peft_type": str(config.peft_type.value if hasattr(config.peft_type, "value") else config.peft_type),
    "r": config.r,
    "lora_alpha": config.lora_alpha,
    "target_modules": sorted(config.target_modules),
    "bias": config.bias,
    "use_rslora": config.use_rslora,
    "keys": sorted(adapter.keys()),
    "lora_params": lora_params,
    "unexpected_keys": sorted(result.unexpected_keys),
    "missing_lora_keys": missing,
}))
