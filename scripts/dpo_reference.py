"""PyTorch reference for the DPO step graph (parity tests and bench:train).

Builds the same decoder-only transformer with LoRA as src/nn/transformer.ts,
from the same weights and batch, and runs one DPO + AdamW step with autograd.

    python3 scripts/dpo_reference.py DIR [DIR ...]  # parity: writes DIR/torch_out.safetensors
    python3 scripts/dpo_reference.py DIR --bench N  # times N steps, prints one JSON line

DIR holds config.json, weights.safetensors and batch.safetensors, written by
the caller. config.json's "lossCode": "trl" computes the loss and its metrics
with TRL's own DPOTrainer code (needs trl: the project's .venv-ref); otherwise
with the hand-written losses below, which run on any PyTorch.
"""
import json
import math
from collections import defaultdict
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

MASKED_SCORE = -1e9
NP_DTYPES = {"F32": np.float32, "F64": np.float64, "I32": np.int32, "I64": np.int64}
CODES = {np.dtype(v): k for k, v in NP_DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    data = raw[8 + n :]
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        arr = np.frombuffer(data[b:end], dtype=NP_DTYPES[e["dtype"]]).reshape(e["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name].detach().cpu().numpy())
        b = a.tobytes()
        header[name] = {"dtype": CODES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


class Decoder:
    """The transformer of src/nn/transformer.ts, as plain tensor code."""

    def __init__(self, cfg, weights, lora):
        self.c, self.w, self.lora = cfg, weights, lora

    def linear(self, name, x, use_lora=True):
        y = x @ self.w[name + ".weight"].T
        if name + ".bias" in self.w:
            y = y + self.w[name + ".bias"]
        short = name.split(".")[-1]
        if use_lora and self.lora and short in self.lora["targets"]:
            a, b = self.w[name + ".lora_A.weight"], self.w[name + ".lora_B.weight"]
            y = y + ((x @ a.T) @ b.T) * (self.lora["alpha"] / self.lora["rank"])
        return y

    def norm(self, name, x):
        if self.c["norm"] == "rms":
            return x / torch.sqrt((x * x).mean(-1, keepdim=True) + 1e-6) * self.w[name + ".weight"]
        return F.layer_norm(x, x.shape[-1:], self.w[name + ".weight"], self.w[name + ".bias"], 1e-5)

    def attention(self, p, x, bias, use_lora):
        b, t, d = x.shape
        h = self.c["heads"]
        hd = d // h
        split = lambda z: z.reshape(b, t, h, hd).transpose(1, 2)  # [B, H, T, hd]
        q, k, v = (split(self.linear(f"{p}.{n}", x, use_lora)) for n in ("q_proj", "k_proj", "v_proj"))
        if self.c.get("attention") == "sdpa":
            # The fastest way a PyTorch user writes it: the fused kernel, with the same additive mask.
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(b, t, d)
        else:
            scores = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(hd)) + bias
            out = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(b, t, d)
        return self.linear(f"{p}.o_proj", out, use_lora)

    def mlp(self, p, x, use_lora):
        if self.c["mlp"] == "gelu":
            return self.linear(f"{p}.fc2", F.gelu(self.linear(f"{p}.fc1", x, use_lora)), use_lora)
        gate = F.silu(self.linear(f"{p}.gate_proj", x, use_lora))
        return self.linear(f"{p}.down_proj", gate * self.linear(f"{p}.up_proj", x, use_lora), use_lora)

    def logits(self, ids, mask, use_lora=True):
        b, t = ids.shape
        x = self.w["embed_tokens.weight"][ids.long()] + self.w["embed_positions.weight"][:t]
        causal = torch.triu(torch.full((t, t), MASKED_SCORE, dtype=x.dtype), 1)
        bias = (1 - mask.reshape(b, 1, 1, t)) * MASKED_SCORE + causal
        for i in range(self.c["layers"]):
            p = f"layers.{i}"
            x = x + self.attention(f"{p}.attn", self.norm(f"{p}.input_norm", x), bias, use_lora)
            x = x + self.mlp(f"{p}.mlp", self.norm(f"{p}.post_norm", x), use_lora)
        return self.linear("lm_head", self.norm("norm", x), use_lora)


def response_logps(logits, ids, response):
    logp = torch.log_softmax(logits[:, :-1], -1).gather(-1, ids[:, 1:].long().unsqueeze(-1)).squeeze(-1)
    mask = response[:, 1:]
    s = (logp * mask).sum(-1)
    return s, s / mask.sum(-1).clamp(min=1)


def dpo(cfg, pol, ref, counts, weights):
    """Our losses written out by hand (the older forms, and the bench's reference)."""
    beta, kind, ls = cfg["beta"], cfg["loss"], cfg.get("labelSmoothing", 0)
    p = pol.shape[0] // 2
    cs, rs = pol[:p] - ref[:p], pol[p:] - ref[p:]
    z = cs - rs
    if kind == "sigmoid":
        per = -F.logsigmoid(beta * z)
    elif kind == "cdpo":
        per = -F.logsigmoid(beta * z) * (1 - ls) - F.logsigmoid(-beta * z) * ls
    elif kind == "robust":
        per = (-(1 - ls) * F.logsigmoid(beta * z) + ls * F.logsigmoid(-beta * z)) / (1 - 2 * ls)
    elif kind == "ipo":
        per = (cs / counts[:p] - rs / counts[p:] - 1 / (2 * beta)) ** 2
    elif kind == "ipo_mean_logps":
        per = (z - 1 / (2 * beta)) ** 2
    else:
        per = torch.relu(1 - beta * z)
    chosen, rejected = beta * cs.detach(), beta * rs.detach()
    metrics = {
        "rewards/chosen": chosen.mean(),
        "rewards/rejected": rejected.mean(),
        "rewards/accuracies": (chosen > rejected).float().mean(),
        "rewards/margins": (chosen - rejected).mean(),
        "logps/chosen": pol[:p].detach().mean(),
        "logps/rejected": pol[p:].detach().mean(),
    }
    return (per * weights).mean(), metrics


TRL_LOSSES = {"sigmoid", "robust", "ipo", "hinge"}


def trl_loss(cfg, model, ids, mask, resp):
    """One loss and its metrics computed by TRL's own DPOTrainer._compute_loss, on our model.

    A stand-in trainer carries exactly the attributes that method reads; the
    model is not a PEFT model, so TRL takes the reference from `ref_model`
    (the same weights with the adapters off, as PEFT's disabled adapter is).
    """
    from types import SimpleNamespace

    from trl import DPOTrainer

    class Accelerator:
        device = torch.device("cpu")

        def gather(self, x):
            return x

        gather_for_metrics = gather

    class Forward(torch.nn.Module):
        def __init__(self, use_lora):
            super().__init__()
            self.use_lora = use_lora

        def forward(self, input_ids, attention_mask, **_):
            return SimpleNamespace(logits=model.logits(input_ids, attention_mask.to(mask.dtype), self.use_lora))

    forward = Forward

    trainer = SimpleNamespace(
        model=SimpleNamespace(training=True, is_gradient_checkpointing=False),
        ref_model=forward(False),
        accelerator=Accelerator(),
        args=SimpleNamespace(gradient_checkpointing_kwargs=None),
        aux_loss_enabled=False,
        ld_alpha=None,
        precompute_ref_logps=False,
        f_divergence_type="reverse_kl",
        f_alpha_divergence_coef=1.0,
        # An SFT term (our sftWeight) is TRL's "sft" loss type beside the DPO one.
        loss_types=[cfg["loss"]] + (["sft"] if cfg.get("sftWeight") else []),
        loss_weights=[1.0] + ([cfg["sftWeight"]] if cfg.get("sftWeight") else []),
        beta=cfg["beta"],
        label_smoothing=cfg.get("labelSmoothing", 0),
        use_weighting=False,
        _metrics={"train": defaultdict(list), "eval": defaultdict(list)},
        _total_train_tokens=0,
        _tp_size=1,
    )
    inputs = {"input_ids": ids.long(), "attention_mask": mask.long(), "completion_mask": resp.long()}
    loss = DPOTrainer._compute_loss(trainer, forward(True), inputs, return_outputs=False)
    metrics = {k: torch.tensor(v[-1], dtype=torch.float64) for k, v in trainer._metrics["train"].items() if k.startswith(("rewards/", "logps/"))}
    return loss, metrics


def main():
    # Several directories share one interpreter start (PyTorch and TRL take seconds to import).
    args, bench = sys.argv[1:], None
    if "--bench" in args:
        i = args.index("--bench")
        bench, args = int(args[i + 1]), args[:i] + args[i + 2 :]
    for d in args:
        run(d, bench)


def run(d, bench):
    cfg = json.load(open(f"{d}/config.json"))
    w = read_safetensors(f"{d}/weights.safetensors")
    batch = read_safetensors(f"{d}/batch.safetensors")
    torch.set_num_threads(cfg.get("threads", 2))
    trainable = [n for n in sorted(w) if ".lora_" in n]
    for n in trainable:
        w[n].requires_grad_(True)
    model = Decoder(cfg["model"], w, cfg["lora"])
    ids, mask, resp = batch["input_ids"], batch["attention_mask"], batch["response_mask"]
    use_mean = cfg["dpo"]["loss"] == "ipo_mean_logps"
    counts = resp[:, 1:].sum(-1).clamp(min=1)
    with torch.no_grad():
        ref_sum, ref_mean = response_logps(model.logits(ids, mask, use_lora=False), ids, resp)
    ref = ref_mean if use_mean else ref_sum
    weights = batch["category_weights"][batch["category"].long()]
    use_trl = cfg.get("lossCode") == "trl"
    if use_trl:
        assert cfg["dpo"]["loss"] in TRL_LOSSES, f"TRL has no {cfg['dpo']['loss']} loss"
        assert bool((weights == 1).all()), "TRL's loss has no per-pair weights: use unit category weights"
    a = cfg["adamw"]
    opt = torch.optim.AdamW([w[n] for n in trainable], lr=cfg["lr"], betas=(a["beta1"], a["beta2"]), eps=a["eps"], weight_decay=a["weightDecay"])

    def step():
        opt.zero_grad()
        if use_trl:
            loss, metrics = trl_loss(cfg["dpo"], model, ids, mask, resp)
        else:
            s, m = response_logps(model.logits(ids, mask), ids, resp)
            loss, metrics = dpo(cfg["dpo"], m if use_mean else s, ref, counts, weights)
        loss.backward()
        grads = {f"grad.{n}": w[n].grad.detach().clone() for n in trainable}
        if a.get("maxGradNorm") is not None:
            norm = torch.nn.utils.clip_grad_norm_([w[n] for n in trainable], a["maxGradNorm"])
        else:
            norm = torch.sqrt(sum((w[n].grad ** 2).sum() for n in trainable))
        opt.step()
        return loss, metrics, grads, norm

    if bench:
        step()  # warm-up
        times = []
        for _ in range(bench):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1000)
        n = 1024
        x = torch.randn(n, n)
        x @ x
        t0 = time.perf_counter()
        for _ in range(10):
            x @ x
        mm = 10 * 2 * n**3 / (time.perf_counter() - t0) / 1e9
        print(json.dumps({"torch_ms": statistics.median(times), "torch_runs": times, "torch_matmul_gflops": mm, "torch_threads": torch.get_num_threads(), "torch_version": torch.__version__}))
        return

    # Per step: loss, grad_norm and the metrics as [steps] vectors; the first step's gradients; the state after the last.
    steps = cfg.get("steps", 1)
    history = defaultdict(list)
    for i in range(steps):
        loss, metrics, grads, norm = step()
        if i == 0:
            first_grads = grads
        history["loss"].append(loss.detach().reshape([]))
        history["grad_norm"].append(norm.detach().reshape([]))
        for k, v in metrics.items():
            history[k].append(v.detach().reshape([]).to(loss.dtype))
    out = {k: torch.stack(v) for k, v in history.items()}
    out.update({"ref_logps_sum": ref_sum, "ref_logps_mean": ref_mean})
    out.update(first_grads)
    for n in trainable:
        state = opt.state[w[n]]
        out[f"next.{n}"] = w[n].detach()
        out[f"next.adam.m.{n}"] = state["exp_avg"]
        out[f"next.adam.v.{n}"] = state["exp_avg_sq"]
    write_safetensors(f"{d}/torch_out.safetensors", out)


if __name__ == "__main__":
    main()
