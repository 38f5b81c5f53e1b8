#include "revision_graph.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace retort {
namespace {

// Marks everything reachable from `from` along `next`, skipping `stop`.
template <typename Next>
RevisionSet reach(size_t size, const std::vector<size_t>& from, const RevisionSet* stop,
                  Next next) {
  RevisionSet seen(size, 0);
  std::vector<size_t> todo;
  for (size_t i : from) {
    if (seen[i] || (stop && (*stop)[i])) continue;
    seen[i] = 1;
    todo.push_back(i);
  }
  while (!todo.empty()) {
    const size_t i = todo.back();
    todo.pop_back();
    for (size_t j : next(i)) {
      if (seen[j] || (stop && (*stop)[j])) continue;
      seen[j] = 1;
      todo.push_back(j);
    }
  }
  return seen;
}

}  // namespace

RevisionGraph::RevisionGraph(std::vector<std::vector<size_t>> parents)
    : parents_(std::move(parents)), children_(parents_.size()) {
  for (size_t i = 0; i < parents_.size(); ++i) {
    if (parents_[i].empty()) bases_.push_back(i);
    for (size_t p : parents_[i]) children_[p].push_back(i);
  }
  for (size_t i = 0; i < children_.size(); ++i) {
    if (children_[i].empty()) heads_.push_back(i);
  }
}

std::vector<size_t> RevisionGraph::cyclic() const {
  std::vector<size_t> outside;
  if (size() == 0) return outside;
  if (heads_.empty() || bases_.empty()) {
    for (size_t i = 0; i < size(); ++i) outside.push_back(i);
    return outside;
  }
  const RevisionSet below_heads = ancestors(heads_);
  const RevisionSet above_bases = reach(
      size(), bases_, nullptr, [this](size_t i) -> const auto& { return children_[i]; });
  for (size_t i = 0; i < size(); ++i) {
    if (!below_heads[i] || !above_bases[i]) outside.push_back(i);
  }
  return outside;
}

RevisionSet RevisionGraph::ancestors(const std::vector<size_t>& from,
                                     const RevisionSet* stop) const {
  return reach(
      size(), from, stop, [this](size_t i) -> const auto& { return parents_[i]; });
}

RevisionSet RevisionGraph::descendants_within(const std::vector<size_t>& roots,
                                              const RevisionSet& within) const {
  RevisionSet outside(size(), 0);
  for (size_t i = 0; i < size(); ++i) outside[i] = !within[i];
  return reach(
      size(), roots, &outside, [this](size_t i) -> const auto& { return children_[i]; });
}

// Alembic keeps, per pending head, the full set of its ancestors, and
// before emitting a candidate looks for another head whose set holds it.
// With convex members covered by the heads, "another head needs it" is the
// same as "one of its member children is not emitted yet", which a counter
// answers. Only when it is blocked do we look for the head to switch to:
// the first in list order that lies above it, found by walking down from
// each pending head in turn through pending members deeper than the
// candidate (nothing shallower can lead to it), never twice through one.
std::vector<size_t> RevisionGraph::topological_order(const RevisionSet& members,
                                                     const std::vector<size_t>& heads) const {
  const size_t n = size();
  std::vector<size_t> pending_children(n, 0);
  std::vector<size_t> pending_parents(n, 0);
  std::vector<size_t> ready;
  size_t todo = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!members[i]) continue;
    ++todo;
    for (size_t c : children_[i]) pending_children[i] += members[c] ? 1 : 0;
    for (size_t p : parents_[i]) pending_parents[i] += members[p] ? 1 : 0;
    if (pending_parents[i] == 0) ready.push_back(i);
  }
  // The longest path up from a member with no member parent.
  std::vector<size_t> depth(n, 0);
  while (!ready.empty()) {
    const size_t i = ready.back();
    ready.pop_back();
    for (size_t c : children_[i]) {
      if (!members[c]) continue;
      depth[c] = std::max(depth[c], depth[i] + 1);
      if (--pending_parents[c] == 0) ready.push_back(c);
    }
  }

  std::vector<size_t> current;
  for (size_t h : heads) {
    if (members[h]) current.push_back(h);
  }
  std::sort(current.begin(), current.end());
  current.erase(std::unique(current.begin(), current.end()), current.end());

  RevisionSet listed(n, 0);
  RevisionSet emitted(n, 0);
  for (size_t h : current) listed[h] = 1;
  std::vector<size_t> visit_mark(n, 0);
  size_t visit = 0;
  std::vector<size_t> stack;

  // The first position other than `at` whose head lies above `candidate`.
  auto blocking_position = [&](size_t candidate, size_t at) {
    ++visit;
    auto leads_to_candidate = [&](size_t i) {
      return members[i] && !emitted[i] && visit_mark[i] != visit &&
             (i == candidate || depth[i] > depth[candidate]);
    };
    for (size_t j = 0; j < current.size(); ++j) {
      if (j == at || !leads_to_candidate(current[j])) continue;
      visit_mark[current[j]] = visit;
      stack.assign(1, current[j]);
      while (!stack.empty()) {
        const size_t i = stack.back();
        stack.pop_back();
        if (i == candidate) return j;
        for (size_t p : parents_[i]) {
          if (!leads_to_candidate(p)) continue;
          visit_mark[p] = visit;
          stack.push_back(p);
        }
      }
    }
    assert(false && "a pending child with no pending head above it");
    return at;
  };

  std::vector<size_t> order;
  order.reserve(todo);
  size_t at = 0;
  while (!current.empty()) {
    const size_t candidate = current[at];
    if (pending_children[candidate] > 0) {
      const size_t other = blocking_position(candidate, at);
      if (other != at) {
        at = other;
        continue;
      }
    }
    emitted[candidate] = 1;
    order.push_back(candidate);

    bool replaced = false;
    for (size_t p : parents_[candidate]) {
      if (!members[p]) continue;
      --pending_children[p];
      if (emitted[p] || listed[p]) continue;
      listed[p] = 1;
      if (replaced) {
        current.push_back(p);
      } else {
        current[at] = p;
        replaced = true;
      }
    }
    if (!replaced) {
      current.erase(current.begin() + static_cast<std::ptrdiff_t>(at));
      at = at > 0 ? at - 1 : 0;
    }
  }
  assert(order.size() == todo && "members not covered by the heads");
  return order;
}

}  // namespace retort
