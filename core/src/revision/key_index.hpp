// Revision ids to their indices in map order: one sorted array, so that the
// ids sharing a prefix are neighbours (Alembic's prefix lookup), and a hash
// table of positions in it for exact lookups, the ones building a map makes
// for every down_revision. A map of 10,000 revisions is two allocations
// instead of 10,000 tree nodes.
#ifndef RETORT_KEY_INDEX_HPP
#define RETORT_KEY_INDEX_HPP

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
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
    // Open addressing, at most half full; a repeated key's first entry is
    // the one found.
    size_t slots = 16;
    while (slots < 2 * entries_.size()) slots *= 2;
    slots_.assign(slots, kEmpty);
    for (size_t k = 0; k < entries_.size(); ++k) {
      size_t at = slot_of(entries_[k].first);
      while (slots_[at] != kEmpty && entries_[slots_[at]].first != entries_[k].first) {
        at = (at + 1) & (slots_.size() - 1);
      }
      if (slots_[at] == kEmpty) slots_[at] = static_cast<uint32_t>(k);
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
    if (slots_.empty()) return entries_.end();
    for (size_t at = slot_of(key);; at = (at + 1) & (slots_.size() - 1)) {
      if (slots_[at] == kEmpty) return entries_.end();
      if (entries_[slots_[at]].first == key) return entries_.begin() + slots_[at];
    }
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  size_t slot_of(std::string_view key) const {
    return std::hash<std::string_view>{}(key) & (slots_.size() - 1);
  }

  std::vector<Entry> entries_;
  std::vector<uint32_t> slots_;  // positions in entries_, or kEmpty
};

}  // namespace retort

#endif  // RETORT_KEY_INDEX_HPP
