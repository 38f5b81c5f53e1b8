// Small text helpers that several subsystems use.
#ifndef RETORT_UTIL_TEXT_HPP
#define RETORT_UTIL_TEXT_HPP

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

// `text` as one word of a POSIX shell command: in single quotes, each ' as '\''.
inline std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// `items` separated by ", ", each between two `quote`s:
// join({"a", "b"}) is "a, b", join({"a", "b"}, "'") is "'a', 'b'".
inline std::string join(const std::vector<std::string>& items, std::string_view quote = {}) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out.append(quote).append(item).append(quote);
  }
  return out;
}

// `ids`, sorted.
inline std::vector<std::string> sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace retort

#endif  // RETORT_UTIL_TEXT_HPP
