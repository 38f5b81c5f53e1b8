"""Normalising and comparing the output of Alembic and retort.

Each compare_* function takes (alembic_stdout, retort_stdout) and returns
None when they agree, else a readable explanation with a diff. What is
normalised, and why, is listed in README.md; in short:

  --sql scripts: whitespace, terminators and blank lines; BEGIN/COMMIT;
      quoting and table qualification of the version-table statements (they
      are compared as INSERT/UPDATE/DELETE operations on row values);
      Alembic 1.8.1's trailing DROP TABLE of the version table after a
      downgrade to base (dropped in Alembic 1.19, #1822); and, for merge and
      unmerge steps whose statements Alembic picks in Python set order, the
      statements themselves (the version rows after the step are compared).
  listings (heads, branches, history): trailing whitespace, Path: lines,
      and the order inside lists that Alembic builds from Python sets
      (branch labels, the children of a branch point).
"""

import difflib
import re

_HEADER = re.compile(r"^-- Running (upgrade|downgrade|stamp_revision) (.*?)\s*->\s*(.*?)\s*$")
_INSERT = re.compile(r"^INSERT INTO \"?(\w+)\"?\(\"?version_num\"?\)VALUES\('([^']*)'\)$")
_UPDATE = re.compile(r"^UPDATE \"?(\w+)\"? SET \"?version_num\"?='([^']*)' "
                     r"WHERE (?:\"?\w+\"?\.)?\"?version_num\"?='([^']*)'$")
_DELETE = re.compile(r"^DELETE FROM \"?(\w+)\"? WHERE (?:\"?\w+\"?\.)?\"?version_num\"?='([^']*)'$")
_TRANSACTION = {"BEGIN", "BEGIN TRANSACTION", "COMMIT"}
_DROP_VERSION_TABLE = "DROP TABLE alembic_version"


def _ids(text):
    return tuple(i.strip() for i in text.split(",") if i.strip())


def normalize_statement(text):
    """One statement without terminator, whitespace collapsed, no spaces around ( ) , =."""
    s = re.sub(r"\s+", " ", text).strip()
    s = s.rstrip(";").strip()
    return re.sub(r"\s*([(),=])\s*", r"\1", s)


class Step:
    def __init__(self, direction, frm, to):
        self.direction = direction
        self.frm = frm
        self.to = to
        self.sql = []       # statements other than the version table's
        self.version = []   # ("insert", x) ("update", old, new) ("delete", x)

    def header(self):
        return "%s %s -> %s" % (self.direction, ", ".join(self.frm), ", ".join(self.to))


class Script:
    """An offline script: statements before the first step, then the steps."""

    def __init__(self):
        self.preamble = []
        self.steps = []
        self.errors = []


def parse_script(text):
    script = Script()
    pending = []

    def flush_statement():
        if not pending:
            return
        stmt = normalize_statement(" ".join(pending))
        pending.clear()
        if stmt.upper() in _TRANSACTION or not stmt:
            return
        if not script.steps:
            script.preamble.append(stmt)
            return
        step = script.steps[-1]
        m = _INSERT.match(stmt)
        if m and m.group(1) == "alembic_version":
            step.version.append(("insert", m.group(2)))
            return
        m = _UPDATE.match(stmt)
        if m and m.group(1) == "alembic_version":
            step.version.append(("update", m.group(3), m.group(2)))
            return
        m = _DELETE.match(stmt)
        if m and m.group(1) == "alembic_version":
            step.version.append(("delete", m.group(2)))
            return
        step.sql.append(stmt)

    for line in text.splitlines():
        stripped = line.strip()
        m = _HEADER.match(stripped)
        if m:
            flush_statement()
            script.steps.append(Step(m.group(1), _ids(m.group(2)), _ids(m.group(3))))
            continue
        if not stripped:
            continue
        if stripped.startswith("--") and not pending:
            flush_statement()
            pending.append(stripped)
            flush_statement()
            continue
        pending.append(stripped)
        if stripped.endswith(";"):
            flush_statement()
    flush_statement()
    return script


