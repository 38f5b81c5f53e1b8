#!/usr/bin/env bash
# Sets up everything and runs the whole test suite.
#   scripts/test.sh            all tests: starts throwaway PostgreSQL and MariaDB
#                              servers on loopback (scripts/servers.sh), stops them at the end
#   scripts/test.sh --quick    skip tests that need a server, the npm SQL grammar or a full
#                              end-to-end run
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RETORT_BUILD_DIR:-$root/build}

"$root/scripts/install-deps.sh" --all
"$root/scripts/build.sh"

if [[ "${1:-}" == "--quick" ]]; then
  cd "$build"
  exec ctest --output-on-failure -j "$(nproc)" -LE 'e2e|alembic|server|sqlcheck|install|fuzz'
fi

# The servers' URLs reach the tests through the environment (a password
# holding ';' cannot pass through ctest's ENVIRONMENT property).
"$root/scripts/servers.sh" start
trap '"$root/scripts/servers.sh" stop' EXIT
eval "$("$root/scripts/servers.sh" env)"
cd "$build"
ctest --output-on-failure -j "$(nproc)"
