#!/usr/bin/env bash
# Configures and builds retort into build/ (or $RETORT_BUILD_DIR).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RETORT_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)
# RETORT_CLANG_BUILDS: the fuzz targets and the clang++-built dialects too
# (tests/CMakeLists.txt), so that ctest only runs them.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRETORT_CLANG_BUILDS=ON >/dev/null
cmake --build "$build" -j "$jobs"
