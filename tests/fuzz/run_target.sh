#!/bin/sh
# Runs one fuzz target for a short time over its seeds (label fuzz):
#   run_target.sh TARGET SEEDS SCRATCH SECONDS [DICTIONARY]
# libFuzzer reads SEEDS and writes the inputs it finds to SCRATCH/corpus, so
# the seeds in the source tree are never changed. A finding (a crash, a
# sanitizer report, a failed check, a timeout, a leak) is saved in SCRATCH
# and fails the test; rerun it with `TARGET SCRATCH/<file>`.
#
# The run is seeded with RETORT_FUZZ_SEED (default 1), so that a CI run is
# reproducible: the same inputs are tried in the same order on every machine
# (a faster one tries more in its time). Set RETORT_FUZZ_SEED=0 for a random
# seed when looking for new findings, and add what it finds to SEEDS.
set -eu
target=$1 seeds=$2 scratch=$3 seconds=$4 dictionary=${5:-}

rm -rf "$scratch"
mkdir -p "$scratch/corpus"
cd "$scratch"
set -- -seed="${RETORT_FUZZ_SEED:-1}" -max_total_time="$seconds" -runs=500000 -timeout=30 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$scratch/"
if [ -n "$dictionary" ]; then set -- "$@" -dict="$dictionary"; fi

if UBSAN_OPTIONS=print_stacktrace=1 "$target" "$@" "$scratch/corpus" "$seeds"; then
  exit 0
fi
for found in "$scratch"/crash-* "$scratch"/timeout-* "$scratch"/oom-* "$scratch"/leak-*; do
  [ -e "$found" ] && echo "finding saved: rerun it with $target $found"
done
exit 1
