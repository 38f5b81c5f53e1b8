#!/usr/bin/python3
"""Times retort against Alembic on generated revision graphs (see README.md).

Normally started by bench/run.sh, which installs and builds what this needs:

    /usr/bin/python3 bench/bench.py --retort build-bench/bin/retort \
        [--sizes 1000,5000,10000] [--shapes linear,diamond] [--runs 3] ...

For each shape and size: generates both environments (generate.py; retort's
as one source file per revision, as `retort revision` writes them, unless
--layout packs), then times, for both tools: `heads` on sources never built
(Alembic warm and cold), the cold build (`retort build` on a fresh checkout;
Alembic's first run), `heads`, `history`, `upgrade head --sql`, online
`upgrade head` on a fresh SQLite file, `upgrade head` at head, `current` at
head, and the incremental step (`revision`, an edit, `upgrade head`); and the
floor: the SQL that `retort upgrade head --sql` printed, run by the sqlite3
shell on a fresh file. Each command's output is checked (the right head, N
revisions run, N tables made) before its time counts. Prints a Markdown table
and the targets, and writes a report with the machine facts.
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
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no bench/__pycache__
import generate  # noqa: E402  (the bench's own generator: the edits a revision's author makes)


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
        return self.measure_steps(lambda: run_once(argv, cwd, out, err, env, self.timeout, stdin),
                                  before=before, check=check)

    def measure_steps(self, once, before=None, check=None):
        """The same for `once()`, which runs one or more processes and returns
        (wall s, CPU s) for all of them."""
        walls, cpus = [], []
        for i in range(self.runs):
            if before:
                before()
            wall, cpu = once()
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

    def per(self, n):
        """The same times divided by n (e.g. per revision)."""
        return Measure(self.wall / n, self.cpu / n, self.runs)


class Row:
    """One line of the tables: a command's Measures for both tools (None where
    there is nothing to show). `build` rows get no alembic/retort ratio; `digits`
    is the number of decimals below 10 s."""

    def __init__(self, command, alembic, retort, floor1=None, floorN=None, build=False, digits=3):
        self.command, self.alembic, self.retort = command, alembic, retort
        self.floor1, self.floorN, self.build, self.digits = floor1, floorN, build, digits


def all_of(*checks):
    checks = [c for c in checks if c]

    def check():
        for c in checks:
            c()
    return check


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


def fmt_s(m, cpu=False, digits=3):
    """A Measure as seconds, ¹ for a single run."""
    if m is None:
        return "-"
    value = m.cpu if cpu else m.wall
    text = f"{value:.{digits}f}" if value < 10 else f"{value:.1f}"
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
    """Times one shape and size; returns ([Row], [Target])."""
    case = os.path.join(args.work, f"{shape}-{size}")
    log(f"== {shape} {size}: generating in {case}")
    t0 = time.perf_counter()
    gen = ["/usr/bin/python3", os.path.join(HERE, "generate.py"), "--shape", shape,
           "--size", str(size), "--out", case, "--layout", args.layout,
           "--pack-size", str(args.pack_size)]
    if args.db_dir:
        gen += ["--db-dir", os.path.join(args.db_dir, f"{shape}-{size}")]
    subprocess.run(gen, check=True)
    log(f"   generated in {time.perf_counter() - t0:.1f} s")
    head = read(os.path.join(case, "graph.txt")).splitlines()[0].split("heads=")[1].strip()
    a_dir = os.path.join(case, "alembic")
    r_dir = os.path.join(case, "retort")
    a_versions = os.path.join(a_dir, "migrations", "versions")
    r_versions = os.path.join(r_dir, "migrations", "versions")
    r_build_dir = os.path.join(r_versions, "build")
    out_dir = os.path.join(case, "out")
    db_dir = os.path.join(args.db_dir, f"{shape}-{size}") if args.db_dir else None
    os.makedirs(out_dir, exist_ok=True)
    retort = [args.retort]
    alembic = [args.alembic]
    sources = len([f for f in os.listdir(r_versions) if f.endswith(".cpp")])

    def o(name):
        return os.path.join(out_dir, name + ".out"), os.path.join(out_dir, name + ".err")

    def expect(path, text, what):
        def check():
            if text not in read(path):
                raise Failed(f"{what}: '{text}' not in {path}")
        return check

    def absent(path, what):
        def check():
            if os.path.exists(path):
                raise Failed(f"{what}: {path} exists")
        return check

    rows, targets = [], []

    # heads on sources never built: no module exists, and heads must not make
    # one. Fresh clone: not even the metadata cache exists (deleted before
    # each run), as Alembic cold has no __pycache__. Then warm: the cache
    # that the first run wrote, as Alembic warm has its __pycache__.
    r_units = os.path.join(r_build_dir, ".retort", "units")
    ro, re_ = o("retort-heads-unbuilt-fresh")
    r_fresh = timer.measure(retort + ["heads"], r_dir, ro, re_, retort_env,
                            before=lambda: shutil.rmtree(r_build_dir, ignore_errors=True),
                            check=all_of(expect(ro, head, "retort heads (fresh clone)"),
                                         absent(r_units, "retort heads (fresh clone) built modules")))
    log(f"   heads, never built, fresh clone: retort {r_fresh}")
    ro, re_ = o("retort-heads-unbuilt")
    r_unbuilt = timer.measure(retort + ["heads"], r_dir, ro, re_, retort_env,
                              check=all_of(expect(ro, head, "retort heads (never built)"),
                                           absent(r_units, "retort heads (never built) built modules")))
    log(f"   heads, never built: retort {r_unbuilt}")
    # Alembic cold: no __pycache__ for the revision files, and none written.
    ao, ae = o("alembic-heads-cold")
    cold_env = dict(alembic_env, PYTHONDONTWRITEBYTECODE="1")
    a_cold = timer.measure(alembic + ["heads"], a_dir, ao, ae, cold_env,
                           check=all_of(expect(ao, head, "alembic heads (cold)"),
                                        absent(os.path.join(a_versions, "__pycache__"),
                                               "alembic heads (cold) wrote bytecode")))
    log(f"   heads, cold: alembic {a_cold}")

    # One-time costs. Alembic's first run writes __pycache__, which later runs use.
    out, err = o("alembic-first-heads")
    wall, cpu = run_once(alembic + ["heads"], a_dir, out, err, alembic_env, args.timeout)
    a_first = Measure(wall, cpu, 1)
    log(f"   alembic first run (writes __pycache__): {a_first}")

    # retort's cold build: a fresh checkout has no versions/build.
    ro, re_ = o("retort-build")
    modules = []

    def fresh_checkout():
        shutil.rmtree(r_build_dir, ignore_errors=True)

    def built_everything():
        m = re.search(r"(?m)^compiled (\d+) revision sources? into (\d+) modules?", read(ro) + read(re_))
        if not m or int(m.group(1)) != sources:
            raise Failed(f"retort build: expected 'compiled {sources} revision sources into ...' in {ro}")
        modules.append(int(m.group(2)))
    r_build = timer.measure(retort + ["build"], r_dir, ro, re_, retort_env,
                            before=fresh_checkout, check=built_everything)
    log(f"   retort build ({sources} sources into {modules[-1]} modules): {r_build}")
    build_rows = [Row("build (cold)", a_first, r_build, build=True),
                  Row("build (cold), per revision", a_first.per(size), r_build.per(size),
                      build=True, digits=4)]
    targets.append(Target(shape, size, "cold build, wall per revision", "≤ 0.050 s (at 1,000)",
                          f"{r_build.wall / size:.4f} s ({fmt_s(r_build)} s for {size:,} revisions, "
                          f"{sources:,} sources into {modules[-1]} modules; CPU {r_build.cpu / size:.4f} s)",
                          r_build.wall / size <= 0.05, stated_for=1000))

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

    a_heads, r_heads = both("heads", ["heads"], check_text=head)
    rows += [Row("heads (never built)", a_heads, r_unbuilt),
             Row("heads (never built, fresh clone; Alembic cold)", a_cold, r_fresh)]
    rows += build_rows
    rows.append(Row("heads", a_heads, r_heads))
    x = a_heads.wall / r_unbuilt.wall
    targets.append(Target(shape, size, "heads never built: Alembic (warm) / retort", "≥ 50× (at 10,000)",
                          f"{x:.1f}× ({fmt_s(a_heads)} s / {fmt_s(r_unbuilt)} s; "
                          f"fresh clone: Alembic cold {fmt_s(a_cold)} s / retort {fmt_s(r_fresh)} s, "
                          f"{ratio(a_cold, r_fresh)})", x >= 50,
                          stated_for=10000))

    a, r = both("history", ["history"], check_text=head)
    rows.append(Row("history", a, r))

    def count_running(path, tool):
        def check():
            n = len(re.findall(r"(?m)^-- Running upgrade", read(path)))
            if n != size:
                raise Failed(f"{tool} upgrade head --sql: {n} revisions in the script, expected {size}")
        return check
    a, r = both("upgrade-sql", ["upgrade", "head", "--sql"],
                check_a=count_running(o("alembic-upgrade-sql")[0], "alembic"),
                check_r=count_running(o("retort-upgrade-sql")[0], "retort"))
    rows.append(Row("upgrade head --sql", a, r))

    # Online upgrade: a fresh database file before every run.
    a_db = os.path.join(db_dir or a_dir, "alembic.db" if db_dir else "bench.db")
    r_db = os.path.join(db_dir or r_dir, "retort.db" if db_dir else "bench.db")

    def tables(db, tool, expected=size):
        def check():
            n = table_count(db)
            if n != expected:
                raise Failed(f"{tool} upgrade head: {n} tables made, expected {expected}")
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
    rows.append(Row("upgrade head (online)", a, r, f1, fN))

    # upgrade head again, with nothing left to run: what every deploy pays.
    # retort reads its history and checks every applied revision's checksum.
    a_at, r_at = both("upgrade-at-head", ["upgrade", "head"])
    rows.append(Row("upgrade head (at head)", a_at, r_at))

    # current at head: both databases are at head after the last online run.
    a, r_current = both("current", ["current"], check_text=head)
    rows.append(Row("current (at head)", a, r_current))
    x = r_at.wall / r_current.wall
    targets.append(Target(shape, size, "retort upgrade head (at head) / retort current",
                          "≤ 1.5× (at 10,000)",
                          f"{x:.2f}× ({fmt_s(r_at)} s / {fmt_s(r_current)} s; "
                          f"alembic upgrade head at head {fmt_s(a_at)} s)", x <= 1.5,
                          stated_for=10000))

    # The everyday step, last because it adds revisions: a new revision, its
    # op written in, and the upgrade that compiles it and runs it.
    def incremental(tool, argv, cwd, env, versions, db, fill):
        added = []

        def once():
            k = len(added) + 1
            n = size + k
            ro, re_ = o(f"{tool}-incremental-revision")
            uo, ue = o(f"{tool}-incremental-upgrade")
            t0 = time.perf_counter()
            _, c1 = run_once(argv + ["revision", "-m", "x"], cwd, ro, re_, env, args.timeout)
            m = re.search(r"Generating '?(/\S+?\.(?:cpp|py))'? \.\.\.", read(ro) + read(re_))
            if not m or not os.path.dirname(m.group(1)) == versions:
                raise Failed(f"{tool} revision: no new file in {versions} named in {ro}")
            with open(m.group(1)) as f:
                text = f.read()
            try:
                text = fill(text, n)
            except ValueError as e:
                raise Failed(f"{tool} revision: {m.group(1)}: {e}")
            with open(m.group(1), "w") as f:
                f.write(text)
            _, c2 = run_once(argv + ["upgrade", "head"], cwd, uo, ue, env, args.timeout)
            wall = time.perf_counter() - t0
            added.append(n)
            compiled = re.search(r"(?m)^compiled \d+ revision sources? into .*$", read(uo) + read(ue))
            if compiled:
                log(f"   incremental {k}: {tool} upgrade {compiled.group(0)}")
            return wall, c1 + c2

        def check():
            tables(db, f"{tool} incremental upgrade", size + len(added))()
        m = timer.measure_steps(once, check=check)
        log(f"   incremental: {tool} {m}")
        return m
    r_inc = incremental("retort", retort, r_dir, retort_env, r_versions, r_db, generate.fill_retort_revision)
    a_inc = incremental("alembic", alembic, a_dir, alembic_env, a_versions, a_db, generate.fill_alembic_revision)
    rows.append(Row("incremental: revision + edit + upgrade head", a_inc, r_inc))
    targets.append(Target(shape, size, "incremental (revision + edit + upgrade head)", "≤ 1.5 s wall, ≤ 1 s CPU",
                          f"{fmt_s(r_inc)} s wall, {fmt_s(r_inc, cpu=True)} s CPU "
                          f"(Alembic {fmt_s(a_inc)} s wall, {fmt_s(a_inc, cpu=True)} s CPU)",
                          r_inc.wall <= 1.5 and r_inc.cpu <= 1.0))

    if not args.keep:
        for sub in (a_dir, r_dir):
            shutil.rmtree(sub, ignore_errors=True)
        if db_dir:
            shutil.rmtree(db_dir, ignore_errors=True)
    return rows, targets


class Target:
    """One measured target: what, the goal, the measurement as text, whether it
    was met, and the size the goal was stated for (None: every size)."""

    def __init__(self, shape, size, what, goal, measured, met, stated_for=None):
        self.shape, self.size, self.what, self.goal = shape, size, what, goal
        self.measured, self.met, self.stated_for = measured, met, stated_for

    def met_text(self):
        text = "yes" if self.met else "no"
        if self.stated_for is not None and self.stated_for != self.size:
            return f"({text})"
        return text if self.met else f"**{text}**"


def table_rows(shape, size, results, cpu=False):
    rows = []
    for row in results:
        rows.append([shape, f"{size:,}", row.command,
                     fmt_s(row.alembic, cpu, row.digits), fmt_s(row.retort, cpu, row.digits),
                     "-" if row.build else ratio(row.alembic, row.retort, cpu),
                     fmt_s(row.floor1, cpu), ratio(row.retort, row.floor1, cpu),
                     fmt_s(row.floorN, cpu), ratio(row.retort, row.floorN, cpu)])
    return rows


def targets_markdown(targets):
    lines = ["| shape | N | what | target | measured (retort) | met |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {t.shape} | {t.size:,} | {t.what} | {t.goal} | {t.measured} | {t.met_text()} |"
              for t in targets]
    return "\n".join(lines)


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
    ap.add_argument("--layout", choices=["files", "packs"], default="files",
                    help="retort's sources: one file per revision (default) or packs")
    ap.add_argument("--pack-size", type=int, default=250, help="revisions per retort pack (--layout packs)")
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
    rows, cpu_rows, targets = [], [], []
    t_start = time.perf_counter()
    failures = []
    for size in sizes:
        for shape in shapes:
            try:
                results, met = bench_case(shape, size, args, timer, alembic_env, retort_env, log)
                targets += met
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
    layout = ("one file per revision, `retort revision`'s layout" if args.layout == "files"
              else f"packs of {args.pack_size} revisions per .cpp")
    text = f"""## retort vs Alembic: results