def apply_version_ops(rows, ops):
    """The version rows after ops; errors for impossible operations."""
    rows = set(rows)
    errors = []
    for op in ops:
        if op[0] == "insert":
            if op[1] in rows:
                errors.append("INSERT of %s, which is already a row" % op[1])
            rows.add(op[1])
        elif op[0] == "delete":
            if op[1] not in rows:
                errors.append("DELETE of %s, which is not a row" % op[1])
            rows.discard(op[1])
        else:
            if op[1] not in rows:
                errors.append("UPDATE of %s, which is not a row" % op[1])
            if op[2] in rows:
                errors.append("UPDATE to %s, which is already a row" % op[2])
            rows.discard(op[1])
            rows.add(op[2])
    return rows, errors


def _fmt_op(op):
    if op[0] == "update":
        return "UPDATE %s -> %s" % (op[1], op[2])
    return "%s %s" % (op[0].upper(), op[1])


def render_script(script, rows_by_step=None):
    """The normalised script as lines, for diffs."""
    out = ["%s" % s for s in script.preamble]
    for i, step in enumerate(script.steps):
        out.append("-- Running %s" % step.header())
        out.extend("   %s" % s for s in step.sql)
        out.extend("   %s" % _fmt_op(op) for op in step.version)
        if rows_by_step is not None:
            out.append("   => rows {%s}" % ", ".join(sorted(rows_by_step[i])))
    return out


def _rows_after_each_step(script, start_rows):
    rows, out, errors = set(start_rows), [], []
    for step in script.steps:
        rows, errs = apply_version_ops(rows, step.version)
        errors.extend("step '%s': %s" % (step.header(), e) for e in errs)
        out.append(rows)
    return out, errors


def _hash_ordered(step, rows_before, normalized_downs):
    """Whether Alembic picks this step's version statements in set order.

    normalized_downs maps a revision to its parents plus the dependencies no
    ancestor declares (Alembic's _normalized_down_revisions): the version
    table treats those dependencies as parents. An upgrade of a revision with
    several deletes all of them that are rows but one and updates that one;
    with other rows present, Alembic takes them from a Python set. A downgrade
    of one inserts all but one and updates that one, always in set order.
    """
    if step.direction == "upgrade" and len(step.to) == 1:
        downs = normalized_downs.get(step.to[0], step.frm)
        return len(downs) > 1 and bool(rows_before - set(downs))
    if step.direction == "downgrade" and len(step.frm) == 1:
        return len(normalized_downs.get(step.frm[0], step.to)) > 1
    return False


def _kinds(ops):
    return sorted(op[0] for op in ops)


def _drop_final_table_drop(script, rows):
    """Removes a DROP TABLE of the version table that ends a script leaving no rows."""
    if script.steps and not rows[-1] and script.steps[-1].sql[-1:] == [_DROP_VERSION_TABLE]:
        script.steps[-1].sql.pop()
        return True
    return False


def tips(rows, ancestors):
    """rows without those that are ancestors of another row."""
    return {r for r in rows if not any(r in ancestors.get(o, ()) for o in rows if o != r)}


def redundant(rows, ancestors):
    """Whether some row is an ancestor of another. Alembic 1.8.1 leaves such
    rows when it downgrades a revision whose parents and dependencies are
    related: with no other rows, its _unmerge_to_revisions returns all of
    them, where Alembic 1.19 (and retort) leave out those that are ancestors
    of the others. Only graphs of the `tangled` feature have such revisions."""
    return bool(ancestors) and tips(rows, ancestors) != set(rows)


