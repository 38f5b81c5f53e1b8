"""Random revision graphs for the Alembic differential test.

A graph is a list of revisions in *load order* (the order the tools read
them: Alembic's map order, retort's pack order), built from a seed so that
the same seed always gives the same graph. Every revision's parents and
dependencies are created before it, so the graph is acyclic by construction;
load order is then a permutation of creation order.
"""

import random
from dataclasses import dataclass, field

# What a graph may contain. "basic" is what retort supported first.
ALL_FEATURES = ("fork", "merge", "multibase", "labels", "depends")
# Also known, not in "all": dependencies that relate a revision's parents to
# each other (Alembic 1.8.1 crashes on some of those graphs).
EXTRA_FEATURES = ("tangled",)
FEATURE_SETS = {
    "linear": (),
    "basic": ("fork", "merge"),
    "all": ALL_FEATURES,
}

# Never used as ids or labels: they are symbols on the command line.
RESERVED = {"head", "heads", "base", "current"}

LABEL_WORDS = (
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
    "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa",
)


@dataclass
class Rev:
    id: str
    down: tuple = ()        # parent ids, in declaration order
    labels: tuple = ()      # declared branch labels
    depends: tuple = ()     # depends_on entries as written: ids or labels
    message: str = ""
    create_date: str = ""


@dataclass
class Graph:
    seed: int
    features: tuple
    revs: list = field(default_factory=list)  # load order
    packs: int = 1                            # retort source files

    def by_id(self):
        return {r.id: r for r in self.revs}

    def children(self):
        out = {r.id: [] for r in self.revs}
        for r in self.revs:
            for d in r.down:
                out[d].append(r.id)
        return out

    def heads(self):
        """Ids without children (through down_revision), in load order."""
        kids = self.children()
        return [r.id for r in self.revs if not kids[r.id]]

    def bases(self):
        return [r.id for r in self.revs if not r.down]

    def ancestors(self, rev_id):
        """Strict ancestors of rev_id through down_revision only."""
        revs = self.by_id()
        seen, todo = set(), list(revs[rev_id].down)
        while todo:
            r = todo.pop()
            if r not in seen:
                seen.add(r)
                todo.extend(revs[r].down)
        return seen

    def full_ancestors(self):
        """Per revision, its strict ancestors through down_revision and depends_on."""
        revs = self.by_id()
        out = {}
        for rid in revs:
            seen, todo = set(), list(revs[rid].down) + [self.resolve(d) for d in revs[rid].depends]
            while todo:
                r = todo.pop()
                if r not in seen:
                    seen.add(r)
                    todo.extend(revs[r].down)
                    todo.extend(self.resolve(d) for d in revs[r].depends)
            out[rid] = seen
        return out

    def resolve(self, ident):
        """The revision a depends_on entry (an id or a declared label) names."""
        for r in self.revs:
            if ident == r.id or ident in r.labels:
                return r.id
        raise KeyError(ident)

    def normalized_downs(self):
        """Per revision: its parents, then the dependencies that no strict
        ancestor (through down_revision) also declares, as Alembic's
        _normalized_down_revisions."""
        declared = {r.id: {self.resolve(d) for d in r.depends} for r in self.revs}
        out = {}
        for r in self.revs:
            by_ancestors = set().union(*(declared[a] for a in self.ancestors(r.id)))
            deps = [self.resolve(d) for d in r.depends]
            out[r.id] = tuple(dict.fromkeys(list(r.down) + [d for d in deps if d not in by_ancestors]))
        return out

    def describe(self):
        """One line per revision, for reports."""
        lines = []
        for r in self.revs:
            text = "%s <- %s" % (r.id, ", ".join(r.down) if r.down else "()")
            if r.labels:
                text += " {%s}" % ", ".join(r.labels)
            if r.depends:
                text += " [dep: %s]" % ", ".join(r.depends)
            lines.append(text)
        return "\n".join(lines)


