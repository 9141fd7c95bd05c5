"""PyTorch reference for PASTA-tiny (src/model/model.ts), written independently as nanoGPT would.

Reads a model folder (config.json + model.safetensors, the files modelFolderFiles writes) and
a request, and answers it with plain PyTorch modules whose parameter names are the names in
the safetensors file (loaded with load_state_dict(strict=True)).

    python3 scripts/model_reference.py DIR [DIR ...]

Each DIR holds:
  request.json   {"mode": "score" | "train-step" | "generate",
                  "model": folder with config.json + model.safetensors (default DIR/model),
                  "dtype": "float32" (default) | "float64",
                  "attention": "sdpa" (default, F.scaled_dot_product_attention) | "written",
                  "threads": 2,
                  train-step: "lr", "adamw": {"beta1", "beta2", "eps", "weightDecay", "maxGradNorm"}, "steps": 1
                  generate:   "maxWords": 16, "eosId": 1
                  "bench": N (optional: time N runs after "warmup" (default 1) and print one JSON line)}
  inputs.safetensors (or inputs.npz)
      score / train-step: patches [B, V, P] float32, ids [B, L] int32, text_mask [B, L],
                          positions [B, K] int32, targets [B, K] int32, window_mask [B, K]
      generate:           patches [1, V, P], question [q] int32 (the question's word ids)

and gets DIR/out.safetensors:
  score:      token_logps [B, K], logp [B]
  train-step: loss [steps], grad_norm [steps], next.<param> for every parameter, grad.<param> (step 1, before clipping)
  generate:   ids [n] int32, logps [n]
"""
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from dpo_reference import read_safetensors, write_safetensors  # one safetensors reader and writer for both references

MASKED_SCORE = -1e9


# ---------------------------------------------------------------- files

def read_inputs(d):
    st = os.path.join(d, "inputs.safetensors")
    if os.path.exists(st):
        return read_safetensors(st)
    with np.load(os.path.join(d, "inputs.npz")) as z:
        return {k: torch.from_numpy(z[k].copy()) for k in z.files}


# ---------------------------------------------------------------- the model

class Config:
    def __init__(self, d):
        self.__dict__.update(d)
        side = self.imageSize // self.patchSize
        cells_side = self.patchSize // self.cellSize
        self.tokens_per_frame = side * side
        self.visual_tokens = self.frames * side * side
        self.cells_per_patch = cells_side * cells_side
        self.cell_values = (self.cellSize + 2 * self.cellContext) ** 2 * 3
        self.head_dim = self.dim // self.heads


