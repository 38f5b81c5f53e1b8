#!/usr/bin/env python3
"""Fleet benchmark: the wall time of `retort upgrade head --targets FILE -j N`
over many SQLite files, for several N, each run from empty databases.

    bench/fleet.py --retort build/bin/retort [--targets 100] [--revisions 20]
                   [--jobs 1,2,4] [--runs 3] [--work DIR] [--db-dir DIR]

Generates one environment (one pack of REVISIONS revisions, each creating a
table and inserting a row), builds it once, writes a targets file of TARGETS
SQLite files, then for each N deletes the files and times the fleet run; the
median of RUNS counts. Prints a Markdown table. Not part of the test suite."""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time


def revisions_source(count):
    lines = ["#include <retort/revision.hpp>", "namespace {", "using namespace retort;"]
    for i in range(1, count + 1):
        lines.append(
            f'void up{i}(Operations& op) {{ op.create_table("t{i}", '
            f'{{Column("id", Integer()).primary_key(), Column("name", String(40))}}); '
            f'op.execute("INSERT INTO t{i} (id, name) VALUES (1, \'x\')"); }}')
        lines.append(f'void down{i}(Operations& op) {{ op.drop_table("t{i}"); }}')
    lines.append("}  // namespace")
    for i in range(1, count + 1):
        down = f'"r{i - 1:07d}"' if i > 1 else "nullptr"
        lines.append(f'RETORT_REVISION(.revision = "r{i:07d}", .down_revision = {down}, '
                     f'.message = "table {i}", .upgrade = up{i}, .downgrade = down{i})')
    return "\n".join(lines) + "\n"


def run(cmd, cwd):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"fleet.py: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--retort", required=True)
    ap.add_argument("--targets", type=int, default=100)
    ap.add_argument("--revisions", type=int, default=20)
    ap.add_argument("--jobs", default="1,2,4")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default=os.path.join(os.path.dirname(__file__), "work", "fleet"))
    ap.add_argument("--db-dir", default=None, help="where the SQLite files go (default: WORK/db)")
    args = ap.parse_args()
    retort = os.path.abspath(args.retort)
    work = os.path.abspath(args.work)
    db_dir = os.path.abspath(args.db_dir or os.path.join(work, "db"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    os.makedirs(db_dir, exist_ok=True)

    run([retort, "init", "migrations"], work)
    with open(os.path.join(work, "migrations", "versions", "pack.cpp"), "w") as f:
        f.write(revisions_source(args.revisions))
    print(f"building {args.revisions} revisions ...", file=sys.stderr)
    run([retort, "build"], work)
    with open(os.path.join(work, "targets.txt"), "w") as f:
        for i in range(1, args.targets + 1):
            f.write(f"t{i} = sqlite:///{db_dir}/t{i}.db\n")

    rows = []
    base = None
    for jobs in [int(j) for j in args.jobs.split(",")]:
        times = []
        for _ in range(args.runs):
            for name in os.listdir(db_dir):
                os.remove(os.path.join(db_dir, name))
            started = time.monotonic()
            run([retort, "-q", "upgrade", "head", "--targets", "targets.txt", "-j", str(jobs)], work)
            times.append(time.monotonic() - started)
        median = statistics.median(times)
        base = base or median
        rows.append((jobs, median, base / median, times))
        print(f"-j {jobs}: {median:.3f} s", file=sys.stderr)

    print(f"{args.targets} SQLite targets, {args.revisions} revisions each, from empty; "
          f"median of {args.runs}; {os.cpu_count()} CPUs, {platform.platform()}, "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| -j | wall s (median) | speed-up vs -j 1 | runs |")
    print("|---:|---:|---:|---|")
    for jobs, median, speedup, times in rows:
        print(f"| {jobs} | {median:.3f} | {speedup:.2f}x | {', '.join(f'{t:.3f}' for t in times)} |")


if __name__ == "__main__":
    main()
