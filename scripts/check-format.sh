#!/usr/bin/env bash
# Fails when a C or C++ source differs from .clang-format, naming each file
# (ctest runs it; `scripts/check-format.sh --fix` formats them in place).
# Left out: the fuzz seeds (inputs, not code) and the frozen ABI headers
# (copies of what was released, kept byte for byte).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if ! command -v clang-format > /dev/null; then
  echo "clang-format not found: install it (scripts/install-deps.sh --all)"
  exit 77
fi
mapfile -t files < <(find cli core dialects plugins sdk tests \
  \( -path tests/fuzz/seeds -o -path tests/abi/frozen -o -name 'build*' \) -prune -o \
  -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c' \) -print | sort)
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
differ=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" > /dev/null 2>&1 || differ+=("$f")
done
if ((${#differ[@]})); then
  printf '%s differs from .clang-format\n' "${differ[@]}"
  echo "${#differ[@]} of ${#files[@]} files differ: run scripts/check-format.sh --fix"
  exit 1
fi
echo "${#files[@]} files match .clang-format"
