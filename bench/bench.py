#!/usr/bin/python3
"""Times retort against Alembic on generated revision graphs (see README.md).

Normally started by bench/run.sh, which installs and builds what this needs:

    /usr/bin/python3 bench/bench.py --retort build-bench/bin/retort \
        [--sizes 1000,5000,10000] [--shapes linear,diamond] [--runs 3] ...

For each shape and size: generates both environments (generate.py), builds
the retort packs once (timed apart), then times, for both tools, `heads`,
`history`, `upgrade head --sql`, online `upgrade head` on a fresh SQLite file,
and `current` at head; and the floor: the SQL that `retort upgrade head --sql`
printed, run by the sqlite3 shell on a fresh file. Each command's output is
checked (the right head, N revisions run, N tables made) before its time
counts. Prints a Markdown table and writes a report with the machine facts.
"""

import argparse
import datetime
import os
import platform
import re
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Failed(Exception):
    pass


def run_once(argv, cwd, out, err, env, timeout, stdin=None):
    """Runs argv with stdout/stderr to files; returns (wall s, CPU s of user + sys).

    Waits with a blocking wait4: subprocess's own wait with a timeout polls
    with growing sleeps, which would round short times up."""
    with open(out, "wb") as o, open(err, "wb") as e, open(stdin or os.devnull, "rb") as fin:
        killed = []
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, cwd=cwd, stdout=o, stderr=e, stdin=fin, env=env)
        guard = threading.Timer(timeout, lambda: (killed.append(True), p.kill()))
        guard.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            guard.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    if killed:
        raise Failed(f"{' '.join(argv)} (in {cwd}) took longer than {timeout:g} s")
    if p.returncode != 0:
        with open(err, errors="replace") as e:
            tail = e.read()[-2000:]
        raise Failed(f"{' '.join(argv)} (in {cwd}) exited with {p.returncode}:\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime


class Timer:
    """Medians of up to `runs` runs; one run when the first is slower than `slow`."""

    def __init__(self, runs, slow, timeout):
        self.runs, self.slow, self.timeout = runs, slow, timeout

    def measure(self, argv, cwd, out, err, env, before=None, check=None, stdin=None):
        """Returns a Measure: median wall and CPU seconds, and the number of runs."""
        walls, cpus = [], []
        for i in range(self.runs):
            if before:
                before()
            wall, cpu = run_once(argv, cwd, out, err, env, self.timeout, stdin)
            walls.append(wall)
            cpus.append(cpu)
            if check:
                check()
            if i == 0 and wall > self.slow:
                break
        return Measure(statistics.median(walls), statistics.median(cpus), len(walls))


class Measure:
    def __init__(self, wall, cpu, runs):
        self.wall, self.cpu, self.runs = wall, cpu, runs

    def __str__(self):
        return f"{self.wall:.3f} s wall, {self.cpu:.3f} s CPU ({self.runs} runs)"


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def rm(path):
    if os.path.exists(path):
        os.remove(path)


def table_count(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("select count(*) from sqlite_master where type='table' and name like 't\\_%' escape '\\'").fetchone()[0]
    finally:
        con.close()


def per_revision_transactions(script):
    """The offline script with one transaction per revision, as retort's online
    run commits: the version table first, then each '-- Running' section."""
    body = script.strip()
    if body.startswith("BEGIN;"):
        body = body[len("BEGIN;"):]
    if body.rstrip().endswith("COMMIT;"):
        body = body.rstrip()[: -len("COMMIT;")]
    parts = re.split(r"(?m)^(?=-- Running )", body)
    return "".join(f"BEGIN;\n{p.strip()}\nCOMMIT;\n\n" for p in parts if p.strip())


def fmt_s(m, cpu=False):
    """A Measure as seconds, ¹ for a single run."""
    if m is None:
        return "-"
    value = m.cpu if cpu else m.wall
    text = f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return text + ("¹" if m.runs == 1 else "")


def ratio(a, b, cpu=False):
    if a is None or b is None:
        return "-"
    x, y = (a.cpu, b.cpu) if cpu else (a.wall, b.wall)
    if y <= 0:
        return "-"
    r = x / y
    return f"{r:.0f}×" if r >= 100 else f"{r:.1f}×"


def machine_facts():
    model = "unknown"
    try:
        for line in read("/proc/cpuinfo").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    def version(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except Exception:
            return "?"
    return {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M %Z").strip(),
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "os": platform.platform(),
        "alembic": version(["/usr/bin/python3", "-c", "import alembic, sqlalchemy; print('alembic', alembic.__version__, '/ SQLAlchemy', sqlalchemy.__version__)"]),
        "sqlite3": version(["sqlite3", "--version"]),
        "python": version(["/usr/bin/python3", "--version"]),
        "compiler": version([os.environ.get("CXX", "c++"), "--version"]),
    }


def bench_case(shape, size, args, timer, alembic_env, retort_env, log):
    """Times one shape and size; returns [(command, alembic, retort, floor1, floorN)]
    of Measures (None where there is nothing to show)."""
    case = os.path.join(args.work, f"{shape}-{size}")
    log(f"== {shape} {size}: generating in {case}")
    t0 = time.perf_counter()
    gen = ["/usr/bin/python3", os.path.join(HERE, "generate.py"), "--shape", shape,
           "--size", str(size), "--out", case, "--pack-size", str(args.pack_size)]
    if args.db_dir:
        gen += ["--db-dir", os.path.join(args.db_dir, f"{shape}-{size}")]
    subprocess.run(gen, check=True)
    log(f"   generated in {time.perf_counter() - t0:.1f} s")
    head = read(os.path.join(case, "graph.txt")).splitlines()[0].split("heads=")[1].strip()
    a_dir = os.path.join(case, "alembic")
    r_dir = os.path.join(case, "retort")
    out_dir = os.path.join(case, "out")
    db_dir = os.path.join(args.db_dir, f"{shape}-{size}") if args.db_dir else None
    os.makedirs(out_dir, exist_ok=True)
    retort = [args.retort]
    alembic = [args.alembic]

    def o(name):
        return os.path.join(out_dir, name + ".out"), os.path.join(out_dir, name + ".err")

    def expect(path, text, what):
        def check():
            if text not in read(path):
                raise Failed(f"{what}: '{text}' not in {path}")
        return check

    results = []

    # One-time costs: compiling the packs; Alembic's first run writes __pycache__.
    out, err = o("retort-build")
    wall, cpu = run_once(retort + ["build"], r_dir, out, err, retort_env, args.timeout)
    t_build = Measure(wall, cpu, 1)
    packs = len(re.findall(r"(?m)^compiled ", read(out) + read(err)))
    log(f"   retort build ({packs} packs): {t_build}")
    out, err = o("alembic-first-heads")
    wall, cpu = run_once(alembic + ["heads"], a_dir, out, err, alembic_env, args.timeout)
    t_first = Measure(wall, cpu, 1)
    log(f"   alembic first run (writes __pycache__): {t_first}")
    results.append(("build (one-time)¹", t_first, t_build, None, None))

    def both(label, cmd, check_text=None, before_a=None, before_r=None, check_a=None, check_r=None):
        ao, ae = o("alembic-" + label)
        ro, re_ = o("retort-" + label)
        r = timer.measure(retort + cmd, r_dir, ro, re_, retort_env, before=before_r,
                          check=check_r or (expect(ro, check_text, "retort " + label) if check_text else None))
        log(f"   {label}: retort {r}")
        a = timer.measure(alembic + cmd, a_dir, ao, ae, alembic_env, before=before_a,
                          check=check_a or (expect(ao, check_text, "alembic " + label) if check_text else None))
        log(f"   {label}: alembic {a}")
        return a, r

    a, r = both("heads", ["heads"], check_text=head)
    results.append(("heads", a, r, None, None))
    a, r = both("history", ["history"], check_text=head)
    results.append(("history", a, r, None, None))

    def count_running(path, tool):
        def check():
            n = len(re.findall(r"(?m)^-- Running upgrade", read(path)))
            if n != size:
                raise Failed(f"{tool} upgrade head --sql: {n} revisions in the script, expected {size}")
        return check
    a, r = both("upgrade-sql", ["upgrade", "head", "--sql"],
                check_a=count_running(o("alembic-upgrade-sql")[0], "alembic"),
                check_r=count_running(o("retort-upgrade-sql")[0], "retort"))
    results.append(("upgrade head --sql", a, r, None, None))

    # Online upgrade: a fresh database file before every run.
    a_db = os.path.join(db_dir or a_dir, "alembic.db" if db_dir else "bench.db")
    r_db = os.path.join(db_dir or r_dir, "retort.db" if db_dir else "bench.db")

    def tables(db, tool):
        def check():
            n = table_count(db)
            if n != size:
                raise Failed(f"{tool} upgrade head: {n} tables made, expected {size}")
        return check

    def fresh(db):
        def before():
            for suffix in ("", "-journal", "-wal", "-shm"):
                rm(db + suffix)
        return before
    a, r = both("upgrade", ["upgrade", "head"], before_a=fresh(a_db), before_r=fresh(r_db),
                check_a=tables(a_db, "alembic"), check_r=tables(r_db, "retort"))

    # The floor: retort's own script, run by the sqlite3 shell on a fresh file.
    script = o("retort-upgrade-sql")[0]
    script_n = os.path.join(out_dir, "retort-upgrade-per-revision.sql")
    with open(script_n, "w") as f:
        f.write(per_revision_transactions(read(script)))
    floor_db = os.path.join(db_dir or out_dir, "floor.db")
    fo, fe = o("floor")
    f1 = timer.measure(["sqlite3", floor_db], out_dir, fo, fe, None, stdin=script,
                       before=fresh(floor_db), check=tables(floor_db, "sqlite3"))
    log(f"   floor, one transaction: {f1}")
    fN = timer.measure(["sqlite3", floor_db], out_dir, fo, fe, None, stdin=script_n,
                       before=fresh(floor_db), check=tables(floor_db, "sqlite3"))
    log(f"   floor, a transaction per revision: {fN}")
    results.append(("upgrade head (online)", a, r, f1, fN))

    # upgrade head again, with nothing left to run: what every deploy pays.
    # retort reads its history and checks every applied revision's checksum.
    a, r = both("upgrade-at-head", ["upgrade", "head"])
    results.append(("upgrade head (at head)", a, r, None, None))

    # current at head: both databases are at head after the last online run.
    a, r = both("current", ["current"], check_text=head)
    results.append(("current (at head)", a, r, None, None))

    if not args.keep:
        for sub in (a_dir, r_dir):
            shutil.rmtree(sub, ignore_errors=True)
        if db_dir:
            shutil.rmtree(db_dir, ignore_errors=True)
    return results


def table_rows(shape, size, results, cpu=False):
    rows = []
    for command, a, r, f1, fN in results:
        build = command.startswith("build")
        rows.append([shape, f"{size:,}", command, fmt_s(a, cpu), fmt_s(r, cpu),
                     "-" if build else ratio(a, r, cpu),
                     fmt_s(f1, cpu), ratio(r, f1, cpu), fmt_s(fN, cpu), ratio(r, fN, cpu)])
    return rows


HEADER = ["shape", "N", "command", "alembic s", "retort s", "alembic/retort",
          "floor s (1 txn)", "retort/floor", "floor s (txn/rev)", "retort/floor (txn/rev)"]


def markdown(rows):
    lines = ["| " + " | ".join(HEADER) + " |",
             "|" + "|".join("---" if i < 3 else "---:" for i in range(len(HEADER))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description="retort vs Alembic benchmark")
    ap.add_argument("--retort", required=True, help="the retort executable")
    ap.add_argument("--alembic", default="/usr/bin/alembic")
    ap.add_argument("--sizes", default="1000,5000,10000")
    ap.add_argument("--shapes", default="linear,diamond")
    ap.add_argument("--runs", type=int, default=3, help="runs per command; the median counts")
    ap.add_argument("--slow", type=float, default=20.0,
                    help="a command whose first run takes longer is run once")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds before one run is abandoned")
    ap.add_argument("--pack-size", type=int, default=250, help="revisions per retort pack")
    ap.add_argument("--work", default=os.path.join(HERE, "work"))
    ap.add_argument("--report", help="write the Markdown report here (default WORK/report.md)")
    ap.add_argument("--keep", action="store_true", help="keep the generated environments")
    ap.add_argument("--db-dir", help="put the SQLite files here (e.g. a tmpfs) instead of beside the environments")
    ap.add_argument("--command-line", default=None, help="the command to record in the report")
    ap.add_argument("--retort-version", default="unknown", help="which retort, for the report")
    args = ap.parse_args()
    args.retort = os.path.abspath(args.retort)
    args.work = os.path.abspath(args.work)
    if args.db_dir:
        args.db_dir = os.path.abspath(args.db_dir)
    os.makedirs(args.work, exist_ok=True)
    report = args.report or os.path.join(args.work, "report.md")

    sizes = [int(s) for s in args.sizes.split(",") if s]
    shapes = [s for s in args.shapes.split(",") if s]
    for s in shapes:
        if s not in ("linear", "diamond"):
            sys.exit(f"bench.py: unknown shape '{s}'")

    # Alembic as users run it: bytecode cached in __pycache__ after the first run.
    alembic_env = dict(os.environ)
    alembic_env.pop("PYTHONDONTWRITEBYTECODE", None)
    retort_env = dict(os.environ)
    retort_env.pop("RETORT_CONFIG", None)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    timer = Timer(args.runs, args.slow, args.timeout)
    rows, cpu_rows = [], []
    t_start = time.perf_counter()
    failures = []
    for size in sizes:
        for shape in shapes:
            try:
                results = bench_case(shape, size, args, timer, alembic_env, retort_env, log)
                rows += table_rows(shape, size, results)
                cpu_rows += table_rows(shape, size, results, cpu=True)
            except Failed as e:
                failures.append(f"{shape} {size}: {e}")
                log(f"FAILED {shape} {size}: {e}")
                failed = [shape, f"{size:,}", f"FAILED: {str(e).splitlines()[0][:120]}"] + ["-"] * 7
                rows.append(failed)
                cpu_rows.append(failed)
    wall = time.perf_counter() - t_start

    facts = machine_facts()
    table = markdown(rows)
    cmdline = args.command_line or " ".join(shlex.quote(a) for a in sys.argv)
    text = f"""## retort vs Alembic: results

- date: {facts['date']}
- machine: {facts['nproc']} cores, {facts['cpu']}; {facts['os']}
- retort: {args.retort_version}, `{args.retort}`
- tools: {facts['alembic']}; {facts['python']}; {facts['sqlite3'].split(' ')[0] if facts['sqlite3'] != '?' else '?'} (sqlite3 shell); {facts['compiler']}
- command: `{cmdline}`
- databases: {"in " + args.db_dir if args.db_dir else "beside each environment, on the work folder's file system"}
- wall time of the whole run: {wall / 60:.1f} min

Times are wall seconds, the median of {args.runs} runs; ¹ marks a single run
(a command whose first run took over {args.slow:g} s, and the one-time build).
"build (one-time)": retort compiling its packs of {args.pack_size} revisions
(`retort build`); for Alembic, its first `heads` run, which writes __pycache__.
Floors: the SQL printed by `retort upgrade head --sql`, run by `sqlite3` on a
fresh file, as printed (one transaction) and with one transaction per
revision (as retort's online upgrade commits).

### Wall time, seconds

{table}

### CPU time (user + sys of the process), seconds

The same runs; less sensitive than wall time to other work on the machine and
to waiting for the disk (SQLite's fsyncs at each commit), which it leaves out.

{markdown(cpu_rows)}
"""
    if failures:
        text += "\nFailures:\n\n" + "\n".join(f"- {f}" for f in failures) + "\n"
    with open(report, "w") as f:
        f.write(text)
    print(table)
    log(f"report: {report} (whole run {wall / 60:.1f} min)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
