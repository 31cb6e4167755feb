#!/usr/bin/env bash
# run-smf-fuzzer.sh SECONDS [BUILD_PARENT]
# Builds smf_fuzzer with clang++ in BUILD_PARENT/build-fuzz (default /tmp), writes the seed
# corpus and fuzzes parseMidiBytes + write/re-read for SECONDS. Exit 0: no crash; 1: a crash
# (the input is saved under build-fuzz/artifacts/); 77: clang++/libFuzzer missing (CTest skip).
set -euo pipefail

seconds=${1:-60}
parent=${2:-/tmp}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cxx=${FUZZ_CXX:-$(command -v clang++ || command -v clang++-14 || true)}
if [[ -z "$cxx" ]]; then
    echo "run-smf-fuzzer: clang++ not found (apt-get install clang libclang-rt-14-dev); skipping"
    exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
    > "$probe/probe.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" 2>/dev/null; then
    echo "run-smf-fuzzer: $cxx cannot link libFuzzer (apt-get install libclang-rt-14-dev); skipping"
    exit 77
fi

build="$parent/build-fuzz"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
"${CMAKE:-cmake}" -S "$here" -B "$build" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log"; exit 1; }
"${CMAKE:-cmake}" --build "$build" --target smf_fuzzer smf_seed_corpus -j "${FUZZ_JOBS:-2}"

seeds="$build/smf-seeds"
corpus="$build/smf-corpus"
artifacts="$build/artifacts"
mkdir -p "$seeds" "$corpus" "$artifacts"
"$build/smf_seed_corpus" "$seeds"

echo "run-smf-fuzzer: fuzzing for ${seconds}s"
if ! "$build/smf_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -dict="$here/smf.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "$corpus" "$seeds" 2>"$build/fuzz.log"; then
    tail -n 60 "$build/fuzz.log"
    echo "run-smf-fuzzer: CRASH; reproducer(s) in $artifacts:"
    ls -l "$artifacts"
    exit 1
fi
grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" "$build/fuzz.log" || true
echo "run-smf-fuzzer: no crash in ${seconds}s"
