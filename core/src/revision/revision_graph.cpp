#include "revision/revision_graph.hpp"

#include <algorithm>
#include <utility>

namespace retort {
namespace {

constexpr size_t kNotFound = static_cast<size_t>(-1);

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

std::vector<size_t> joined(const std::vector<size_t>& first, const std::vector<size_t>& second) {
  std::vector<size_t> out = first;
  for (size_t i : second) {
    if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  }
  return out;
}

}  // namespace

RevisionGraph::RevisionGraph(std::vector<std::vector<size_t>> parents,
                             std::vector<std::vector<size_t>> dependencies)
    : dependencies_(std::move(dependencies)) {
  const size_t n = parents.size();
  parents_[static_cast<size_t>(Edges::kVersioned)] = std::move(parents);
  for (auto& children : children_) children.resize(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t p : this->parents(i)) children_[0][p].push_back(i);
  }
  // Normalizing needs the versioned children; the other views need it.
  const std::vector<std::vector<size_t>> normalized = normalized_dependencies();
  auto& normalized_parents = parents_[static_cast<size_t>(Edges::kNormalized)];
  auto& all_parents = parents_[static_cast<size_t>(Edges::kAll)];
  normalized_parents.resize(n);
  all_parents.resize(n);
  for (size_t i = 0; i < n; ++i) {
    normalized_parents[i] = joined(this->parents(i), normalized[i]);
    all_parents[i] = joined(this->parents(i), dependencies_[i]);
    for (size_t edges : {1, 2}) {
      for (size_t p : parents_[edges][i]) children_[edges][p].push_back(i);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (children(i).empty()) heads_.push_back(i);
    if (children(i, Edges::kAll).empty()) real_heads_.push_back(i);
    if (this->parents(i).empty()) bases_.push_back(i);
    if (this->parents(i).empty() && dependencies_[i].empty()) real_bases_.push_back(i);
  }
}

// Alembic's _normalize_depends_on: a revision does not depend on what one of
// its ancestors (through down_revision) already declares. Only a target that
// several revisions declare can be dropped; for each, one walk up from its
// declarers marks the revisions above one of them. Cost: the revisions above
// those declarers, per such target.
std::vector<std::vector<size_t>> RevisionGraph::normalized_dependencies() const {
  const size_t n = size();
  std::vector<std::vector<size_t>> normalized = dependencies_;
  std::vector<std::vector<size_t>> declarers(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t d : dependencies_[i]) declarers[d].push_back(i);
  }
  std::vector<size_t> mark(n, kNotFound);
  std::vector<size_t> todo;
  for (size_t target = 0; target < n; ++target) {
    if (declarers[target].size() < 2) continue;
    for (size_t declarer : declarers[target]) {
      for (size_t c : children(declarer)) {
        if (mark[c] == target) continue;
        mark[c] = target;
        todo.push_back(c);
      }
    }
    while (!todo.empty()) {
      const size_t i = todo.back();
      todo.pop_back();
      for (size_t c : children(i)) {
        if (mark[c] == target) continue;
        mark[c] = target;
        todo.push_back(c);
      }
    }
    for (size_t declarer : declarers[target]) {
      if (mark[declarer] != target) continue;
      auto& deps = normalized[declarer];
      deps.erase(std::remove(deps.begin(), deps.end(), target), deps.end());
    }
  }
  return normalized;
}

std::vector<size_t> RevisionGraph::cyclic(Edges edges) const {
  std::vector<size_t> outside;
  if (size() == 0) return outside;
  const bool real = edges != Edges::kVersioned;
  const std::vector<size_t>& heads = real ? real_heads_ : heads_;
  const std::vector<size_t>& bases = real ? real_bases_ : bases_;
  if (heads.empty() || bases.empty()) {
    for (size_t i = 0; i < size(); ++i) outside.push_back(i);
    return outside;
  }
  const RevisionSet below_heads = ancestors(heads, edges);
  const RevisionSet above_bases = descendants(bases, edges);
  for (size_t i = 0; i < size(); ++i) {
    if (!below_heads[i] || !above_bases[i]) outside.push_back(i);
  }
  return outside;
}

std::vector<size_t> RevisionGraph::find_cycle(Edges edges) const {
  enum State : char { kUnseen, kOnPath, kDone };
  std::vector<char> state(size(), kUnseen);
  // The walk's path: a revision and how many of its parents it has tried.
  std::vector<std::pair<size_t, size_t>> path;
  for (size_t root = 0; root < size(); ++root) {
    if (state[root] != kUnseen) continue;
    state[root] = kOnPath;
    path.emplace_back(root, 0);
    while (!path.empty()) {
      const size_t i = path.back().first;
      const std::vector<size_t>& next = parents(i, edges);
      if (path.back().second == next.size()) {
        state[i] = kDone;
        path.pop_back();
        continue;
      }
      const size_t p = next[path.back().second++];
      if (state[p] == kDone) continue;
      if (state[p] == kUnseen) {
        state[p] = kOnPath;
        path.emplace_back(p, 0);
        continue;
      }
      // Back to a revision on the path: from there to here is a cycle.
      std::vector<size_t> cycle;
      auto from = std::find_if(path.begin(), path.end(),
                               [p](const std::pair<size_t, size_t>& at) { return at.first == p; });
      for (; from != path.end(); ++from) cycle.push_back(from->first);
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      return cycle;
    }
  }
  return {};
}

RevisionSet RevisionGraph::ancestors(const std::vector<size_t>& from, Edges edges,
                                     const RevisionSet* stop) const {
  const auto& next = parents_[static_cast<size_t>(edges)];
  return reach(
      size(), from, stop, [&next](size_t i) -> const auto& { return next[i]; });
}

RevisionSet RevisionGraph::descendants(const std::vector<size_t>& from, Edges edges,
                                       const RevisionSet* stop) const {
  const auto& next = children_[static_cast<size_t>(edges)];
  return reach(
      size(), from, stop, [&next](size_t i) -> const auto& { return next[i]; });
}

}  // namespace retort
