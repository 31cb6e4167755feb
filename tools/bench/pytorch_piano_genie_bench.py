#!/usr/bin/env python3
"""PyTorch eager reference for `toccata-cli bench genie`: one Piano Genie decoder step at a
time, written the way the tutorial (chrisdonahue/music-cocreation-tutorial) writes its
decoder: Linear(91 -> H), nn.LSTM(H, H, L, batch_first), Linear(H -> 88).

Usage:
  /usr/bin/python3 tools/bench/pytorch_piano_genie_bench.py --weights DIR
      [--iterations 2000] [--warmup 200] [--temperature 0.25] [--threads 1]

DIR holds a TF.js weights export with the tutorial's PyTorch names (weights_manifest.json with
dec.input.*, dec.lstm.*_l{k}, dec.output.* and its shard files), e.g. the tutorial's
part-2-js-interaction/pretrained folder or the one `toccata-cli bench genie` writes. The
weights are read with json + numpy (float32, or tfjs uint8/uint16/float16 quantized), no
pickles.

Each press does the same work as Toccata's PianoGenieSession::pressAfter: build the input
[one_hot(last key, 89; start = 88), dt clipped to [0, 1], 2b/7 - 1] with torch ops, run one
step of the decoder at batch 1 under torch.no_grad (the LSTM state carried over), and pick the
key: argmax, or softmax(logits / T) and torch.multinomial. The presses follow a fixed pattern
of buttons and time gaps shared with the C++ and Magenta.js sides:
  button(i) = (3 i + i // 8) % 8,  dt(i) = [0.05, 0.1, 0.15, 0.22, 0.37, 0.7, 1.3][i % 7].
After W warm-up presses the state is reset and N presses are timed with argmax, then, from a
reset state again, N presses with temperature T. Prints one JSON line: the median, p50 and p99
(nearest rank) in microseconds of each, and the argmax keys (for a same-weights check).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

DTS = [0.05, 0.1, 0.15, 0.22, 0.37, 0.7, 1.3]
SOS = 88


def pattern(i):
    return (3 * i + i // 8) % 8, DTS[i % 7]


def read_tfjs(folder):
    """name -> float32 numpy array, from weights_manifest.json and its shards."""
    with open(os.path.join(folder, "weights_manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    out = {}
    for group in manifest:
        data = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            shape = w["shape"]
            count = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            if q and q["dtype"] == "float16":
                raw = np.frombuffer(data, np.float16, count, offset)
                offset += raw.nbytes
                values = raw.astype(np.float32)
            elif q:
                dtype = {"uint8": np.uint8, "uint16": np.uint16}[q["dtype"]]
                raw = np.frombuffer(data, dtype, count, offset)
                offset += raw.nbytes
                values = raw.astype(np.float32) * np.float32(q["scale"]) + np.float32(q["min"])
            else:
                if w["dtype"] != "float32":
                    raise SystemExit(f"{folder}: {w['name']} has dtype {w['dtype']}, not float32")
                values = np.frombuffer(data, np.float32, count, offset)
                offset += values.nbytes
            out[w["name"]] = values.reshape(shape).copy()
    return out


class Decoder(torch.nn.Module):
    def __init__(self, rnn_dim, layers):
        super().__init__()
        self.input = torch.nn.Linear(89 + 2, rnn_dim)
        self.lstm = torch.nn.LSTM(rnn_dim, rnn_dim, layers, batch_first=True)
        self.output = torch.nn.Linear(rnn_dim, 88)

    def forward(self, x, state):
        y, state = self.lstm(self.input(x), state)
        return self.output(y), state


def load_decoder(folder):
    tensors = read_tfjs(folder)
    dec = {k[len("dec."):]: torch.from_numpy(v) for k, v in tensors.items() if k.startswith("dec.")}
    if "input.weight" not in dec:
        raise SystemExit(f"{folder}: no dec.input.weight (not the tutorial layout)")
    rnn_dim = dec["input.weight"].shape[0]
    layers = sum(1 for k in dec if k.startswith("lstm.weight_ih_l"))
    model = Decoder(rnn_dim, layers)
    model.load_state_dict(dec, strict=True)
    model.eval()
    return model, rnn_dim, layers


def run(model, rnn_dim, layers, count, temperature, keys_out=None):
    """`count` presses from a fresh state; returns the microseconds of each."""
    state = (torch.zeros(layers, 1, rnn_dim), torch.zeros(layers, 1, rnn_dim))
    last = SOS
    micros = []
    for i in range(count):
        button, dt = pattern(i)
        t0 = time.perf_counter_ns()
        with torch.no_grad():
            k = F.one_hot(torch.tensor([[last]]), 89).float()
            d = torch.tensor([[dt]], dtype=torch.float32).clamp(0.0, 1.0)
            b = torch.tensor([[button]], dtype=torch.float32) * (2.0 / 7.0) - 1.0
            x = torch.cat([k, d.unsqueeze(-1), b.unsqueeze(-1)], dim=-1)
            logits, state = model(x, state)
            logits = logits[0, 0]
            if temperature == 0:
                key = int(torch.argmax(logits).item())
            else:
                probs = torch.softmax(logits / temperature, dim=-1)
                key = int(torch.multinomial(probs, 1).item())
        micros.append((time.perf_counter_ns() - t0) / 1000.0)
        last = key
        if keys_out is not None:
            keys_out.append(key)
    return micros


def median(values):
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def percentile(values, p):  # nearest rank, as the C++ side
    s = sorted(values)
    rank = int(np.ceil(p / 100.0 * len(s)))
    return s[min(len(s), max(1, rank)) - 1]


def summary(micros):
    return {"medianMicros": round(median(micros), 3), "p50Micros": round(percentile(micros, 50), 3),
            "p99Micros": round(percentile(micros, 99), 3), "count": len(micros)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weights", required=True)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--temperature", type=float, default=0.25)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    a = parser.parse_args()
    if a.iterations < 1 or a.warmup < 0 or not 0 < a.temperature <= 2 or a.threads < 1:
        raise SystemExit("bad --iterations/--warmup/--temperature/--threads")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model, rnn_dim, layers = load_decoder(a.weights)
    run(model, rnn_dim, layers, max(a.warmup, 1), a.temperature)
    keys = []
    argmax = run(model, rnn_dim, layers, a.iterations, 0.0, keys)
    sample = run(model, rnn_dim, layers, a.iterations, a.temperature)
    print(json.dumps({
        "tool": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "python": sys.version.split()[0], "rnnSize": rnn_dim, "layers": layers,
        "temperature": a.temperature, "argmax": summary(argmax), "sample": summary(sample),
        "argmaxKeys": keys,
    }))


if __name__ == "__main__":
    main()