- date: {facts['date']}
- machine: {facts['nproc']} cores, {facts['cpu']}; {facts['os']}
- retort: {args.retort_version}, `{args.retort}`
- tools: {facts['alembic']}; {facts['python']}; {facts['sqlite3'].split(' ')[0] if facts['sqlite3'] != '?' else '?'} (sqlite3 shell); {facts['compiler']}
- command: `{cmdline}`
- databases: {"in " + args.db_dir if args.db_dir else "beside each environment, on the work folder's file system"}
- wall time of the whole run: {wall / 60:.1f} min

Times are wall seconds, the median of {args.runs} runs; ¹ marks a single run
(a command whose first run took over {args.slow:g} s, and Alembic's first run).
retort's sources: {layout}. Alembic has one file per revision.

- "heads (never built)": `retort heads` before any build (no module exists;
  graph commands read each revision's metadata from its source text), against
  `alembic heads` with its __pycache__ warm; the next row against Alembic cold
  (no __pycache__ for the revisions, `PYTHONDONTWRITEBYTECODE=1`).
- "build (cold)": `retort build` on a fresh checkout (versions/build deleted
  before each run); for Alembic, its first `heads` run, which writes
  __pycache__. "per revision" divides both by N.
- "incremental": `revision -m x`, then the bench writes one create_table into
  the new file's upgrade, then `upgrade head`, on a database at head; wall
  from the first process's start to the last one's end, CPU summed over both
  processes (retort's includes the compiler). Each run adds a revision.
- Floors: the SQL printed by `retort upgrade head --sql`, run by `sqlite3` on a
  fresh file, as printed (one transaction) and with one transaction per
  revision (as retort's online upgrade commits).

### Wall time, seconds

{table}

### CPU time (user + sys of the process), seconds

The same runs; less sensitive than wall time to other work on the machine and
to waiting for the disk (SQLite's fsyncs at each commit), which it leaves out.

{markdown(cpu_rows)}

### Targets

Wall times unless marked. A target stated for one size is checked at every
size; at the other sizes its verdict is in brackets.

{targets_markdown(targets)}
"""
    if failures:
        text += "\nFailures:\n\n" + "\n".join(f"- {f}" for f in failures) + "\n"
    with open(report, "w") as f:
        f.write(text)
    print(table)
    print()
    print(targets_markdown(targets))
    log(f"report: {report} (whole run {wall / 60:.1f} min)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
