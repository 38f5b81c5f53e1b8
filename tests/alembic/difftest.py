#!/usr/bin/python3
"""Differential test: the same random revision graphs through Alembic and retort.

    difftest.py --retort build/bin/retort --seeds 0:40        seeds 0..39
    difftest.py --retort build/bin/retort --seed 7 --keep /tmp/s7 -v
                                                               one seed, directories kept
See README.md beside this file for what is compared and normalised.
"""

import argparse
import concurrent.futures
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, HERE)

import alembic_driver  # noqa: E402  (read_rows only; Alembic itself runs in a child)
import compare  # noqa: E402
import envwriter  # noqa: E402
import graphgen  # noqa: E402
from plan import Command, make_plan  # noqa: E402

ALEMBIC_HASH_SEED = "0"                     # Alembic's set order, fixed so runs reproduce
RETRY_HASH_SEEDS = tuple(str(i) for i in range(1, 16))
COMMAND_TIMEOUT = 120


def run(argv, cwd, env=None, stdin=None):
    """(status, stdout, stderr) of a program."""
    try:
        p = subprocess.run(argv, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                           timeout=COMMAND_TIMEOUT)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return -1, "", "timed out after %d s" % COMMAND_TIMEOUT


def interpreter_of(program):
    """The interpreter named by a script's #! line; /usr/bin/python3 otherwise."""
    try:
        with open(program, "rb") as f:
            first = f.readline().decode("utf-8", "replace").strip()
    except OSError:
        first = ""
    if first.startswith("#!") and "python" in first:
        return first[2:].split()[0]
    return "/usr/bin/python3"


class Tools:
    def __init__(self, retort, alembic, per_command):
        self.retort = retort
        self.alembic = alembic
        self.python = interpreter_of(alembic)
        self.per_command = per_command  # run the alembic program once per command

    def run_alembic(self, root, commands, hash_seed=ALEMBIC_HASH_SEED):
        """Results of `alembic -c alembic.ini ARGS` for each Command, in order."""
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONDONTWRITEBYTECODE="1")
        cwd = os.path.join(root, "alembic")
        items = [{"rows": "alembic.db"} if c.kind == "rows" else ["-c", "alembic.ini"] + c.args
                 for c in commands]
        if self.per_command:
            return [(0, alembic_driver.read_rows(os.path.join(cwd, i["rows"])), "")
                    if isinstance(i, dict) else run([self.alembic] + i, cwd, env) for i in items]
        driver = os.path.join(HERE, "alembic_driver.py")
        status, out, err = run([self.python, driver], cwd, env, stdin=json.dumps(items))
        if status != 0:
            return [(status, "", "alembic_driver.py failed:\n" + err)] * len(commands)
        return [(r["status"], r["stdout"], r["stderr"]) for r in json.loads(out)]

    def run_retort(self, root, cmd):
        cwd = os.path.join(root, "retort")
        if cmd.kind == "rows":
            return 0, alembic_driver.read_rows(os.path.join(cwd, "retort.db")), ""
        return run([self.retort, "-c", "retort.ini"] + cmd.args, cwd)


class Mismatch:
    def __init__(self, seed, command, problem, alembic, retort, root):
        self.seed = seed
        self.command = command
        self.problem = problem
        self.alembic = alembic      # (status, stdout, stderr)
        self.retort = retort
        self.root = root

    def report(self):
        lines = ["seed %d, command `%s`:" % (self.seed, self.command.text()), self.problem]
        for name, (status, out, err) in (("alembic", self.alembic), ("retort", self.retort)):
            lines.append("--- %s (exit %d) stdout:" % (name, status))
            lines.append(out.rstrip() or "(empty)")
            if err.strip():
                lines.append("--- %s stderr:" % name)
                lines.append(err.rstrip())
        if self.command.kind in ("online", "rows", "current"):
            lines.append("(online commands change the database: rerun the seed with --keep "
                         "to reproduce the sequence)")
        else:
            lines.append("reproduce: cd %s/alembic && alembic -c alembic.ini %s\n"
                         "           cd %s/retort && retort -c retort.ini %s"
                         % (self.root, self.command.text(), self.root, self.command.text()))
        return "\n".join(lines)


def _last_line(text):
    """The error line of a failed command: retort's first `error:` line, else the last line."""
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    errors = [l for l in lines if l.startswith("error: ")]
    return errors[0] if errors else (lines[-1] if lines else "")


