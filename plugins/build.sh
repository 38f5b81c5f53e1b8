#!/usr/bin/env bash
# Builds every plugin folder here against an installed retort SDK, the way a
# third party would, and gathers the dialects in one directory:
#   plugins/build.sh PREFIX BUILDDIR
# PREFIX is where retort is installed (it holds lib/cmake/Retort); each
# plugin builds in BUILDDIR/<plugin>, and its .so lands in BUILDDIR/dialects,
# ready for RETORT_PLUGIN_PATH=BUILDDIR/dialects.
set -euo pipefail

die() { echo "build.sh: $*" >&2; exit 1; }

[[ $# -eq 2 ]] || die "usage: plugins/build.sh PREFIX BUILDDIR"
prefix=$(cd "$1" 2>/dev/null && pwd) || die "prefix '$1' does not exist; install retort there first (cmake --install BUILD --prefix '$1')"
[[ -f $prefix/lib/cmake/Retort/RetortConfig.cmake ]] ||
  die "prefix '$prefix' holds no lib/cmake/Retort/RetortConfig.cmake; install retort there first"
mkdir -p "$2/dialects"
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

found=0
for source in "$here"/*/; do
  source=${source%/}
  [[ -f $source/CMakeLists.txt ]] || continue
  name=$(basename "$source")
  found=1
  log=$build/$name.log
  : >"$log"
  # -j1 by default: the machine's cores are shared. CMAKE_BUILD_PARALLEL_LEVEL overrides.
  cmake -S "$source" -B "$build/$name" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$build/dialects" >>"$log" 2>&1 ||
    die "plugin '$name': configure failed; see $log"
  cmake --build "$build/$name" -j "${CMAKE_BUILD_PARALLEL_LEVEL:-1}" >>"$log" 2>&1 ||
    die "plugin '$name': build failed; see $log"
  # In case the package's retort_add_dialect sets its own output directory.
  find "$build/$name" -name '*.so' -not -path '*/CMakeFiles/*' -exec cp -f {} "$build/dialects/" \;
  echo "built plugin '$name' in $build/$name"
done
((found)) || die "no plugin folder with a CMakeLists.txt in $here"
ls "$build/dialects"/*.so >/dev/null 2>&1 || die "no dialect .so in $build/dialects after the build"
