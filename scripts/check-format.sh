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
# One clang-format over all the files (one per file took ten times as long);
# it goes on past a file that differs and names it at each place it does.
if report=$(clang-format --dry-run -Werror "${files[@]}" 2>&1 > /dev/null); then
  echo "${#files[@]} files match .clang-format"
  exit 0
fi
mapfile -t differ < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' \
  <<< "$report" | sort -u)
if ((${#differ[@]} == 0)); then
  echo "$report"
  echo "clang-format failed on the sources: see its message above"
  exit 1
fi
printf '%s differs from .clang-format\n' "${differ[@]}"
echo "${#differ[@]} of ${#files[@]} files differ: run scripts/check-format.sh --fix"
exit 1
