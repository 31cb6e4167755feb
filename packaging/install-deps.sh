#!/usr/bin/env bash
# Installs everything Toccata needs to build, run and test, from Debian 12 packages only.
# Works as root, and for a normal user through sudo (only this step needs privileges).
# Safe to run again: apt skips what is already installed.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev            # libFuzzer target for the MIDI reader
  # libraries
  qt6-base-dev qt6-base-dev-tools libgl-dev
  libtorch-dev libgloo-dev          # gloo: c10d's CPU backend for distributed training
  libopenblas0-pthread              # an optimised BLAS for libtorch (Debian's default is the reference one)
  libfluidsynth-dev fluid-soundfont-gm
  # JACK2 must come in the same step as RtAudio/RtMidi's -dev packages, or apt picks jack1
  librtaudio-dev librtmidi-dev jackd2 libjack-jackd2-dev
  libfftw3-dev zlib1g-dev            # rainbowgram: constant-Q (FFTW3), PNG output (zlib)
  # tests: headless X server, reference MIDI parser
  xvfb xauth python3 python3-mido
  # benchmarks: the PyTorch eager reference for `toccata-cli bench train`
  python3-torch
)

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: run as root, or install sudo, to install: ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
