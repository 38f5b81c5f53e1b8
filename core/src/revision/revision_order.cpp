// Alembic's _topological_sort, without its cost. Alembic keeps a list of
// pending heads and, per head, the full set of its ancestors (recomputed at
// every merge point and dependency); before emitting a candidate it looks
// for another head whose set holds it. Here "does another pending head
// still need this candidate" is a counter, and only when the answer is yes
// do we look for which head: the first in list order that lies above it.
// Two searches run in step and the first to finish answers: one down from
// each head in list order, one up from the candidate. A search down stops
// at the first head that leads to the candidate, one up must see every head
// above it; so each costs at most twice the cheaper of the two.
#include "revision/revision_graph.hpp"

#include <algorithm>

namespace retort {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);
constexpr Edges kDown = Edges::kNormalized;

// The deepest head per run of slots, to find the next slot whose head is
// deeper than a candidate without stepping over the shallower ones.
class DepthTree {
 public:
  void set(size_t slot, long long depth) {
    if (slot >= size_) grow(slot + 1);
    size_t at = slot + size_;
    tree_[at] = depth;
    for (at /= 2; at > 0; at /= 2) tree_[at] = std::max(tree_[2 * at], tree_[2 * at + 1]);
  }
  // The first slot at or after `from` holding a depth above `depth`.
  size_t first_above(size_t from, long long depth) const {
    return from >= size_ ? kNone : search(1, 0, size_, from, depth);
  }

 private:
  size_t search(size_t node, size_t begin, size_t end, size_t from, long long depth) const {
    if (end <= from || tree_[node] <= depth) return kNone;
    if (end - begin == 1) return begin;
    const size_t middle = begin + (end - begin) / 2;
    const size_t left = search(2 * node, begin, middle, from, depth);
    return left != kNone ? left : search(2 * node + 1, middle, end, from, depth);
  }
  void grow(size_t needed) {
    size_t size = std::max<size_t>(size_, 16);
    while (size < needed) size *= 2;
    std::vector<long long> tree(2 * size, -1);
    for (size_t i = 0; i < size_; ++i) tree[size + i] = tree_[size_ + i];
    for (size_t at = size - 1; at > 0; --at) tree[at] = std::max(tree[2 * at], tree[2 * at + 1]);
    tree_ = std::move(tree);
    size_ = size;
  }

  size_t size_ = 0;
  std::vector<long long> tree_;
};

class Sorter {
 public:
  Sorter(const RevisionGraph& graph, const RevisionSet& members);
  std::vector<size_t> run(const std::vector<size_t>& heads);

 private:
  // The pending heads, in Alembic's list order. A slot keeps its place when
  // its head is replaced by a parent and new slots go at the end, so slot
  // numbers grow along the list: "first in list order" is the least slot.
  size_t append(size_t node);
  size_t erase(size_t slot);  // returns the slot Alembic moves to (idx - 1, or 0)
  void drain();
  void retire(size_t node);
  size_t blocker(size_t candidate, size_t at);

  const RevisionGraph& graph_;
  const RevisionSet& members_;
  size_t member_count_ = 0;
  RevisionSet span_;                   // members and what lies between them
  std::vector<size_t> live_children_;  // span children with a pending member at or above
  std::vector<size_t> depth_;          // longest path up from the bottom of the span
  RevisionSet emitted_;
  std::vector<size_t> order_;

  std::vector<size_t> slot_node_;
  std::vector<size_t> slot_prev_;
  std::vector<size_t> slot_next_;
  std::vector<size_t> slot_of_;  // per node: its slot while it is a pending head
  DepthTree slot_depth_;
  size_t first_ = kNone;
  size_t last_ = kNone;

  // Scratch for blocker(): visit marks per search, and the two stacks.
  std::vector<size_t> down_mark_;
  std::vector<size_t> up_mark_;
  size_t search_ = 0;
  std::vector<size_t> down_stack_;
  std::vector<size_t> up_stack_;
};

Sorter::Sorter(const RevisionGraph& graph, const RevisionSet& members)
    : graph_(graph), members_(members) {
  const size_t n = graph.size();
  std::vector<size_t> member_list;
  for (size_t i = 0; i < n; ++i) {
    if (members[i]) member_list.push_back(i);
  }
  member_count_ = member_list.size();
  // A head needs a candidate when a path leads down from one to the other;
  // such a path stays in the span. A span revision is live while a pending
  // member lies at or above it: a candidate with a live child is needed.
  const RevisionSet above = graph.descendants(member_list, kDown);
  span_ = graph.ancestors(member_list, kDown);
  for (size_t i = 0; i < n; ++i) span_[i] = span_[i] && above[i];
  live_children_.assign(n, 0);
  std::vector<size_t> unplaced_parents(n, 0);
  std::vector<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    if (!span_[i]) continue;
    for (size_t c : graph.children(i, kDown)) live_children_[i] += span_[c] ? 1 : 0;
    for (size_t p : graph.parents(i, kDown)) unplaced_parents[i] += span_[p] ? 1 : 0;
    if (unplaced_parents[i] == 0) ready.push_back(i);
  }
  // Nothing at or below a candidate's depth can lie above it.
  depth_.assign(n, 0);
  while (!ready.empty()) {
    const size_t i = ready.back();
    ready.pop_back();
    for (size_t c : graph.children(i, kDown)) {
      if (!span_[c]) continue;
      depth_[c] = std::max(depth_[c], depth_[i] + 1);
      if (--unplaced_parents[c] == 0) ready.push_back(c);
    }
  }
  emitted_.assign(n, 0);
  slot_of_.assign(n, kNone);
  down_mark_.assign(n, 0);
  up_mark_.assign(n, 0);
  order_.reserve(member_count_);
}

