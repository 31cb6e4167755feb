#!/usr/bin/python3
"""PyTorch-eager reference for one training step of Magenta's MusicRNN melody model.

`toccata-cli bench train` runs this next to Toccata's C++ (libtorch) trainer, so the C++
numbers can be compared with what plain PyTorch does for the same work. The network and the
step are written to match the C++ code op for op:

  - TF-layout LSTM cells (src/ml/layers/TfLstmCell): z = [x, h] @ kernel + bias, gate blocks
    i, j, f, o, forget bias 1.0 added at run time; a MultiRNNCell stack (LstmStack) with
    dropout on every layer's output (TF DropoutWrapper(output_keep_prob): the recurrent state
    keeps the undropped h). Without attention the stack runs layer by layer with each layer's
    input projection done for all time steps in one product, as LstmStack::forwardSequence.
  - optionally TF contrib's AttentionCellWrapper around the whole stack, as
    AttentionCellWrapper::forwardSequenceTraining (Magenta.js flavour: no query bias; the
    inputs' share of the input projection is one product for all steps; the window's
    projection through attn_w is carried along so each output is projected once; the score
    and read-out reductions are products);
  - a dense layer to logits; cross-entropy over the masked steps, their mean (RnnTrainer);
  - global-norm clipping, then TF's Adam (lr 0.001, betas 0.9/0.999, eps 1e-8).

Inputs are random one-hots and labels random classes: the timing does not depend on them.

Run it with a Python that has torch (on Debian: /usr/bin/python3 with python3-torch), e.g.
  /usr/bin/python3 tools/bench/pytorch_music_rnn_train.py --layers 128,128 --attn-length 40 \
      --batch 64 --length 128 --iters 10 --warmup 2 --threads 1
It prints exactly one JSON line on stdout; bad arguments exit with status 2.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

FORGET_BIAS = 1.0
ADAM_LR, ADAM_BETAS, ADAM_EPS = 0.001, (0.9, 0.999), 1e-8


def glorot(*shape, fan=None):
    # TF's glorot_uniform; the 4-D attn_w [1, 1, A, A] takes its fans from the last two dims.
    fan_in, fan_out = fan or (shape[0], shape[-1])
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return torch.nn.Parameter(torch.empty(*shape).uniform_(-limit, limit))


def zeros(n):  # TF's default bias initialiser
    return torch.nn.Parameter(torch.zeros(n))


def lstm_gates(z, c):
    i, j, f, o = z.chunk(4, 1)
    c = c * torch.sigmoid(f + FORGET_BIAS) + torch.sigmoid(i) * torch.tanh(j)
    return c, torch.tanh(c) * torch.sigmoid(o)


class MusicRnn(torch.nn.Module):
    def __init__(self, input_depth, classes, layers, attn_length, keep_prob):
        super().__init__()
        self.layers, self.attn_length, self.keep_prob = layers, attn_length, keep_prob
        a = layers[0]  # the attention size is the first layer's width, as in TF
        sizes_in = [input_depth] + layers[:-1]
        self.kernels = torch.nn.ParameterList(glorot(n + h, 4 * h)
                                              for n, h in zip(sizes_in, layers))
        self.biases = torch.nn.ParameterList(zeros(4 * h) for h in layers)
        if attn_length:
            self.in_kernel, self.in_bias = glorot(input_depth + a, input_depth), zeros(input_depth)
            self.attn_w = glorot(1, 1, a, a, fan=(a, a))
            self.attn_v = torch.nn.Parameter(glorot(a, 1).detach().view(a))
            self.query_kernel = glorot(2 * sum(layers), a)
            self.out_kernel, self.out_bias = glorot(layers[-1] + a, a), zeros(a)
        self.dense_kernel = glorot(a if attn_length else layers[-1], classes)
        self.dense_bias = zeros(classes)

    def drop(self, h):
        return F.dropout(h, 1.0 - self.keep_prob) if self.keep_prob < 1.0 else h

    def forward(self, x):
        state = [(x.new_zeros(x.shape[0], h), x.new_zeros(x.shape[0], h)) for h in self.layers]
        out = self.sequence(x, state) if not self.attn_length else self.attention(x, state)
        return torch.matmul(out, self.dense_kernel) + self.dense_bias

    def sequence(self, x, state):
        # Layer by layer: x's part of every step's gates in one product, then the recurrence.
        batch, time_steps, _ = x.shape
        for l, (kernel, bias) in enumerate(zip(self.kernels, self.biases)):
            n_in, hidden = x.shape[2], self.layers[l]
            projected = torch.addmm(bias, x.reshape(batch * time_steps, n_in), kernel[:n_in])
            projected = projected.view(batch, time_steps, 4 * hidden)
            (c, h), outputs = state[l], []
            for t in range(time_steps):
                c, h = lstm_gates(torch.addmm(projected[:, t], h, kernel[n_in:]), c)
                outputs.append(h)
            # One mask over the whole sequence: the same distribution as a mask per step.
            x = self.drop(torch.stack(outputs, 1))
        return x

    def attention(self, x, state):
        batch, time_steps, _ = x.shape
        a, length = self.layers[0], self.attn_length
        attn_w = self.attn_w.view(a, a)
        # attns: the last read-out; hidden: the last `length` outputs, oldest first.
        attns, hidden = x.new_zeros(batch, a), x.new_zeros(batch, length, a)
        features, outputs = torch.matmul(hidden, attn_w), []
        n_in = x.shape[2]
        x_share = torch.addmm(self.in_bias, x.reshape(batch * time_steps, n_in),
                              self.in_kernel[:n_in]).view(batch, time_steps, n_in)
        attns_kernel = self.in_kernel[n_in:]
        for x_t in x_share.unbind(1):
            inp = torch.addmm(x_t, attns, attns_kernel)
            for l, (kernel, bias) in enumerate(zip(self.kernels, self.biases)):
                c, h = state[l]
                state[l] = lstm_gates(torch.matmul(torch.cat([inp, h], 1), kernel) + bias, c)
                inp = self.drop(state[l][1])  # the query below reads the undropped state
            y = torch.matmul(torch.cat([s for ch in state for s in ch], 1), self.query_kernel)
            scores = torch.matmul(torch.tanh(features + y.unsqueeze(1)), self.attn_v)
            attns = torch.bmm(torch.softmax(scores, 1).unsqueeze(1), hidden).squeeze(1)
            out = torch.addmm(self.out_bias, torch.cat([inp, attns], 1), self.out_kernel)
            hidden = torch.cat([hidden[:, 1:], out.unsqueeze(1)], 1)
            features = torch.cat([features[:, 1:], torch.matmul(out, attn_w).unsqueeze(1)], 1)
            outputs.append(out)
        return torch.stack(outputs, 1)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--input-depth", type=int, default=74)
    p.add_argument("--classes", type=int, default=40)
    p.add_argument("--layers", default="128,128", help="comma-separated LSTM sizes")
    p.add_argument("--attn-length", type=int, default=40, help="0: no attention")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--length", type=int, default=128)
    p.add_argument("--keep-prob", type=float, default=0.5)
    p.add_argument("--clip-norm", type=float, default=3.0)
    p.add_argument("--iters", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)  # argparse itself exits with status 2 on malformed arguments
    try:
        args.layers = [int(s) for s in args.layers.split(",")]
    except ValueError:
        p.error("--layers must be comma-separated integers, got %r" % args.layers)
    checks = [
        (all(h > 0 for h in args.layers), "--layers sizes must be positive"),
        (min(args.input_depth, args.classes, args.batch, args.length, args.iters, args.threads)
         > 0, "--input-depth, --classes, --batch, --length, --iters, --threads must be > 0"),
        (args.attn_length >= 0 and args.warmup >= 0, "--attn-length and --warmup must be >= 0"),
        (0.0 < args.keep_prob <= 1.0, "--keep-prob must be in (0, 1]"),
        (args.clip_norm > 0.0, "--clip-norm must be positive"),
    ]
    for ok, message in (c for c in checks if not c[0]):
        p.error(message)
    return args


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = MusicRnn(args.input_depth, args.classes, args.layers, args.attn_length, args.keep_prob)
    params = list(model.parameters())
    optimizer = torch.optim.Adam(params, lr=ADAM_LR, betas=ADAM_BETAS, eps=ADAM_EPS)
    inputs = F.one_hot(torch.randint(args.input_depth, (args.batch, args.length)),
                       args.input_depth).float()
    labels = torch.randint(args.classes, (args.batch, args.length))
    mask = torch.ones(args.batch, args.length)

    def train_step(step):
        optimizer.zero_grad(set_to_none=True)  # the C++ trainer drops its gradients too
        logp = torch.log_softmax(model(inputs), -1)
        loss = -(logp.gather(-1, labels.unsqueeze(-1)).squeeze(-1) * mask).sum() / mask.sum()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, args.clip_norm)
        # TF adds eps to sqrt(v) before the bias correction, PyTorch after it; scaling eps by
        # 1/sqrt(1 - beta2^t) turns PyTorch's update into TF's exactly.
        optimizer.param_groups[0]["eps"] = ADAM_EPS / math.sqrt(1.0 - ADAM_BETAS[1] ** step)
        optimizer.step()
        return loss

    losses, times = [], []
    for step in range(1, args.warmup + args.iters + 1):
        start = time.perf_counter()
        loss = train_step(step)
        elapsed = time.perf_counter() - start
        losses.append(loss.item())  # outside the timed region
        times += [elapsed] if step > args.warmup else []

    median = statistics.median(times)
    p90 = sorted(times)[math.ceil(0.9 * len(times)) - 1]  # nearest rank
    print(json.dumps({
        "impl": "pytorch-eager", "torch": torch.__version__, "batch": args.batch,
        "length": args.length, "layers": args.layers, "attn_length": args.attn_length,
        "input_depth": args.input_depth, "classes": args.classes, "threads": args.threads,
        "step_ms_median": median * 1e3, "step_ms_p90": p90 * 1e3,
        "examples_per_s": args.batch / median, "steps_per_s": 1.0 / median,
        "loss_first": losses[0], "loss_last": losses[-1],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
