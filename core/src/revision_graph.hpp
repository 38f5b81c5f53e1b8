// The revision graph by index: which revisions each one revises (its
// parents, from down_revision) and which revise it (its children), and the
// traversals that validation, plans and history need. An index is a
// revision's position in map order, which breaks every tie.
//
// Nothing here precomputes ancestor sets: each query walks the edges it
// needs, so building and planning stay linear in the size of the graph.
#ifndef RETORT_REVISION_GRAPH_HPP
#define RETORT_REVISION_GRAPH_HPP

#include <cstddef>
#include <vector>

namespace retort {

// A set of revisions: one flag per index.
using RevisionSet = std::vector<char>;

class RevisionGraph {
 public:
  RevisionGraph() = default;
  // parents[i] lists the indices revision i revises, in declared order. Every
  // index is below parents.size() and none repeats within one list.
  explicit RevisionGraph(std::vector<std::vector<size_t>> parents);

  size_t size() const { return parents_.size(); }
  const std::vector<size_t>& parents(size_t i) const { return parents_[i]; }
  const std::vector<size_t>& children(size_t i) const { return children_[i]; }  // map order
  const std::vector<size_t>& heads() const { return heads_; }  // no children, map order
  const std::vector<size_t>& bases() const { return bases_; }  // no parents, map order

  // The revisions not both reachable from a base and leading to a head, in
  // index order: those on a cycle and those above one. Alembic reports these
  // (all of them when there is no head or no base). Empty for a valid graph.
  std::vector<size_t> cyclic() const;

  // `from` and everything they revise, transitively. Revisions in `stop` are
  // neither included nor walked through.
  RevisionSet ancestors(const std::vector<size_t>& from, const RevisionSet* stop = nullptr) const;
  // `roots` and everything that revises them, transitively, keeping to the
  // revisions in `within`. Exact when `within` is closed under parents
  // (every path from a root up to a member of `within` stays inside it).
  RevisionSet descendants_within(const std::vector<size_t>& roots, const RevisionSet& within) const;

  // The members, children before parents: Alembic's _topological_sort.
  // Starting from `heads` (those that are members, in map order) it drains
  // one line of descent at a time, switching to the first other pending
  // head that still needs a revision before emitting it. Every member must
  // be an ancestor of one of the heads, and the members must be convex: a
  // path between two members passes only through members (true of every
  // upgrade, downgrade and history set).
  std::vector<size_t> topological_order(const RevisionSet& members,
                                        const std::vector<size_t>& heads) const;

 private:
  std::vector<std::vector<size_t>> parents_;
  std::vector<std::vector<size_t>> children_;
  std::vector<size_t> heads_;
  std::vector<size_t> bases_;
};

}  // namespace retort

#endif  // RETORT_REVISION_GRAPH_HPP