class _Builder:
    def __init__(self, seed, features, max_revs):
        self.rng = random.Random(seed)
        self.features = set(features)
        self.max_revs = max_revs
        self.used = set(RESERVED)
        self.order = []     # creation order
        self.revs = {}
        self.anc = {}       # id -> strict ancestors (down_revision only)
        self.kids = {}
        self.id_style = self.rng.choice(("hex", "short"))

    def new_id(self):
        rng = self.rng
        while True:
            if self.id_style == "hex":
                rid = "%012x" % rng.getrandbits(48)
                if rid.isdigit():
                    continue
            else:
                # Short readable ids over a small alphabet, so that one id is
                # sometimes a prefix of another.
                rid = "".join(rng.choice("abcdef") for _ in range(rng.randint(4, 6)))
            if rid not in self.used:
                self.used.add(rid)
                return rid

    def related(self, a, b):
        return a == b or a in self.anc[b] or b in self.anc[a]

    def heads(self):
        return [r for r in self.order if not self.kids[r]]

    def add(self, down):
        rid = self.new_id()
        n = len(self.order)
        rev = Rev(rid, tuple(down), message="step %d" % n,
                  create_date="2024-03-%02d %02d:%02d:00" % (1 + n // 24, n % 24, (7 * n) % 60))
        self.order.append(rid)
        self.revs[rid] = rev
        self.kids[rid] = []
        anc = set()
        for d in down:
            anc |= self.anc[d] | {d}
            self.kids[d].append(rid)
        self.anc[rid] = anc

    def pick_parents_for_merge(self):
        rng = self.rng
        pool = self.heads() if rng.random() < 0.75 or "fork" not in self.features else list(self.order)
        rng.shuffle(pool)
        want = 3 if rng.random() < 0.3 else 2
        chosen = []
        for cand in pool:
            if all(not self.related(cand, c) for c in chosen):
                chosen.append(cand)
            if len(chosen) == want:
                break
        return chosen if len(chosen) >= 2 else None

    def build_structure(self):
        rng = self.rng
        n = rng.randint(4, self.max_revs)
        max_bases = rng.randint(2, 3) if "multibase" in self.features else 1
        bases = 0
        p_fork = 0.3 if "fork" in self.features else 0.0
        p_merge = 0.25 if "merge" in self.features else 0.0
        while len(self.order) < n:
            if not self.order or (bases < max_bases and rng.random() < 0.15):
                self.add(())
                bases += 1
                continue
            if rng.random() < p_merge:
                parents = self.pick_parents_for_merge()
                if parents:
                    self.add(parents)
                    continue
            if rng.random() < p_fork:
                parent = rng.choice(self.order)
            else:
                parent = rng.choice(self.heads())
            self.add((parent,))

    def add_labels(self):
        rng = self.rng
        words = [w for w in LABEL_WORDS if w not in self.used]
        rng.shuffle(words)
        for rid in self.order:
            if not words or rng.random() >= 0.2:
                continue
            count = 2 if rng.random() < 0.15 and len(words) >= 2 else 1
            labels = tuple(words.pop() for _ in range(count))
            self.used.update(labels)
            self.revs[rid].labels = labels

    def full_ancestors(self):
        """Strict ancestors of every revision through down_revision and depends_on."""
        out = {}
        for rid in self.order:  # creation order: parents and targets come first
            rev = self.revs[rid]
            anc = set()
            for p in rev.down + tuple(self.resolve(d) for d in rev.depends):
                anc |= out[p] | {p}
            out[rid] = anc
        return out

    def resolve(self, ident):
        for r in self.revs.values():
            if ident == r.id or ident in r.labels:
                return r.id
        raise KeyError(ident)

    def untangled(self):
        """Whether no revision's parents and normalised dependencies (those no
        ancestor declares too, as Alembic normalises them) are related to each
        other through down_revision and depends_on together. Alembic 1.8.1 can
        crash (KeyError in HeadMaintainer) on graphs where they are."""
        anc = self.full_ancestors()
        for rid in self.order:
            rev = self.revs[rid]
            by_ancestors = set()
            for a in self.anc[rid]:
                by_ancestors |= {self.resolve(d) for d in self.revs[a].depends}
            ups = list(rev.down) + [d for d in (self.resolve(d) for d in rev.depends)
                                    if d not in by_ancestors]
            for i, a in enumerate(ups):
                for b in ups[i + 1:]:
                    if a == b or a in anc[b] or b in anc[a]:
                        return False
        return True

    def add_depends(self):
        rng = self.rng
        budget = rng.randint(1, 4)
        for i, rid in enumerate(self.order):
            if budget == 0 or rng.random() >= 0.2:
                continue
            # Only earlier revisions, so no cycles; and, unless tangled, only
            # ones on another line (not implied by down_revision).
            cands = [c for c in self.order[:i]
                     if "tangled" in self.features or not self.related(c, rid)]
            if not cands:
                continue
            targets = rng.sample(cands, min(len(cands), 2 if rng.random() < 0.25 else 1))
            written = []
            for t in targets:
                labels = self.revs[t].labels
                written.append(labels[0] if labels and rng.random() < 0.5 else t)
            self.revs[rid].depends = tuple(written)
            if "tangled" not in self.features and not self.untangled():
                self.revs[rid].depends = ()
                continue
            budget -= 1


def generate(seed, features=ALL_FEATURES, max_revs=24):
    """The graph for `seed`, using only the given features."""
    b = _Builder(seed, features, max_revs)
    b.build_structure()
    if "labels" in b.features:
        b.add_labels()
    if "depends" in b.features:
        b.add_depends()
    # Load order: creation order, by id (as files named <rev>_*.py sort), or shuffled.
    order = list(b.order)
    style = b.rng.choice(("creation", "sorted", "shuffled"))
    if style == "sorted":
        order.sort()
    elif style == "shuffled":
        b.rng.shuffle(order)
    graph = Graph(seed, tuple(sorted(b.features)), [b.revs[r] for r in order])
    # Mostly one pack: each costs a compiler run.
    graph.packs = min(len(order), b.rng.choices((1, 2, 3), weights=(55, 30, 15))[0])
    return graph


def parse_features(text):
    """'all', 'basic,labels', 'fork,merge', ... as a tuple of features."""
    feats = []
    for f in (f.strip() for f in text.split(",")):
        for g in FEATURE_SETS.get(f, (f,) if f else ()):
            if g not in feats:
                feats.append(g)
    feats = tuple(feats)
    unknown = [f for f in feats if f not in ALL_FEATURES + EXTRA_FEATURES]
    if unknown:
        raise ValueError("unknown feature(s) %s; known: %s, or one of %s"
                         % (", ".join(unknown), ", ".join(ALL_FEATURES + EXTRA_FEATURES),
                            ", ".join(FEATURE_SETS)))
    return feats
