// Revision ids to their indices in map order: one sorted array searched by
// bisection. A map of 10,000 revisions is one allocation instead of 10,000
// tree nodes, and the ids sharing a prefix are neighbours, as Alembic's
// prefix lookup needs.
#ifndef RETORT_KEY_INDEX_HPP
#define RETORT_KEY_INDEX_HPP

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace retort {

class KeyIndex {
 public:
  using Entry = std::pair<std::string, size_t>;  // key, index
  using const_iterator = std::vector<Entry>::const_iterator;

  // Takes `entries`, whose indices differ. When a key is held twice, the
  // index of its later holder; of several such, the lowest: the entry a map
  // filled in index order would first have refused.
  std::optional<size_t> assign(std::vector<Entry> entries) {
    entries_ = std::move(entries);
    std::sort(entries_.begin(), entries_.end());
    std::optional<size_t> repeated;
    for (size_t k = 1; k < entries_.size(); ++k) {
      if (entries_[k].first != entries_[k - 1].first) continue;
      if (!repeated || entries_[k].second < *repeated) repeated = entries_[k].second;
    }
    return repeated;
  }

  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  // The first entry whose key is not less than `key`.
  const_iterator lower_bound(std::string_view key) const {
    return std::lower_bound(
        entries_.begin(), entries_.end(), key,
        [](const Entry& e, std::string_view k) { return std::string_view(e.first) < k; });
  }
  const_iterator find(std::string_view key) const {
    auto it = lower_bound(key);
    return it != entries_.end() && it->first == key ? it : entries_.end();
  }

 private:
  std::vector<Entry> entries_;
};

}  // namespace retort

#endif  // RETORT_KEY_INDEX_HPP
