#!/usr/bin/env python3
"""PyTorch eager reference for `toccata-cli bench transformer`: the same Music Transformer as
src/ml/models/music_transformer (pre-LayerNorm decoder, relative self-attention with per-head
embeddings clipped at R, skewing for full sequences), written the usual PyTorch way
(nn.Embedding / nn.LayerNorm / nn.Linear modules, torch.no_grad), on the SAME weights: the
model folder's weights_manifest.json and shards read with json + numpy (no pickles), sizes
from the shapes, the context window from model.json.

Usage:
  /usr/bin/python3 tools/bench/pytorch_music_transformer.py --weights DIR
      [--events 1024] [--uncached-events 256] [--repeat 3] [--threads 1] [--batch 1]

Greedy generation (argmax over tokens >= 2; 0 = pad and 1 = start are never generated) from
the start token, two ways (cached: --batch sequences in lock step, as variations):
  cached    one token per step with preallocated key/value caches [B, H, W, D] per layer
            (a ring of W slots: when full the oldest entry is overwritten, as Toccata's
            SlidingContext::kShift); relative logits of the single query computed as
            q . Er^T and gathered per slot.
  uncached  the whole sequence so far (its last W tokens) re-run for every new token.
Prints one JSON line: tokens/s (median over the repeats, and every run's seconds) and the
generated tokens of each way, for the same-weights check.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_piano_genie_bench import read_tfjs  # noqa: E402

PAD, START = 0, 1
P = "transformer/"


class Layer(torch.nn.Module):
    def __init__(self, w, l, d, heads):
        super().__init__()
        n = lambda s: w[f"{P}layer_{l}/{s}"]
        self.heads, self.dim = heads, d // heads
        self.ln1 = torch.nn.LayerNorm(d)
        self.ln2 = torch.nn.LayerNorm(d)
        self.qkv = torch.nn.Linear(d, 3 * d)  # query, key and value in one product
        self.o = torch.nn.Linear(d, d)
        ff = n("ffn/dense_1/kernel").shape[1]
        self.ff1 = torch.nn.Linear(d, ff)
        self.ff2 = torch.nn.Linear(ff, d)
        with torch.no_grad():
            for ln, s in ((self.ln1, "attention/layer_norm/"), (self.ln2, "ffn/layer_norm/")):
                ln.weight.copy_(torch.from_numpy(n(s + "gamma")))
                ln.bias.copy_(torch.from_numpy(n(s + "beta")))
            kernels = [n(f"attention/{s}/kernel") for s in ("query", "key", "value")]
            biases = [n(f"attention/{s}/bias") for s in ("query", "key", "value")]
            self.qkv.weight.copy_(torch.from_numpy(np.concatenate(kernels, 1)).t())
            self.qkv.bias.copy_(torch.from_numpy(np.concatenate(biases)))
            for lin, s in ((self.o, "attention/output/"), (self.ff1, "ffn/dense_1/"),
                           (self.ff2, "ffn/dense_2/")):
                lin.weight.copy_(torch.from_numpy(n(s + "kernel")).t())  # TF [in, out]
                lin.bias.copy_(torch.from_numpy(n(s + "bias")))
        self.rel = torch.nn.Parameter(torch.from_numpy(n("attention/relative_embeddings")))
        self.max_rel = self.rel.shape[1] - 1

    def split(self, x):  # [B, L, d] -> [B, H, L, D]
        b, l, _ = x.shape
        return x.view(b, l, self.heads, self.dim).transpose(1, 2)

    def forward_full(self, x):
        b, length, d = x.shape
        h = self.ln1(x)
        q, k, v = (self.split(t) for t in self.qkv(h).chunk(3, -1))
        idx = (torch.arange(length) - (length - 1) + self.max_rel).clamp(min=0)
        er = self.rel[:, idx]                                  # [H, L, D]
        qe = torch.matmul(q, er.transpose(1, 2).unsqueeze(0))  # [B, H, L, L]
#Skewing : pad a zero column left, reshape to[L + 1, L], drop the first row.
        s_rel = F.pad(qe, (1, 0)).reshape(b, self.heads, length + 1, length)[:, :, 1:]
        logits = (q @ k.transpose(2, 3) + s_rel) / math.sqrt(self.dim)
        mask = torch.ones(length, length, dtype=torch.bool).triu(1)
        att = torch.softmax(logits.masked_fill(mask, float("-inf")), -1) @ v
        x = x + self.o(att.transpose(1, 2).reshape(b, length, d))
        return x + self.ff2(torch.relu(self.ff1(self.ln2(x))))

    def forward_step(self, x, k_cache, v_cache, slot, count, rel_index):
#x[B, d]; caches[B, H, W, D]; rel_index[count] : row of each valid slot
        b, d = x.shape
        h = self.ln1(x)
        q, k, v = self.qkv(h).view(b, 3, self.heads, self.dim).unbind(1)
        q = q.unsqueeze(2)                                           # [B, H, 1, D]
        k_cache[:, :, slot] = k
        v_cache[:, :, slot] = v
        keys, values = k_cache[:, :, :count], v_cache[:, :, :count]
        qe = torch.matmul(q, self.rel.transpose(1, 2).unsqueeze(0))   # [B, H, 1, R + 1]
        logits = (q @ keys.transpose(2, 3) + qe[..., rel_index]) / math.sqrt(self.dim)
        att = torch.softmax(logits, -1) @ values                     # [B, H, 1, D]
        x = x + self.o(att.reshape(b, d))
        return x + self.ff2(torch.relu(self.ff1(self.ln2(x))))


class MusicTransformer(torch.nn.Module):
    def __init__(self, w, window):
        super().__init__()
        emb = torch.from_numpy(w[P + "embedding"])
        self.vocab, self.d = emb.shape
        self.embedding = torch.nn.Embedding(self.vocab, self.d)
        with torch.no_grad():
            self.embedding.weight.copy_(emb)
        heads = w[P + "layer_0/attention/relative_embeddings"].shape[0]
        count = 0
        while f"{P}layer_{count}/attention/query/kernel" in w:
            count += 1
        self.layers = torch.nn.ModuleList(Layer(w, l, self.d, heads) for l in range(count))
        self.final = torch.nn.LayerNorm(self.d)
        self.out = torch.nn.Linear(self.d, self.vocab)
        with torch.no_grad():
            self.final.weight.copy_(torch.from_numpy(w[P + "final_layer_norm/gamma"]))
            self.final.bias.copy_(torch.from_numpy(w[P + "final_layer_norm/beta"]))
            tied = P + "output/kernel" not in w
            self.out.weight.copy_(emb if tied else torch.from_numpy(w[P + "output/kernel"]).t())
            bias = w.get(P + "output/bias")
            self.out.bias.copy_(torch.from_numpy(bias) if bias is not None else torch.zeros(self.vocab))
        self.window, self.heads, self.scale = window, heads, math.sqrt(self.d)

    def forward_full(self, tokens):
        x = self.embedding(tokens) * self.scale
        for layer in self.layers:
            x = layer.forward_full(x)
        return self.out(self.final(x))

    def new_cache(self, batch):
        shape = (batch, self.heads, self.window, self.d // self.heads)
        return [(torch.zeros(shape), torch.zeros(shape)) for _ in self.layers]

    def forward_step(self, token, cache, position):
        w = self.window
        slot, count = position % w, min(position + 1, w)
        max_rel = self.layers[0].max_rel
        age = (position - torch.arange(count)) % w
        rel_index = max_rel - age.clamp(max=max_rel)
        x = self.embedding(token) * self.scale
        for layer, (k, v) in zip(self.layers, cache):
            x = layer.forward_step(x, k, v, slot, count, rel_index)
        return self.out(self.final(x))


def pick(logits):
    logits = logits.clone()
    logits[..., :2] = float("-inf")  # pad and start are never generated
    return logits.argmax(-1)


def generate_cached(model, events, batch=1):
    cache = model.new_cache(batch)
    token = torch.full((batch,), START, dtype=torch.long)
    out = []
    logits = model.forward_step(token, cache, 0)
    for n in range(events):
        token = pick(logits)
        out.append(int(token[0]))
        if n + 1 < events:
            logits = model.forward_step(token, cache, n + 1)
    return out


def generate_uncached(model, events):
    seq = [START]
    out = []
    for _ in range(events):
        tokens = torch.tensor([seq[-model.window:]])
        token = int(pick(model.forward_full(tokens)[0, -1]))
        out.append(token)
        seq.append(token)
    return out


def timed(fn, model, events, repeat, batch=1):
    seconds, tokens = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        tokens = fn(model, events, batch) if batch > 1 else fn(model, events)
        seconds.append(time.perf_counter() - start)
    return {"events": events, "batch": batch, "seconds": seconds,
            "tokens_per_s_median": batch * events / statistics.median(seconds), "tokens": tokens}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weights", required=True)
    ap.add_argument("--events", type=int, default=1024)
    ap.add_argument("--uncached-events", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(args.weights, "model.json"), encoding="utf-8") as f:
        window = json.load(f)["architecture"]["contextWindow"]
    model = MusicTransformer(read_tfjs(args.weights), window).eval()
    result = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    with torch.no_grad():
        generate_cached(model, 8)  # warm-up
        result["cached"] = timed(generate_cached, model, args.events, args.repeat, args.batch)
        if args.uncached_events > 0:
            result["uncached"] = timed(generate_uncached, model, args.uncached_events, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