def compare_outputs(cmd, a, r, graph_facts=({}, {})):
    """(problem or None, notes) for one command's results a and r."""
    a_status, a_out, a_err = a
    r_status, r_out, r_err = r
    if a_status != 0 and r_status != 0:
        a_msg = _last_line(a_out + "\n" + a_err).replace("FAILED: ", "", 1)
        r_msg = _last_line(r_err if r_err.strip() else r_out).replace("error: ", "", 1)
        if a_msg == r_msg:
            return None, ["both failed"]
        return None, ["both failed; alembic: %s | retort: %s" % (a_msg, r_msg)]
    if a_status != 0:
        how = "crashed with a Python traceback" if "Traceback" in a_err else "failed"
        return "alembic %s (exit %d) but retort succeeded" % (how, a_status), []
    if r_status != 0:
        return "retort failed (exit %d) but alembic succeeded" % r_status, []
    if cmd.kind == "script":
        return compare.compare_scripts(a_out, r_out, cmd.start_rows, *graph_facts)
    if cmd.kind == "rows":
        return compare.compare_rows(a_out, r_out, graph_facts[1])
    if cmd.kind == "online":
        return None, []
    return compare.compare_listings(a_out, r_out, cmd.kind)


def check_seed(seed, features, max_revs, tools, workdir, keep):
    """Runs one seed; returns (mismatches, notes, root)."""
    graph = graphgen.generate(seed, features, max_revs)
    root = os.path.join(workdir, "seed_%d" % seed)
    shutil.rmtree(root, ignore_errors=True)
    envwriter.write_alembic(graph, os.path.join(root, "alembic"))
    envwriter.write_retort(graph, os.path.join(root, "retort"))
    envwriter.write_graph_file(graph, root)
    build_cmd = Command(["build"], "online")
    build = tools.run_retort(root, build_cmd)
    if build[0] != 0:
        return [Mismatch(seed, build_cmd, "retort could not build the revision packs",
                         (0, "", ""), build, root)], [], root

    commands = make_plan(graph)
    facts = (graph.normalized_downs(), graph.full_ancestors())
    pending = []
    diverged = None  # the online command after which the databases may differ
    for cmd, a in zip(commands, tools.run_alembic(root, commands)):
        online = cmd.kind in ("online", "rows", "current")
        if online and diverged:
            pending.append([cmd, a, None, None, ["not compared: the databases may differ "
                                                 "since %s" % diverged]])
            continue
        r = tools.run_retort(root, cmd)
        problem, notes = compare_outputs(cmd, a, r, facts)
        if problem and a[0] == 1 and "Traceback" in a[2] and r[0] == 0:
            # Alembic crashed: there is no reference to compare with.
            problem, notes = None, ["not compared: alembic crashed (%s)"
                                    % a[2].strip().splitlines()[-1]]
            if online:
                diverged = cmd.text()
        elif problem and cmd.kind == "online":
            diverged = cmd.text()
        elif cmd.kind == "rows" and notes:
            # Same revisions applied, different rows (the 1.8.1 quirk in
            # compare.redundant): later relative moves may legitimately differ.
            diverged = "%s (other rows, same revisions applied)" % pending[-1][0].text()
        pending.append([cmd, a, r, problem, notes])
    # Alembic's own output may depend on Python's set order: when it matches
    # retort's under another hash seed, retort's choice is one Alembic makes
    # too. Only commands that do not change the database can be rerun alone.
    for hs in RETRY_HASH_SEEDS:
        retry = [p for p in pending if p[3] and p[1][0] == 0 and p[2] and p[2][0] == 0
                 and p[0].kind not in ("online", "rows", "current")]
        if not retry:
            break
        for p, a2 in zip(retry, tools.run_alembic(root, [p[0] for p in retry], hs)):
            if a2[0] == 0 and compare_outputs(p[0], a2, p[2], facts)[0] is None:
                p[3] = None
                p[4] = ["alembic's output depends on set order; retort matches it "
                        "with PYTHONHASHSEED=%s" % hs]

    mismatches, all_notes = [], []
    for cmd, a, r, problem, notes in pending:
        all_notes += ["%s: %s" % (cmd.text(), n) for n in notes if n != "both failed"]
        if problem:
            mismatches.append(Mismatch(seed, cmd, problem, a, r, root))
    if not mismatches and not keep:
        shutil.rmtree(root, ignore_errors=True)
    return mismatches, all_notes, root


