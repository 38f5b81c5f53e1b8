"""Writes one graph as an Alembic environment and as a retort environment.

    <root>/alembic/alembic.ini       script_location, version_locations, sqlite url
    <root>/alembic/env/env.py        offline mode prints the script; online runs it
    <root>/alembic/env/versions/vNNN/<rev>.py   one revision per directory (below)
    <root>/retort/retort.ini         script_location, sqlite url, version_table = alembic_version
    <root>/retort/env/versions/pack_N.cpp       many revisions per source file

Alembic 1.8.1 reads a versions directory with os.listdir(), whose order
depends on the file system, and that order is its "map order", which breaks
ties in upgrade and history order. Giving every revision its own directory
and listing the directories in version_locations fixes the order without
touching Alembic. retort reads its sources sorted by name and the revisions of
one source in declaration order; the packs are written so that both orders
are the graph's load order.
"""

import os

ENV_PY = '''\
"""Alembic environment of the differential test (written by tests/alembic/envwriter.py)."""
from alembic import context
from sqlalchemy import create_engine

config = context.config
url = config.get_main_option("sqlalchemy.url")

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
'''


def _py_ids(ids):
    if not ids:
        return "None"
    if len(ids) == 1:
        return repr(ids[0])
    return "(%s)" % ", ".join(repr(i) for i in ids)


def _cpp_ids(ids):
    if not ids:
        return "nullptr"
    if len(ids) == 1:
        return '"%s"' % ids[0]
    return "{%s}" % ", ".join('"%s"' % i for i in ids)


def _docstring(rev):
    return '"""%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: %s\n\n"""' % (
        rev.message, rev.id, ", ".join(rev.down), rev.create_date)


def alembic_revision(rev):
    return '''%s
from alembic import op

revision = %r
down_revision = %s
branch_labels = %s
depends_on = %s


def upgrade():
    op.execute("SELECT 'up_%s'")


def downgrade():
    op.execute("SELECT 'down_%s'")
''' % (_docstring(rev), rev.id, _py_ids(rev.down), _py_ids(rev.labels and tuple(rev.labels)),
       _py_ids(rev.depends), rev.id, rev.id)


def retort_revision(rev):
    ns = "rev_" + rev.id
    fields = [
        '.revision = "%s"' % rev.id,
        ".down_revision = %s" % _cpp_ids(rev.down),
    ]
    if rev.labels:
        fields.append(".branch_labels = %s" % _cpp_ids(rev.labels))
    if rev.depends:
        fields.append(".depends_on = %s" % _cpp_ids(rev.depends))
    fields += [
        '.message = "%s"' % rev.message,
        '.create_date = "%s"' % rev.create_date,
        ".upgrade = %s::upgrade" % ns,
        ".downgrade = %s::downgrade" % ns,
    ]
    return '''namespace %s {
void upgrade(retort::Operations& op) { op.execute("SELECT 'up_%s'"); }
void downgrade(retort::Operations& op) { op.execute("SELECT 'down_%s'"); }
}  // namespace %s

RETORT_REVISION(
    %s)
''' % (ns, rev.id, rev.id, ns, ",\n    ".join(fields))


def _split(items, parts):
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def write_alembic(graph, root):
    """The Alembic environment in root; returns the ini path."""
    versions = os.path.join(root, "env", "versions")
    locations = []
    for i, rev in enumerate(graph.revs):
        d = "v%03d" % i
        locations.append("%%(here)s/env/versions/%s" % d)
        _write(os.path.join(versions, d, "%s.py" % rev.id), alembic_revision(rev))
    _write(os.path.join(root, "env", "env.py"), ENV_PY)
    ini = os.path.join(root, "alembic.ini")
    _write(ini, "[alembic]\n"
                "script_location = %%(here)s/env\n"
                "version_path_separator = os\n"
                "version_locations = %s\n"
                "sqlalchemy.url = sqlite:///%%(here)s/alembic.db\n" % ":".join(locations))
    return ini


def write_retort(graph, root):
    """The retort environment in root; returns the ini path."""
    versions = os.path.join(root, "env", "versions")
    for n, chunk in enumerate(_split(graph.revs, graph.packs)):
        body = "\n".join(retort_revision(r) for r in chunk)
        _write(os.path.join(versions, "pack_%d.cpp" % n),
               "// Graph of seed %d, pack %d of %d, in load order (tests/alembic/envwriter.py).\n"
               "#include <retort/revision.hpp>\n\n%s" % (graph.seed, n + 1, graph.packs, body))
    ini = os.path.join(root, "retort.ini")
    _write(ini, "[retort]\n"
                "script_location = %(here)s/env\n"
                "url = sqlite:///%(here)s/retort.db\n"
                "version_table = alembic_version\n")
    return ini


def write_graph_file(graph, root):
    _write(os.path.join(root, "graph.txt"),
           "seed %d, features %s, %d revisions, %d pack(s), load order:\n%s\n"
           % (graph.seed, ",".join(graph.features) or "linear", len(graph.revs), graph.packs,
              graph.describe()))
