#!/usr/bin/env python3
"""numpy reference for `toccata-cli bench rainbowgram`: the same constant-Q definition as
src/analysis/ConstantQ.h (and tools/analysis/rainbowgram_reference.py), computed the way
librosa's cqt does it, vectorised: per octave a band-limited, decimated copy of the signal
(truncating one whole-signal rfft), all frames framed at once, one batched rfft, and a dense
matrix product with the octave's kernel spectra (numpy has no sparse matrices; librosa uses
scipy's). Then NSynth's rainbowgram arrays (dB, unwrapped phase difference / pi).

Usage:
  /usr/bin/python3 tools/bench/rainbowgram_numpy.py --raw FILE.f32 --rate 44100
      [--repeat 5] [--db-out FILE.f32]
FILE.f32 holds the mono signal as little-endian float32. Prints one JSON line: the median and
every run's seconds, frames, bins, peak |C|; --db-out writes the dB array (frame-major float32)
so the caller can compare it with its own.
"""
import argparse
import json
import time

import numpy as np

C2 = 65.40639132514966
MARGIN_BANDWIDTHS = 6.0


def kernel_spectra(freqs, q, rate, n_fft):
    # conj(A[j]) / n_fft for j = 0..n_fft/2 (the negative-frequency side of these kernels is
    # far below the sparsity the C++ side keeps; it is left out here).
    basis = np.zeros((len(freqs), n_fft), dtype=np.complex128)
    for i, f in enumerate(freqs):
        length = q * rate / f
        reach = int(np.ceil(length / 2.0)) - 1
        n = np.arange(-reach, reach + 1)
        w = np.cos(np.pi * n / length) ** 2
        basis[i, n_fft // 2 + n] = w * np.exp(2j * np.pi * f * n / rate) / w.sum()
    return np.conj(np.fft.fft(basis, axis=1)[:, : n_fft // 2 + 1]) / n_fft


def cqt(x, sr, fmin=C2, bins_per_octave=40, n_bins=240, hop=256, filter_scale=0.8):
    q = filter_scale / (2.0 ** (1.0 / bins_per_octave) - 1.0)
    freqs = fmin * 2.0 ** (np.arange(n_bins) / bins_per_octave)
    octaves = []
    for first in range(0, n_bins, bins_per_octave):
        f = freqs[first: first + bins_per_octave]
        d = 1
        while hop % (2 * d) == 0 and sr / (2 * d) / 2 >= f[-1] * (1 + MARGIN_BANDWIDTHS / q):
            d *= 2
        rate = sr / d
        n_fft = 1 << int(np.ceil(np.log2(2 * np.ceil(q * rate / f[0] / 2))))
        octaves.append((first, f, d, n_fft, kernel_spectra(f, q, rate, n_fft)))
    max_d = max(o[2] for o in octaves)
    pad = max(o[3] // 2 * o[2] for o in octaves)
    pad = -(-pad // max_d) * max_d
    total = -(-(len(x) + 2 * pad) // max_d) * max_d
    padded = np.zeros(total)
    padded[pad: pad + len(x)] = x
    spectrum = np.fft.rfft(padded)
    frames = 1 + len(x) // hop
    out = np.zeros((frames, n_bins), dtype=np.complex128)
    for first, f, d, n_fft, basis in octaves:
        m = total // d
        band = spectrum[: m // 2 + 1].copy()
        if m % 2 == 0:
            band[-1] = 0
        xd = np.fft.irfft(band, n=m) / d
        start = pad // d - n_fft // 2
        windows = np.lib.stride_tricks.sliding_window_view(xd, n_fft)
        framed = windows[start: start + frames * (hop // d): hop // d]
        out[:, first: first + len(f)] = np.fft.rfft(framed, axis=1) @ basis.T
    return out


def rainbowgram(c, range_db=70.0):
    mag = np.abs(c)
    peak = mag.max()
    db = np.maximum(20 * np.log10(np.maximum(mag, 1e-13) / peak), -range_db)
    unwrapped = np.unwrap(np.angle(c), axis=0)
    advance = np.concatenate([unwrapped[:1], np.diff(unwrapped, axis=0)], axis=0) / np.pi
    return db, advance, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--raw", required=True)
    parser.add_argument("--rate", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db-out")
    args = parser.parse_args()
    x = np.fromfile(args.raw, dtype="<f4").astype(np.float64)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        db, advance, peak = rainbowgram(cqt(x, args.rate))
        times.append(time.perf_counter() - start)
    if args.db_out:
        db.astype("<f4").tofile(args.db_out)
    print(json.dumps({"median_s": float(np.median(times)), "times_s": times,
                      "frames": int(db.shape[0]), "bins": int(db.shape[1]),
                      "peak": float(peak)}))


if __name__ == "__main__":
    main()