class Encoder(nn.Module):
    """Patches [B, V, cells·cellValues] (each cell with its context window) -> tokens [B, V, C]: a per-cell linear + GELU, a linear over a patch's cells, positions."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.stem = nn.Linear(c.cell_values, c.stemWidth, bias=True)
        self.merge = nn.Linear(c.cells_per_patch * c.stemWidth, c.dim, bias=True)
        self.spatial_positions = nn.Embedding(c.tokens_per_frame, c.dim)
        self.temporal_positions = nn.Embedding(c.frames, c.dim)

    def forward(self, patches):
        c = self.c
        b, v, _ = patches.shape
        cells = patches.view(b, v, c.cells_per_patch, c.cell_values)
        x = self.merge(F.gelu(self.stem(cells)).reshape(b, v, -1))
        pos = self.temporal_positions.weight[:, None, :] + self.spatial_positions.weight[None, :, :]  # [frames, tokens/frame, C]
        return x + pos.reshape(1, v, c.dim)


class Attention(nn.Module):
    def __init__(self, c, kind):
        super().__init__()
        self.c, self.kind = c, kind
        self.q_proj = nn.Linear(c.dim, c.dim, bias=False)
        self.k_proj = nn.Linear(c.dim, c.dim, bias=False)
        self.v_proj = nn.Linear(c.dim, c.dim, bias=False)
        self.o_proj = nn.Linear(c.dim, c.dim, bias=False)

    def forward(self, x, bias, cache=None):
        """bias: additive mask broadcastable to [B, H, t, T] (or None: attend to everything). cache: (k, v) of earlier positions."""
        c = self.c
        b, t, _ = x.shape
        split = lambda h: h.view(b, t, c.heads, c.head_dim).transpose(1, 2)  # [B, H, t, hd]
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        if cache is not None:
            k = torch.cat([cache[0], k], dim=2)
            v = torch.cat([cache[1], v], dim=2)
        if self.kind == "sdpa":
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(c.head_dim))
            if bias is not None:
                att = att + bias
            y = F.softmax(att, dim=-1) @ v
        y = y.transpose(1, 2).reshape(b, t, c.dim)
        return self.o_proj(y), (k, v)


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Linear(c.dim, c.hidden, bias=False)
        self.fc2 = nn.Linear(c.hidden, c.dim, bias=False)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))  # exact (erf) GELU


class Block(nn.Module):
    def __init__(self, c, kind):
        super().__init__()
        self.input_norm = nn.LayerNorm(c.dim, eps=1e-5)
        self.attn = Attention(c, kind)
        self.post_norm = nn.LayerNorm(c.dim, eps=1e-5)
        self.mlp = MLP(c)

    def forward(self, x, bias, cache=None):
        a, kv = self.attn(self.input_norm(x), bias, cache)
        x = x + a
        return x + self.mlp(self.post_norm(x)), kv


class PastaTiny(nn.Module):
    def __init__(self, c, attention="sdpa"):
        super().__init__()
        self.c = c
        self.encoder = Encoder(c)
        self.embed_tokens = nn.Embedding(c.vocabSize, c.dim)
        self.text_positions = nn.Embedding(c.maxText, c.dim)
        self.layers = nn.ModuleList([Block(c, attention) for _ in range(c.layers)])
        self.norm = nn.LayerNorm(c.dim, eps=1e-5)
        self.lm_head = nn.Linear(c.dim, c.vocabSize, bias=False)

    def attention_bias(self, mask):
        """[B, T] 1/0 -> [B, 1, T, T]: MASKED_SCORE above the diagonal and at padded keys (both add, as ours)."""
        t = mask.shape[1]
        causal = torch.triu(torch.full((t, t), MASKED_SCORE, dtype=mask.dtype), diagonal=1)
        return (1 - mask)[:, None, None, :] * MASKED_SCORE + causal

    def hidden(self, patches, ids, text_mask, caches=None):
        b, l = ids.shape
        x = torch.cat([self.encoder(patches), self.embed_tokens(ids) + self.text_positions.weight[:l]], dim=1)
        mask = torch.cat([torch.ones(b, self.c.visual_tokens, dtype=x.dtype), text_mask.to(x.dtype)], dim=1)
        bias = self.attention_bias(mask)
        kvs = []
        for block in self.layers:
            x, kv = block(x, bias)
            kvs.append(kv)
        return self.norm(x), kvs

    def answer_logps(self, patches, ids, text_mask, positions, targets, window_mask):
        """log p of each window entry [B, K] (0 where masked) and their sum [B]."""
        h, _ = self.hidden(patches, ids, text_mask)
        at = h.gather(1, positions.long()[:, :, None].expand(-1, -1, h.shape[-1]))  # [B, K, C]
        logp = F.log_softmax(self.lm_head(at), dim=-1).gather(2, targets.long()[:, :, None])[:, :, 0]
        tokens = logp * window_mask.to(logp.dtype)
        return tokens, tokens.sum(1)

    def loss(self, batch):
        _, total = self.answer_logps(*batch)
        return -total.sum() / batch[5].sum()

    @torch.no_grad()
    def generate(self, patches, question, max_words, eos_id):
        """Greedy decoding with a key-value cache, stopping as BuiltinModel.generate does."""
        c = self.c
        q = question.long()[None, :]
        h, kvs = self.hidden(patches, q, torch.ones_like(q, dtype=patches.dtype))
        logits = self.lm_head(h[:, -1])
        position = c.visual_tokens + q.shape[1]
        ids, logps = [], []
        while len(ids) < max_words:
            lp = F.log_softmax(logits[0], dim=-1)
            nxt = 1 + int(torch.argmax(logits[0][1:]))  # never <pad> (id 0), as BuiltinModel.generate
            if nxt == eos_id:
                break
            ids.append(nxt)
            logps.append(float(lp[nxt]))
            if len(ids) >= max_words or position >= c.visual_tokens + c.maxText:
                break
            x = (self.embed_tokens.weight[nxt] + self.text_positions.weight[position - c.visual_tokens]).view(1, 1, c.dim)
            for i, block in enumerate(self.layers):
                x, kvs[i] = block(x, None, kvs[i])  # one query over every cached key: nothing to mask
            logits = self.lm_head(self.norm(x[:, -1]))
            position += 1
        return ids, logps


def load_model(folder, attention, dtype):
    if attention == "sdpa" and not hasattr(F, "scaled_dot_product_attention"):
        attention = "written"  # PyTorch before 2.0 (Debian's python3-torch 1.13)
    with open(os.path.join(folder, "config.json")) as f:
        c = Config(json.load(f))
    model = PastaTiny(c, attention)
    model.load_state_dict(read_safetensors(os.path.join(folder, "model.safetensors")), strict=True)
    return model.to(dtype)


# ---------------------------------------------------------------- requests

def batch_of(inputs, dtype):
    f = lambda n: inputs[n].to(dtype)
    return (f("patches"), inputs["ids"].long(), f("text_mask"), inputs["positions"].long(), inputs["targets"].long(), f("window_mask"))


def adamw_step(model, opt, batch, max_grad_norm, grads=None):
    """One step; fills `grads` (a dict) with each parameter's gradient before clipping when given."""
    opt.zero_grad(set_to_none=True)
    loss = model.loss(batch)
    loss.backward()
    if grads is not None:
        grads.update({f"grad.{n}": p.grad.detach().clone() for n, p in model.named_parameters()})
    params = list(model.parameters())
    if max_grad_norm is None:
        norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in params]))
    else:
        norm = torch.nn.utils.clip_grad_norm_(params, max_grad_norm)
    opt.step()
    return loss.detach(), norm.detach()


