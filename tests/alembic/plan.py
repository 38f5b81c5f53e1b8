"""The commands the differential test runs on one graph, in order.

Both tools run the same list in the same order, each in its own directory,
so commands that change the database (the online part at the end) see the
same state in both.
"""

import random

# How a command's output is compared (see compare.py):
#   listing   heads, history: line by line
#   branches  like listing; a branch point's children in any order
#   current   like listing; lines in any order
#   script    an offline --sql script: steps and version-table statements
#   online    a command run against the database: only success is compared,
#             its effect is checked by the "rows" command that follows
#   rows      not a tool command: the rows of the version table, read by the
#             harness (retort) and the driver (Alembic) with Python's sqlite3
KINDS = ("listing", "branches", "current", "script", "online", "rows")


class Command:
    def __init__(self, args, kind, start_rows=()):
        self.args = list(args)          # e.g. ["upgrade", "heads", "--sql"]
        self.kind = kind
        self.start_rows = tuple(start_rows)  # version rows a script starts from

    def text(self):
        return "(version table rows)" if self.kind == "rows" else " ".join(self.args)


def _online(args, rng_rows=True):
    cmds = [Command(args, "online"), Command([], "rows")]
    if rng_rows:
        cmds.append(Command(["current"], "current"))
    return cmds


def make_plan(graph):
    rng = random.Random(graph.seed * 7919 + 17)
    heads = graph.heads()
    ids = [r.id for r in graph.revs]
    cmds = [
        Command(["heads"], "listing"),
        Command(["heads", "-v"], "listing"),
        Command(["branches"], "branches"),
        Command(["branches", "-v"], "branches"),
        Command(["history"], "listing"),
        Command(["history", "-v"], "listing"),
    ]
    if any(r.depends for r in graph.revs):
        cmds.append(Command(["heads", "--resolve-dependencies"], "listing"))
    cmds.append(Command(["show", rng.choice(ids)], "listing"))
    # History ranges along one line of descent.
    y = rng.choice(ids)
    below = sorted(graph.ancestors(y))
    if below:
        x = rng.choice(below)
        cmds += [Command(["history", "-r", "%s:%s" % (x, y)], "listing"),
                 Command(["history", "-r", "%s:" % x], "listing"),
                 Command(["history", "-r", ":%s" % y], "listing")]

    # Offline scripts.
    cmds.append(Command(["upgrade", "heads", "--sql"], "script"))
    if len(heads) == 1:
        cmds.append(Command(["upgrade", "head", "--sql"], "script"))
    for h in rng.sample(heads, min(2, len(heads))):
        if len(heads) > 1:
            cmds.append(Command(["upgrade", h, "--sql"], "script"))
        cmds.append(Command(["downgrade", "%s:base" % h, "--sql"], "script", [h]))
        ancestors = sorted(graph.ancestors(h))
        if ancestors:
            a = rng.choice(ancestors)
            cmds.append(Command(["downgrade", "%s:%s" % (h, a), "--sql"], "script", [h]))
    inner = [i for i in ids if i not in heads]
    if inner:
        r = rng.choice(inner)
        cmds.append(Command(["upgrade", "%s:heads" % r, "--sql"], "script", [r]))
    labels = [l for r in graph.revs for l in r.labels]
    for label in rng.sample(labels, min(2, len(labels))):
        cmds.append(Command(["upgrade", "%s@head" % label, "--sql"], "script"))
        cmds.append(Command(["show", label], "listing"))
    # Partial ids (Alembic matches a prefix of any length against ids and
    # labels longer than 3 characters) and label@ forms.
    r = rng.choice(ids)
    cmds.append(Command(["show", r[:rng.randint(2, len(r) - 1)]], "listing"))
    r = rng.choice(ids)
    cmds.append(Command(["upgrade", r[:rng.randint(3, len(r) - 1)], "--sql"], "script"))
    if labels:
        label = rng.choice(labels)
        h = rng.choice(heads)
        cmds += [Command(["show", "%s@head" % label], "listing"),
                 Command(["history", "-r", "%s@base:%s@head" % (label, label)], "listing"),
                 Command(["upgrade", "%s@base+1" % label, "--sql"], "script"),
                 Command(["upgrade", "%s@%s" % (label, rng.choice(ids)), "--sql"], "script"),
                 Command(["downgrade", "%s:%s@base" % (h, label), "--sql"], "script", [h])]
    # Relative targets: a walk up from a revision, down from a head.
    r = rng.choice(ids)
    cmds.append(Command(["upgrade", "%s:%s+1" % (r, r), "--sql"], "script", [r]))
    h = rng.choice(heads)
    cmds.append(Command(["downgrade", "%s:%s-2" % (h, h), "--sql"], "script", [h]))
    cmds.append(Command(["upgrade", "base+2", "--sql"], "script"))
    cmds.append(Command(["stamp", "heads", "--sql"], "script"))
    cmds.append(Command(["stamp", rng.choice(ids), "--sql"], "script"))

    # Online, against each tool's SQLite file: up part of the way, to all
    # heads, down to some revision, down to base.
    cmds += _online(["upgrade", rng.choice(ids)])
    cmds += _online(["upgrade", "+1"])
    cmds += _online(["upgrade", "heads"])
    cmds += _online(["downgrade", rng.choice(ids)])
    cmds += _online(["downgrade", "base"], rng_rows=False)
    cmds += _online(["stamp", rng.choice(ids)])
    cmds += _online(["stamp", "heads"])
    cmds += _online(["stamp", "--purge", rng.choice(ids)])
    # One head, so that relative moves from the database are unambiguous.
    cmds += _online(["downgrade", "base"], rng_rows=False)
    cmds += _online(["upgrade", rng.choice(heads)])
    cmds += _online(["downgrade", "-1"])
    cmds += _online(["upgrade", "+1"])
    if labels:
        cmds += _online(["downgrade", "%s@base" % rng.choice(labels)])
    return cmds
