// The revision graph by index: which revisions each one revises (through
// down_revision and depends_on) and which revise it, and the traversals that
// validation, identifiers, plans and history need. An index is a revision's
// position in map order, which breaks every tie.
//
// Nothing here precomputes ancestor sets: each query walks the edges it
// needs, so building and planning stay linear in the size of the graph.
#ifndef RETORT_REVISION_GRAPH_HPP
#define RETORT_REVISION_GRAPH_HPP

#include <array>
#include <cstddef>
#include <span>
#include <vector>

namespace retort {

// A set of revisions: one flag per index.
using RevisionSet = std::vector<char>;

// The three ways Alembic follows a revision down to the ones it needs.
enum class Edges {
  kVersioned,   // down_revision only: what the version table and "head" see
  kNormalized,  // plus each depends_on that no ancestor already declares
  kAll,         // plus every depends_on
};

using Indices = std::span<const size_t>;

// Edges out of each revision, as rows kept end to end in one array (the
// compressed rows of a sparse matrix): a graph of 10,000 revisions is a few
// allocations, not tens of thousands of small vectors. Built one row at a
// time, in index order.
class Adjacency {
 public:
  size_t size() const { return offsets_.size() - 1; }
  size_t edges() const { return targets_.size(); }
  Indices operator[](size_t i) const {
    return Indices(targets_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }

  void reserve(size_t rows, size_t edges) {
    offsets_.reserve(rows + 1);
    targets_.reserve(edges);
  }
  // Appends `target` to the row being built, unless it holds it already.
  void add(size_t target);
  // The row being built, so far.
  Indices open_row() const {
    return Indices(targets_.data() + offsets_.back(), targets_.size() - offsets_.back());
  }
  void end_row() { offsets_.push_back(targets_.size()); }

  // The edges turned round: row j lists, in increasing order, each i whose
  // row holds j. `rows` is the number of rows of the result.
  Adjacency reversed(size_t rows) const;

 private:
  std::vector<size_t> offsets_{0};
  std::vector<size_t> targets_;
};

class RevisionGraph {
 public:
  RevisionGraph() = default;
  // parents' row i lists the indices revision i revises (its down_revisions)
  // and dependencies' row i those it depends on, each in declared order.
  // Both have a row per revision; every index is below their size, and no
  // row repeats an index or holds its own.
  RevisionGraph(Adjacency parents, Adjacency dependencies);

  size_t size() const { return parents_[0].size(); }
  // Down along `edges`: declared down_revisions first, then dependencies, in
  // declared order, without repeats.
  Indices parents(size_t i, Edges edges = Edges::kVersioned) const {
    return parents_[static_cast<size_t>(edges)][i];
  }
  // Up along `edges`, in map order.
  Indices children(size_t i, Edges edges = Edges::kVersioned) const {
    return children_[static_cast<size_t>(edges)][i];
  }
  Indices dependencies(size_t i) const { return dependencies_[i]; }
  bool has_normalized_dependencies(size_t i) const {
    return parents(i, Edges::kNormalized).size() > parents(i).size();
  }

  const std::vector<size_t>& heads() const { return heads_; }            // no child, map order
  const std::vector<size_t>& real_heads() const { return real_heads_; }  // nor any dependent
  const std::vector<size_t>& bases() const { return bases_; }            // no down_revision
  const std::vector<size_t>& real_bases() const { return real_bases_; }  // nor any depends_on

  // The revisions not both reachable from a base and leading to a head, in
  // index order: those on a cycle and those above one. Alembic reports these
  // (all of them when there is no head or no base). With kVersioned the
  // heads and bases are the versioned ones; with kAll the real ones.
  std::vector<size_t> cyclic(Edges edges) const;

  // One cycle along `edges`, in order: each revision revises or depends on
  // the next, and the last on the first; it starts at its lowest index.
  // Empty when there is none. cyclic() misses a cycle that a base leads
  // into and a head leads out of (x2 depends_on x3, x3 revises x2); this
  // does not. One depth-first walk: linear in the size of the graph.
  std::vector<size_t> find_cycle(Edges edges) const;

  // `from` and everything below (ancestors) or above (descendants) them
  // along `edges`. Revisions in `stop` are neither included nor walked
  // through.
  RevisionSet ancestors(Indices from, Edges edges, const RevisionSet* stop = nullptr) const;
  RevisionSet descendants(Indices from, Edges edges, const RevisionSet* stop = nullptr) const;
  RevisionSet ancestors(const std::vector<size_t>& from, Edges edges,
                        const RevisionSet* stop = nullptr) const {
    return ancestors(Indices(from), edges, stop);
  }
  RevisionSet descendants(const std::vector<size_t>& from, Edges edges,
                          const RevisionSet* stop = nullptr) const {
    return descendants(Indices(from), edges, stop);
  }

  // The members, children before parents, along the normalized edges:
  // Alembic's _topological_sort. Starting from `heads` (those that are
  // members, in map order) it drains one line of descent at a time,
  // switching to the first other pending head that still needs a revision
  // before emitting it. Members no pending head leads to (Alembic fails an
  // assertion there) are started from afterwards, tips first, in map order.
  std::vector<size_t> topological_order(const RevisionSet& members,
                                        const std::vector<size_t>& heads) const;

 private:
  Adjacency normalized_dependencies() const;

  Adjacency dependencies_;
  std::array<Adjacency, 3> parents_;
  std::array<Adjacency, 3> children_;
  std::vector<size_t> heads_;
  std::vector<size_t> real_heads_;
  std::vector<size_t> bases_;
  std::vector<size_t> real_bases_;
};

}  // namespace retort

#endif  // RETORT_REVISION_GRAPH_HPP
