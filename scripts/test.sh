#!/usr/bin/env bash
# Sets up everything and runs the whole test suite.
#   scripts/test.sh            all tests
#   scripts/test.sh --quick    skip tests tagged as needing a server or a full end-to-end run
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RETORT_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh" --all
"$root/scripts/build.sh"

cd "$build"
if [[ "${1:-}" == "--quick" ]]; then
  ctest --output-on-failure -j "$(nproc)" -LE 'e2e|alembic|server'
else
  ctest --output-on-failure -j "$(nproc)"
fi
