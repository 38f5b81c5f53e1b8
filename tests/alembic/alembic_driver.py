"""Runs several alembic command lines in one Python process.

    python3 alembic_driver.py < commands.json > results.json

Input: a JSON list of argument lists, e.g. [["-c", "alembic.ini", "heads"]];
an item {"rows": "alembic.db"} instead reads the version table's rows.
Output: a JSON list of {"status", "stdout", "stderr"}, one per command, as the
`alembic` program would have exited and printed. Starting Python and
SQLAlchemy costs ~0.3 s per process, most of Alembic's time here, so the
differential test runs each seed's commands through one driver process.
Each command goes through Alembic's own CommandLine and a fresh Config, so it
reads the ini file and the revision files anew, as the CLI does.
"""

import io
import json
import os
import sqlite3
import sys
import traceback
import warnings


def read_rows(db, table="alembic_version"):
    """The version table's rows, sorted, one per line; or a note that it is missing."""
    if not os.path.exists(db):
        return "(no database)\n"
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT version_num FROM %s" % table).fetchall()
    except sqlite3.OperationalError as e:
        return "(%s)\n" % e
    finally:
        con.close()
    return "".join("%s\n" % r for r in sorted(v for (v,) in rows))


def run_one(argv):
    from alembic.config import CommandLine, Config

    out, err = io.StringIO(), io.StringIO()
    status = 0
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            cli = CommandLine(prog="alembic")
            options = cli.parser.parse_args(argv)
            if not hasattr(options, "cmd"):
                cli.parser.error("too few arguments")
            cfg = Config(file_=options.config, ini_section=options.name, cmd_opts=options,
                         stdout=out, output_buffer=out)
            cli.run_cmd(cfg, options)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        status = code & 0xFF
    except BaseException:  # noqa: B036 - report anything, as the interpreter would
        err.write(traceback.format_exc())
        status = 1
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    return {"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main():
    commands = json.load(sys.stdin)
    results = []
    for item in commands:
        if isinstance(item, dict):
            results.append({"status": 0, "stdout": read_rows(item["rows"]), "stderr": ""})
        else:
            results.append(run_one(item))
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