size_t Sorter::append(size_t node) {
  const size_t slot = slot_node_.size();
  slot_node_.push_back(node);
  slot_prev_.push_back(last_);
  slot_next_.push_back(kNone);
  if (last_ != kNone) slot_next_[last_] = slot;
  if (first_ == kNone) first_ = slot;
  last_ = slot;
  slot_of_[node] = slot;
  slot_depth_.set(slot, static_cast<long long>(depth_[node]));
  return slot;
}

size_t Sorter::erase(size_t slot) {
  const size_t prev = slot_prev_[slot];
  const size_t next = slot_next_[slot];
  (prev != kNone ? slot_next_[prev] : first_) = next;
  (next != kNone ? slot_prev_[next] : last_) = prev;
  slot_of_[slot_node_[slot]] = kNone;
  slot_depth_.set(slot, -1);
  return prev != kNone ? prev : first_;
}

// `node` is emitted: what no longer leads to a pending member dies.
void Sorter::retire(size_t node) {
  std::vector<size_t>& stack = down_stack_;
  stack.assign(1, node);
  while (!stack.empty()) {
    const size_t at = stack.back();
    stack.pop_back();
    for (size_t p : graph_.parents(at, kDown)) {
      if (!span_[p] || --live_children_[p] > 0 || members_[p]) continue;
      stack.push_back(p);
    }
  }
}

// The first slot other than `at` whose head lies above `candidate`, or
// kNone. The search down walks from each head in list order through live
// revisions deeper than the candidate; the search up walks through the
// candidate's live descendants, keeping the least slot it meets.
size_t Sorter::blocker(size_t candidate, size_t at) {
  const size_t search = ++search_;
  auto live = [this](size_t i) {
    return span_[i] && (members_[i] ? !emitted_[i] : live_children_[i] > 0);
  };
  auto leads_down = [&](size_t i) {
    return live(i) && down_mark_[i] != search && (i == candidate || depth_[i] > depth_[candidate]);
  };
  down_stack_.clear();
  up_stack_.assign(1, candidate);
  up_mark_[candidate] = search;
  const long long floor = static_cast<long long>(depth_[candidate]);
  size_t from = 0;         // the search down tries the slots from here on
  size_t walking = kNone;  // the slot whose head the search down is under
  bool down_done = false;
  size_t least = kNone;
  while (true) {
    if (!down_done && down_stack_.empty()) {
      // The next head in list order deep enough to lead to the candidate.
      const size_t slot = slot_depth_.first_above(from, floor);
      if (slot == kNone) {
        down_done = true;
      } else {
        from = slot + 1;
        if (slot != at && leads_down(slot_node_[slot])) {
          down_mark_[slot_node_[slot]] = search;
          down_stack_.push_back(slot_node_[slot]);
          walking = slot;
        }
      }
    } else if (!down_done) {
      const size_t i = down_stack_.back();
      down_stack_.pop_back();
      if (i == candidate) return walking;
      for (size_t p : graph_.parents(i, kDown)) {
        if (!leads_down(p)) continue;
        down_mark_[p] = search;
        down_stack_.push_back(p);
      }
    }

    if (up_stack_.empty()) return least;
    const size_t i = up_stack_.back();
    up_stack_.pop_back();
    for (size_t c : graph_.children(i, kDown)) {
      if (!live(c) || up_mark_[c] == search) continue;
      up_mark_[c] = search;
      if (slot_of_[c] != kNone) least = std::min(least, slot_of_[c]);
      up_stack_.push_back(c);
    }
  }
}

void Sorter::drain() {
  size_t at = first_;
  while (at != kNone) {
    const size_t candidate = slot_node_[at];
    if (live_children_[candidate] > 0) {
      const size_t other = blocker(candidate, at);
      if (other != kNone) {
        at = other;
        continue;
      }
      // Needed only by members no pending head leads to: set it aside
      // until one of them is emitted and lists it again.
      at = erase(at);
      continue;
    }
    emitted_[candidate] = 1;
    order_.push_back(candidate);
    retire(candidate);

    bool replaced = false;
    for (size_t p : graph_.parents(candidate, kDown)) {
      if (!members_[p] || emitted_[p] || slot_of_[p] != kNone) continue;
      if (replaced) {
        append(p);
        continue;
      }
      slot_of_[candidate] = kNone;
      slot_node_[at] = p;
      slot_of_[p] = at;
      slot_depth_.set(at, static_cast<long long>(depth_[p]));
      replaced = true;
    }
    if (!replaced) at = erase(at);
  }
}

std::vector<size_t> Sorter::run(const std::vector<size_t>& heads) {
  std::vector<size_t> start;
  for (size_t h : heads) {
    if (members_[h]) start.push_back(h);
  }
  std::sort(start.begin(), start.end());
  start.erase(std::unique(start.begin(), start.end()), start.end());
  for (size_t h : start) append(h);
  drain();
  // Alembic fails an assertion when members remain that no head led to;
  // we go on from their tips, in map order.
  while (order_.size() < member_count_) {
    for (size_t i = 0; i < members_.size(); ++i) {
      if (members_[i] && !emitted_[i] && slot_of_[i] == kNone && live_children_[i] == 0) {
        append(i);
      }
    }
    if (first_ == kNone) break;  // unreachable: the deepest pending member is a tip
    drain();
  }
  return std::move(order_);
}

}  // namespace

std::vector<size_t> RevisionGraph::topological_order(const RevisionSet& members,
                                                     const std::vector<size_t>& heads) const {
  Sorter sorter(*this, members);
  return sorter.run(heads);
}

}  // namespace retort
