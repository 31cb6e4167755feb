#!/usr/bin/env python3
"""Independent reference for Toccata's rainbowgram (src/analysis): a DIRECT constant-Q transform,
one dot product per frame and bin at the input sample rate (no decimation, no FFT kernels), then
NSynth's rainbowgram arrays. Slow on purpose: it checks the fast C++ path. numpy only.

Definition (the same as src/analysis/ConstantQ.h):
  f_k = fmin 2^(k/B),  Q = filter_scale / (2^(1/B) - 1),  L_k = Q sr / f_k samples,
  kernel a_k[n] = w[n] e^{+2 pi i f_k n / sr} / sum(w),  w[n] = cos^2(pi n / L_k) for |n| < L_k/2,
  C[t, k] = sum_n x[t hop + n] conj(a_k[n]), x zero-padded at both ends; frames = 1 + len // hop.
Rainbowgram (magenta's save_rainbowgram_plot): db = 20 log10(max(|C|, 1e-13) / max|C|) clipped at
-range; phase unwrapped along time, first difference (frame 0: the phase itself), / pi;
frequency_hz = f_k + princarg(dphi - 2 pi f_k hop / sr) sr / (2 pi hop) (frame 0: f_k).

Usage:
  /usr/bin/python3 tools/analysis/rainbowgram_reference.py fixtures --out-dir tests/data/analysis
      [--rendered RENDER.wav]
    writes tone_harmonics.wav + .json (synthetic, 16 kHz) and, given a stereo or mono WAV that
    `toccata-cli render --rate 16000` made, rendered_notes.wav (its first second, mono, 16-bit)
    + .json. The fixtures in tests/data/analysis were made with:
      toccata-cli render --in tests/data/analysis/rendered_notes_sequence.json --out /tmp/r.wav \
          --rate 16000 --sf2 build/release/soundfonts/toccata-test.sf2
      rainbowgram_reference.py fixtures --out-dir tests/data/analysis --rendered /tmp/r.wav
  /usr/bin/python3 tools/analysis/rainbowgram_reference.py analyse --in X.wav --json OUT.json
"""
import argparse
import json
import sys
import wave

import numpy as np

C2 = 65.40639132514966


def kernel(frequency, q, sr):
    length = q * sr / frequency
    reach = int(np.ceil(length / 2.0)) - 1
    n = np.arange(-reach, reach + 1, dtype=np.float64)
    w = np.cos(np.pi * n / length) ** 2
    return w * np.exp(2j * np.pi * frequency * n / sr) / w.sum(), reach


def cqt_direct(x, sr, fmin=C2, bins_per_octave=40, n_bins=240, hop=256, filter_scale=0.8):
    x = np.asarray(x, dtype=np.float64)
    q = filter_scale / (2.0 ** (1.0 / bins_per_octave) - 1.0)
    frames = 1 + len(x) // hop if len(x) else 0
    longest = kernel(fmin, q, sr)[1]
    padded = np.concatenate([np.zeros(longest), x, np.zeros(longest + hop)])
    centres = longest + hop * np.arange(frames)
    out = np.zeros((frames, n_bins), dtype=np.complex128)
    for k in range(n_bins):
        a, reach = kernel(fmin * 2.0 ** (k / bins_per_octave), q, sr)
        windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * reach + 1)
        out[:, k] = windows[centres - reach] @ np.conj(a)
    return out


def principal(angle):
    # numpy.unwrap's difference rule: [-pi, pi), but +pi where the raw difference was > 0.
    wrapped = np.mod(angle + np.pi, 2 * np.pi) - np.pi
    return np.where((wrapped == -np.pi) & (angle > 0), np.pi, wrapped)


def rainbowgram(c, sr, hop=256, fmin=C2, bins_per_octave=40, range_db=70.0):
    mag = np.abs(c)
    peak = mag.max() if mag.size else 0.0
    if peak > 0:
        db = np.maximum(20 * np.log10(np.maximum(mag, 1e-13) / peak), -range_db)
    else:
        db = np.full(mag.shape, -range_db)
    phase = np.angle(c)
    unwrapped = np.unwrap(phase, axis=0)
    dphase = np.concatenate([unwrapped[:1], np.diff(unwrapped, axis=0)], axis=0)
    fk = fmin * 2.0 ** (np.arange(c.shape[1]) / bins_per_octave)
    expected = 2 * np.pi * fk * hop / sr
    freq = fk + principal(dphase - expected) * sr / (2 * np.pi * hop)
    freq[0, :] = fk
    silent = (mag == 0)
    freq[1:][silent[1:] | silent[:-1]] = np.broadcast_to(fk, freq[1:].shape)[silent[1:] | silent[:-1]]
    return db, dphase / np.pi, freq


