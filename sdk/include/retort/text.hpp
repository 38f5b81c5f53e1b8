// ASCII text helpers for dialects: case folding, case-insensitive comparison
// and the word test that URL options and bare defaults go through. SQL
// keywords, ODBC keys and URL schemes are ASCII, so none of these looks at
// the bytes of a UTF-8 character (they are never letters here).
#ifndef RETORT_TEXT_HPP
#define RETORT_TEXT_HPP

#include <algorithm>
#include <string>
#include <string_view>

namespace retort {
inline namespace abi1 {

inline char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// `text` with A-Z lowered.
inline std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower_ascii(c);
  return out;
}

// Whether `a` and `b` are the same text but for the case of A-Z.
inline bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return lower_ascii(x) == lower_ascii(y); });
}

// [A-Za-z0-9_]
inline bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// One or more of [A-Za-z0-9_]: a word that needs no quoting or escaping in
// a connection string, a keyword or a bare default.
inline bool is_word(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_word_char);
}

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_TEXT_HPP