def compare_scripts(alembic_text, retort_text, start_rows=(), normalized_downs=None,
                    ancestors=None):
    """Compares two offline scripts. Returns (problem or None, notes).

    normalized_downs and ancestors (strict ancestors through down_revision
    and depends_on) describe the graph, per revision."""
    normalized_downs = normalized_downs or {}
    ancestors = ancestors or {}
    a = parse_script(alembic_text)
    r = parse_script(retort_text)
    notes = []
    a_rows, a_errors = _rows_after_each_step(a, start_rows)
    r_rows, r_errors = _rows_after_each_step(r, start_rows)
    # Alembic 1.8.1 drops the version table when a script ends with no rows;
    # 1.19 no longer does (#1822). Either is accepted.
    if _drop_final_table_drop(a, a_rows):
        notes.append("ignored Alembic 1.8.1's final DROP TABLE alembic_version")
    if _drop_final_table_drop(r, r_rows):
        notes.append("ignored retort's final DROP TABLE alembic_version")
    problems = []
    if r_errors:
        problems += ["retort's version statements are inconsistent: " + e for e in r_errors]
    if a_errors:
        problems += ["alembic's version statements are inconsistent (!): " + e for e in a_errors]
    if a.preamble != r.preamble:
        problems.append("statements before the first step differ")
    if [s.header() for s in a.steps] != [s.header() for s in r.steps]:
        problems.append("the steps differ (order or set)")
    else:
        rows = set(start_rows)
        for i, (sa, sr) in enumerate(zip(a.steps, r.steps)):
            if sa.sql != sr.sql:
                problems.append("step %d '%s': statements differ" % (i + 1, sa.header()))
            # A state Alembic 1.19 would not reach: compare what is applied.
            quirk = (redundant(rows, ancestors) or redundant(a_rows[i], ancestors)) \
                and tips(a_rows[i], ancestors) == tips(r_rows[i], ancestors)
            if sa.version != sr.version:
                if _hash_ordered(sa, rows, normalized_downs) and _kinds(sa.version) == \
                        _kinds(sr.version) and a_rows[i] == r_rows[i]:
                    notes.append("step %d '%s': version statements in another order than "
                                 "Alembic's set order, same rows" % (i + 1, sa.header()))
                elif quirk:
                    notes.append("step %d '%s': alembic 1.8.1 keeps rows that are ancestors of "
                                 "other rows; same revisions applied" % (i + 1, sa.header()))
                else:
                    problems.append("step %d '%s': version-table statements differ"
                                    % (i + 1, sa.header()))
            if a_rows[i] != r_rows[i] and not quirk:
                problems.append("step %d '%s': version rows after the step differ: alembic {%s}, "
                                "retort {%s}" % (i + 1, sa.header(), ", ".join(sorted(a_rows[i])),
                                                 ", ".join(sorted(r_rows[i]))))
            rows = a_rows[i]
    if not problems:
        return None, notes
    diff = _diff(render_script(a, a_rows), render_script(r, r_rows))
    return "\n".join(problems) + "\nnormalised script, alembic vs retort:\n" + diff, notes


# --- listings -------------------------------------------------------------

_INDICATORS = {"head", "effective head", "current", "branchpoint", "mergepoint"}
_LABEL_GROUP = re.compile(r"^(\s*(?:.*?-> )?[^\s,()]+) \(([^()]*)\)")
_SORTED_LIST_LINES = ("Branches into: ", "Branch names: ")


def _sort_list(text):
    return ", ".join(sorted(i.strip() for i in text.split(",")))


def normalize_listing_line(line):
    line = line.rstrip()
    if line.startswith("Path: "):
        return "Path: <path>"
    for prefix in _SORTED_LIST_LINES:
        if line.startswith(prefix):
            return prefix + _sort_list(line[len(prefix):])
    m = _LABEL_GROUP.match(line)
    if m and m.group(2) not in _INDICATORS:
        return "%s (%s)%s" % (m.group(1), _sort_list(m.group(2)), line[m.end():])
    return line


def normalize_listing(text, kind="listing"):
    lines = [normalize_listing_line(l) for l in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if kind == "current":
        # `current` shows the revisions of a set.
        return sorted(lines)
    if kind != "branches":
        return lines
    # `branches` lists a branch point's children in Python set order: sort
    # each run of "-> child" lines.
    out, run = [], []
    for line in lines + [None]:
        if line is not None and line.lstrip().startswith("-> "):
            run.append(line)
            continue
        out.extend(sorted(run))
        run = []
        if line is not None:
            out.append(line)
    return out


def compare_rows(alembic_text, retort_text, ancestors=None):
    """The version table's rows, one per line, sorted (alembic_driver.read_rows)."""
    a = set(alembic_text.split())
    r = set(retort_text.split())
    if a == r:
        return None, []
    ancestors = ancestors or {}
    if redundant(a, ancestors) and tips(a, ancestors) == tips(r, ancestors):
        return None, ["alembic 1.8.1 keeps rows that are ancestors of other rows; "
                      "same revisions applied"]
    return compare_listings(alembic_text, retort_text, "rows")


def compare_listings(alembic_text, retort_text, kind="listing"):
    a = normalize_listing(alembic_text, kind)
    r = normalize_listing(retort_text, kind)
    if a == r:
        return None, []
    return "outputs differ (normalised), alembic vs retort:\n" + _diff(a, r), []


def _diff(a_lines, r_lines):
    diff = difflib.unified_diff(a_lines, r_lines, "alembic", "retort", lineterm="", n=3)
    return "\n".join(diff)