def timed(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1000)
    return ms


def serve(d):
    with open(os.path.join(d, "request.json")) as f:
        req = json.load(f)
    torch.set_num_threads(int(req.get("threads", 2)))
    dtype = torch.float64 if req.get("dtype") == "float64" else torch.float32
    attention = req.get("attention", "sdpa")
    model = load_model(req.get("model", os.path.join(d, "model")), attention, dtype)
    attention = model.layers[0].attn.kind if len(model.layers) else attention
    inputs = read_inputs(d)
    mode, bench = req["mode"], req.get("bench")
    out, timing = {}, None
    if mode == "score":
        model.eval()
        batch = batch_of(inputs, dtype)
        with torch.no_grad():
            tokens, total = model.answer_logps(*batch)
        out = {"token_logps": tokens, "logp": total}
        if bench:
            with torch.no_grad():
                timing = timed(lambda: model.answer_logps(*batch), bench, req.get("warmup", 1))
    elif mode == "train-step":
        a = req["adamw"]
        opt = torch.optim.AdamW(model.parameters(), lr=req["lr"], betas=(a["beta1"], a["beta2"]), eps=a["eps"], weight_decay=a["weightDecay"])
        batch = batch_of(inputs, dtype)
        max_norm = a.get("maxGradNorm")
        if bench:
            timing = timed(lambda: adamw_step(model, opt, batch, max_norm), bench, req.get("warmup", 1))
        else:
            losses, norms = [], []
            for s in range(int(req.get("steps", 1))):
                loss, norm = adamw_step(model, opt, batch, max_norm, out if s == 0 else None)
                losses.append(loss)
                norms.append(norm)
            out.update({"loss": torch.stack(losses), "grad_norm": torch.stack(norms)})
            out.update({f"next.{n}": p.detach() for n, p in model.named_parameters()})
    elif mode == "generate":
        model.eval()
        patches, question = inputs["patches"].to(dtype), inputs["question"]
        gen = lambda: model.generate(patches, question, int(req.get("maxWords", 16)), int(req.get("eosId", 1)))
        ids, logps = gen()
        out = {"ids": torch.tensor(ids, dtype=torch.int32), "logps": torch.tensor(logps, dtype=torch.float64)}
        if bench:
            timing = timed(gen, bench, req.get("warmup", 1))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    if out:
        write_safetensors(os.path.join(d, "out.safetensors"), out)
    if timing is not None:
        print(json.dumps({"mode": mode, "torch_ms": statistics.median(timing), "torch_ms_all": timing, "torch_threads": torch.get_num_threads(), "torch_version": torch.__version__, "attention": attention}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for directory in sys.argv[1:]:
        serve(directory)
