#include "revision/revision_graph.hpp"

#include <algorithm>
#include <utility>

namespace retort {
namespace {

constexpr size_t kNotFound = static_cast<size_t>(-1);

// Marks everything reachable from `from` along `next`, skipping `stop`.
template <typename Next>
RevisionSet reach(size_t size, Indices from, const RevisionSet* stop, Next next) {
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

constexpr size_t kVersioned = static_cast<size_t>(Edges::kVersioned);
constexpr size_t kNormalized = static_cast<size_t>(Edges::kNormalized);
constexpr size_t kAll = static_cast<size_t>(Edges::kAll);

// Each row of `first` followed by what the same row of `second` adds.
Adjacency joined(const Adjacency& first, const Adjacency& second) {
  Adjacency out;
  out.reserve(first.size(), first.edges() + second.edges());
  for (size_t i = 0; i < first.size(); ++i) {
    for (size_t j : first[i]) out.add(j);
    for (size_t j : second[i]) out.add(j);
    out.end_row();
  }
  return out;
}

}  // namespace

void Adjacency::add(size_t target) {
  const Indices row = open_row();
  if (std::find(row.begin(), row.end(), target) == row.end()) targets_.push_back(target);
}

Adjacency Adjacency::reversed(size_t rows) const {
  Adjacency out;
  out.offsets_.assign(rows + 1, 0);
  for (size_t j : targets_) ++out.offsets_[j + 1];
  for (size_t j = 0; j < rows; ++j) out.offsets_[j + 1] += out.offsets_[j];
  out.targets_.resize(targets_.size());
  std::vector<size_t> next(out.offsets_.begin(), out.offsets_.end() - 1);
  for (size_t i = 0; i < size(); ++i) {
    for (size_t j : (*this)[i]) out.targets_[next[j]++] = i;
  }
  return out;
}

RevisionGraph::RevisionGraph(Adjacency parents, Adjacency dependencies)
    : dependencies_(std::move(dependencies)) {
  const size_t n = parents.size();
  parents_[kVersioned] = std::move(parents);
  children_[kVersioned] = parents_[kVersioned].reversed(n);
  // Normalizing needs the versioned children; the other views need it.
  parents_[kNormalized] = joined(parents_[kVersioned], normalized_dependencies());
  parents_[kAll] = joined(parents_[kVersioned], dependencies_);
  children_[kNormalized] = parents_[kNormalized].reversed(n);
  children_[kAll] = parents_[kAll].reversed(n);
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
Adjacency RevisionGraph::normalized_dependencies() const {
  const size_t n = size();
  const Adjacency declarers = dependencies_.reversed(n);
  std::vector<std::pair<size_t, size_t>> dropped;  // (declarer, target)
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
      if (mark[declarer] == target) dropped.emplace_back(declarer, target);
    }
  }
  if (dropped.empty()) return dependencies_;
  std::sort(dropped.begin(), dropped.end());
  Adjacency normalized;
  normalized.reserve(n, dependencies_.edges() - dropped.size());
  for (size_t i = 0; i < n; ++i) {
    for (size_t d : dependencies_[i]) {
      if (!std::binary_search(dropped.begin(), dropped.end(), std::pair(i, d))) normalized.add(d);
    }
    normalized.end_row();
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
      const Indices next = parents(i, edges);
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

RevisionSet RevisionGraph::ancestors(Indices from, Edges edges, const RevisionSet* stop) const {
  const Adjacency& next = parents_[static_cast<size_t>(edges)];
  return reach(size(), from, stop, [&next](size_t i) { return next[i]; });
}

RevisionSet RevisionGraph::descendants(Indices from, Edges edges, const RevisionSet* stop) const {
  const Adjacency& next = children_[static_cast<size_t>(edges)];
  return reach(size(), from, stop, [&next](size_t i) { return next[i]; });
}

}  // namespace retort