def read_wav_mono(path):
    with wave.open(path, "rb") as f:
        if f.getsampwidth() != 2:
            sys.exit(f"{path}: only 16-bit PCM is supported here")
        data = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(np.float32)
        channels, sr = f.getnchannels(), f.getframerate()
    data = data.reshape(-1, channels) / np.float32(32768.0)
    # The same mixdown as analysis::mixToMono: sum of channel * (1 / channels) in float32.
    mono = np.zeros(data.shape[0], dtype=np.float32)
    for ch in range(channels):
        mono += data[:, ch] * np.float32(1.0 / channels)
    return mono, sr


def write_wav_mono16(path, x, sr):
    pcm = np.clip(np.round(np.asarray(x, dtype=np.float64) * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(path, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(sr)
        f.writeframes(pcm.tobytes())
    return pcm.astype(np.float32) / np.float32(32768.0)


def golden(x, sr, source, hop=256, fmin=C2, bins_per_octave=40, n_bins=240, range_db=70.0):
    c = cqt_direct(x, sr, fmin, bins_per_octave, n_bins, hop)
    db, advance, freq = rainbowgram(c, sr, hop, fmin, bins_per_octave, range_db)
    return {
        "source": source,
        "generator": "tools/analysis/rainbowgram_reference.py (direct constant-Q, float64)",
        "sampleRate": sr, "hopLength": hop, "minFrequency": fmin,
        "binsPerOctave": bins_per_octave, "filterScale": 0.8, "rangeDb": range_db,
        "frames": int(c.shape[0]), "bins": int(c.shape[1]),
        "peakMagnitude": round(float(np.abs(c).max()), 7),
        # Frame-major (index = frame * bins + bin), rounded to keep the fixture small.
        "magnitudeDb": [round(float(v), 2) for v in db.ravel()],
        # Phase is noise where nothing sounds: the colour values only for cells above -45 dB,
        # as [index, phaseAdvance, frequencyHz].
        "loudCells": [[int(i), round(float(advance.flat[i]), 4), round(float(freq.flat[i]), 2)]
                      for i in np.flatnonzero(db.ravel() > -45.0)],
    }


def tone_with_harmonics(sr=16000, seconds=0.5):
    # A4 (440 Hz) with harmonics 2..5 at falling levels, a 20 ms attack and a decaying tail,
    # plus a quiet 98 Hz (G2) partial between bins.
    t = np.arange(int(sr * seconds)) / sr
    envelope = np.minimum(t / 0.02, 1.0) * np.exp(-1.5 * t)
    x = sum(0.5 / h * np.sin(2 * np.pi * 440.0 * h * t + 0.3 * h) for h in range(1, 6))
    x = x + 0.05 * np.sin(2 * np.pi * 98.0 * t)
    return 0.8 * envelope * x


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, separators=(",", ":"))
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fx = sub.add_parser("fixtures")
    fx.add_argument("--out-dir", required=True)
    fx.add_argument("--rendered", help="WAV from `toccata-cli render --rate 16000`")
    fx.add_argument("--rendered-seconds", type=float, default=1.0, help="keep this much of it")
    an = sub.add_parser("analyse")
    an.add_argument("--in", dest="path", required=True)
    an.add_argument("--json", required=True)
    args = parser.parse_args()

    if args.command == "analyse":
        x, sr = read_wav_mono(args.path)
        write_json(args.json, golden(x, sr, args.path))
        return
    sr = 16000
    x = write_wav_mono16(f"{args.out_dir}/tone_harmonics.wav", tone_with_harmonics(sr), sr)
    write_json(f"{args.out_dir}/tone_harmonics.json",
               golden(x, sr, "tone_harmonics.wav: 440 Hz + harmonics 2..5 + 98 Hz, 0.5 s"))
    if args.rendered:
        mono, rate = read_wav_mono(args.rendered)
        mono = mono[: int(rate * args.rendered_seconds)]  # the release tail adds little
        x = write_wav_mono16(f"{args.out_dir}/rendered_notes.wav", mono, rate)
        write_json(f"{args.out_dir}/rendered_notes.json",
                   golden(x, rate, "rendered_notes.wav: the first second of `toccata-cli render "
                                   "--in rendered_notes_sequence.json --rate 16000` with the generated "
                                   "test SoundFont, mono mixdown"))


if __name__ == "__main__":
    main()
