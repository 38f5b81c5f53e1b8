#!/usr/bin/env bash
# retort vs Alembic benchmark: installs what it needs, builds retort, generates
# the graphs (retort's as one source file per revision, as `retort revision`
# writes them) and times both tools side by side, from sources never built to
# the everyday revision + edit + upgrade. Not part of the test suite. See
# bench/README.md.
#
#   bench/run.sh [--sizes 1000,5000,10000] [--shapes linear,diamond] [--runs 3]
#                [--slow 20] [--timeout 900] [--layout files|packs] [--pack-size 250]
#                [--work DIR] [--report FILE] [--db-dir DIR] [--keep] [--retort BIN]
#                [--no-install]
#
#   --retort BIN   time this retort executable instead of building one
#                  (it must find its dialects, as a build tree's bin/retort does)
#   --no-install   do not install packages (alembic, sqlite3, the build deps)
#   RETORT_BUILD_DIR   where to build (default: build-bench/ in the repository)
#
# Defaults: all sizes and shapes, 3 runs a command (the median counts), one
# run for a command whose first run takes over 20 s. Expect roughly 20 minutes
# for the full default run on 2 idle cores (more on busy ones), most of it
# Alembic and retort's cold builds; `--sizes 1000` takes about two minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RETORT_BUILD_DIR:-$root/build-bench}

retort_bin=""
install=1
pass=()
command_line="bench/run.sh $*"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --retort) retort_bin=$2; shift 2 ;;
    --no-install) install=0; shift ;;
    --keep) pass+=("$1"); shift ;;
    --sizes|--shapes|--runs|--slow|--timeout|--layout|--pack-size|--work|--report|--db-dir) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ $install -eq 1 ]]; then
  "$root/scripts/install-deps.sh"
  need=()
  for p in alembic sqlite3 python3-sqlalchemy; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [[ ${#need[@]} -gt 0 ]]; then
    echo "installing: ${need[*]}" >&2
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
    $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

version=""
if [[ -n "$retort_bin" ]]; then
  version="the given executable"
else
  echo "building retort in $build (RelWithDebInfo) ..." >&2
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target retort_cli retort_dialect_sqlite -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
  retort_bin=$build/bin/retort
fi

# Which retort this is: the commit, and whether the tree had local changes.
if [[ -z "$version" ]] && git -C "$root" rev-parse --short HEAD >/dev/null 2>&1; then
  version=$(git -C "$root" rev-parse --short HEAD)
  if [[ -n "$(git --no-optional-locks -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    version="$version + uncommitted changes"
  fi
fi
version=${version:-unknown}

exec /usr/bin/python3 "$root/bench/bench.py" --retort "$retort_bin" \
  --retort-version "$version" --command-line "$command_line" ${pass[@]+"${pass[@]}"}
