#!/usr/bin/python3
"""Turns the Piano Genie tutorial's published PyTorch checkpoint into a Toccata model folder.

The tutorial (chrisdonahue/music-cocreation-tutorial) publishes its decoder as TF.js weights,
but its encoder only in part-1-py-training/pretrained/model.pt, a PyTorch pickle. Toccata's
model folders never load pickles, so this developer tool reads the checkpoint once with
PyTorch (python3-torch, on the CPU) and writes plain data:

  OUT/weights_manifest.json + OUT/group1-shard1of1.bin   every enc.* and dec.* tensor, float32,
                                                         PyTorch names and layouts
  OUT/model.json                                         family piano_genie, provenance, licence

so `toccata-cli eval --model OUT --data DIR --held-out` scores the published model (with its
own encoder choosing the buttons) on the same held-out files as a model Toccata trained.

  /usr/bin/python3 tools/piano_genie/convert_tutorial_checkpoint.py \\
      ../shared/reference/piano-genie-tutorial/pytorch/model.pt OUT [--cfg cfg.json]
"""
import argparse
import datetime
import json
import os
import sys

import torch


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoint", help="the tutorial's model.pt (a state dict)")
    parser.add_argument("out", help="the model folder to write (created; must not hold a model)")
    parser.add_argument("--cfg", help="the run's cfg.json (default: cfg.json beside model.pt)")
    parser.add_argument("--id", default="piano_genie_tutorial")
    args = parser.parse_args()

    state = torch.load(args.checkpoint, map_location="cpu")
    if not isinstance(state, dict):
        sys.exit(f"{args.checkpoint}: expected a state dict, got {type(state).__name__}")
    names = [n for n in state if n.startswith("enc.") or n.startswith("dec.")]
    if "dec.input.weight" not in names or "enc.input.weight" not in names:
        sys.exit(f"{args.checkpoint}: no dec.input.weight / enc.input.weight: not the tutorial's "
                 "Piano Genie")
    cfg_path = args.cfg or os.path.join(os.path.dirname(args.checkpoint), "cfg.json")
    cfg = {}
    if os.path.exists(cfg_path):
        with open(cfg_path) as f:
            cfg = json.load(f)

    if os.path.exists(os.path.join(args.out, "model.json")):
        sys.exit(f"{args.out}: already holds a model")
    os.makedirs(args.out, exist_ok=True)
    shard = "group1-shard1of1.bin"
    weights = []
    with open(os.path.join(args.out, shard), "wb") as bin_file:
        for name in names:
            # The LSTM parameters share one flat storage: contiguous() copies each one out.
            tensor = state[name].detach().to(torch.float32).contiguous()
            bin_file.write(tensor.numpy().astype("<f4").tobytes())
            weights.append({"name": name, "shape": list(tensor.shape), "dtype": "float32"})
    with open(os.path.join(args.out, "weights_manifest.json"), "w") as f:
        json.dump([{"paths": [shard], "weights": weights}], f)

    rnn = int(state["dec.lstm.weight_hh_l0"].shape[1])
    layers = sum(1 for n in names if n.startswith("dec.lstm.weight_ih_l"))
    # The cfg.json keys Toccata's trainer also has (its eval reads seq_len and the dt clip).
    known = ["model_rnn_dim", "model_rnn_num_layers", "seq_len", "data_delta_time_max",
             "data_augment_time_stretch_max", "data_augment_transpose_max",
             "loss_margin_multiplier", "loss_contour_multiplier", "batch_size", "lr", "seed"]
    model = {
        "format": "toccata-model",
        "formatVersion": 1,
        "id": args.id,
        "family": "piano_genie",
        "config": "piano_genie",
        "description": "Piano Genie from the music co-creation tutorial (the tutorial's "
                       "published weights, encoder included), converted from its PyTorch "
                       "checkpoint",
        "architecture": {"layout": "tutorial", "rnnSize": rnn, "layers": layers,
                         "encoder": True},
        "codec": {"encoding": "piano_genie", "numButtons": 8, "numKeys": 88, "lowestPitch": 21,
                  "deltaTimeMax": float(cfg.get("data_delta_time_max", 1.0))},
        "provenance": {
            "source": "the tutorial's published weights "
                      "(chrisdonahue/music-cocreation-tutorial, "
                      "part-1-py-training/pretrained/model.pt)",
            "convertedBy": "tools/piano_genie/convert_tutorial_checkpoint.py (torch "
                           + torch.__version__ + ")",
            "corpus": "MAESTRO v2 (the tutorial's training data)",
            "trainingSteps": int(cfg.get("max_num_steps", 0)) or None,
            "hparams": {k: cfg[k] for k in known if k in cfg},
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "license": {
            "weights": "CC BY-NC-SA 4.0 (the tutorial's published weights, trained on MAESTRO)",
            "trainingData": "MAESTRO v2, CC BY-NC-SA 4.0",
        },
        "weights": "weights_manifest.json",
    }
    if model["provenance"]["trainingSteps"] is None:
        del model["provenance"]["trainingSteps"]
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(model, f, indent=2)
        f.write("\n")
    print(f"{args.out}: {len(names)} tensors ({rnn} x {layers} LSTM, encoder and decoder)")


if __name__ == "__main__":
    main()
