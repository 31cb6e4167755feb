#!/usr/bin/env bash
# clang-format check and clang-tidy over the project's own sources.
#   tools/lint.sh            check formatting and run clang-tidy
#   tools/lint.sh --fix      reformat files in place first
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build/release}
mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.h' 'ui/*.cpp' 'ui/*.h' 'tests/*.cpp' 'tests/*.h' 'tools/*.cpp' 'tools/*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
fi
status=0
clang-format --dry-run --Werror "${files[@]}" || status=1
if [ -f "$build/compile_commands.json" ]; then
  mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep -E '^(src|ui)/.*\.cpp$')
  clang-tidy -p "$build" --quiet "${sources[@]}" 2>/dev/null | grep -E "warning:|error:" && status=1
else
  echo "lint: $build/compile_commands.json missing; configure first (cmake --preset release)" >&2
  status=1
fi
exit $status