def check_seed_safely(*args):
    try:
        return check_seed(*args)
    except Exception:  # a bug in the harness: report it against the seed
        seed, root = args[0], os.path.join(args[4], "seed_%d" % args[0])
        return [Mismatch(seed, Command(["(harness)"], "online"), "the harness failed:\n"
                         + traceback.format_exc(), (0, "", ""), (0, "", ""), root)], [], root


def parse_seeds(args):
    if args.seed is not None:
        return [args.seed]
    start, colon, end = args.seeds.partition(":")
    return list(range(int(start), int(end))) if colon else list(range(int(start)))


def find_alembic(given):
    path = shutil.which(given)
    if path:
        return path
    sys.stderr.write("error: the alembic program was not found ('%s' on PATH)\n"
                     "hint: install Debian's alembic package (scripts/install-deps.sh --all "
                     "does), or pass --alembic PATH\n" % given)
    sys.exit(2)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--retort", required=True, help="the retort binary")
    p.add_argument("--alembic", default="alembic", help="the alembic program (default: on PATH)")
    p.add_argument("--seeds", default="0:30", help="START:END (END excluded) or COUNT; default 0:30")
    p.add_argument("--seed", type=int, help="run only this seed")
    p.add_argument("--features", default="all",
                   help="linear, basic (forks and merges), all, or a comma list of: %s"
                        % ", ".join(graphgen.ALL_FEATURES))
    p.add_argument("--max-revs", type=int, default=24, help="largest graph (default 24)")
    p.add_argument("--jobs", "-j", type=int, default=2, help="seeds run at once (default 2)")
    p.add_argument("--workdir", help="where seeds are written (default: a new temp dir); "
                                     "failing seeds' directories are kept")
    p.add_argument("--keep", action="store_true", help="keep every seed's directories")
    p.add_argument("--alembic-cli", action="store_true",
                   help="run the alembic program once per command instead of through "
                        "alembic_driver.py (slower; same results)")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="print notes, and every mismatch in full")
    args = p.parse_args()

    retort = os.path.abspath(args.retort)
    if not os.access(retort, os.X_OK):
        sys.stderr.write("error: the retort binary '%s' is not executable\n" % retort)
        return 2
    tools = Tools(retort, find_alembic(args.alembic), args.alembic_cli)
    features = graphgen.parse_features(args.features)
    seeds = parse_seeds(args)
    own_workdir = args.workdir is None
    workdir = tempfile.mkdtemp(prefix="retort-difftest-") if own_workdir \
        else os.path.abspath(args.workdir)
    os.makedirs(workdir, exist_ok=True)

    started = time.time()
    results = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(check_seed_safely, s, features, args.max_revs, tools, workdir,
                               args.keep): s for s in seeds}
        for f in concurrent.futures.as_completed(futures):
            results[futures[f]] = f.result()

    failed = [s for s in seeds if results[s][0]]
    mismatches = [m for s in failed for m in results[s][0]]
    if args.verbose:
        for s in seeds:
            for n in results[s][1]:
                print("seed %d: note: %s" % (s, n))
    print("alembic differential test: features %s, seeds %s, %d passed, %d failed (%.0f s)"
          % (",".join(features) or "linear",
             "%d..%d" % (seeds[0], seeds[-1]) if len(seeds) > 1 else seeds[0],
             len(seeds) - len(failed), len(failed), time.time() - started))
    if not failed:
        if own_workdir and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 0
    print("\nmismatches (seed: command: problem):")
    for m in mismatches:
        print("  %d: %s: %s" % (m.seed, m.command.text(), m.problem.splitlines()[0]))
    for i, m in enumerate(mismatches if args.verbose else mismatches[:1]):
        print("\n==== %s ====" % ("first mismatch" if i == 0 else "mismatch"))
        with open(os.path.join(m.root, "graph.txt")) as f:
            print("graph: " + f.read().rstrip())
        print(m.report())
    print("\nthe failing seeds' directories are kept in %s" % workdir)
    print("run one seed again: %s %s --retort %s --seed %d --features %s --max-revs %d "
          "--workdir /tmp/difftest --keep -v"
          % (tools.python, shlex.quote(os.path.join(HERE, "difftest.py")), shlex.quote(retort),
             failed[0], args.features, args.max_revs))
    return 1


if __name__ == "__main__":
    sys.exit(main())
