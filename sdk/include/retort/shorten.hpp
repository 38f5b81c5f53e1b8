// What an error message may quote of a value: at most a few hundred bytes,
// on one line. Messages quote URLs, ini values, file names and identifiers
// that a user or an attacker controls; a 10 MB value must not make a 10 MB
// error, and a newline inside one must not start a second line.
//
// Quote a secret-bearing value (a URL, an odbc_connect string, an ini value
// of a url key) as shorten(redact(value)): redact first, so that a cut
// cannot leave half a password where redact() no longer recognises it.
#ifndef RETORT_SHORTEN_HPP
#define RETORT_SHORTEN_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace retort {
inline namespace abi1 {

// The most bytes of a value that shorten() keeps, escapes included.
inline constexpr size_t kShortenLimit = 200;

// `value` as a message quotes it: control characters (bytes below 0x20, and
// 0x7f) written as \xNN; cut after at most `limit` bytes, never inside a
// UTF-8 sequence, and then followed by "...". Never fails.
inline std::string shorten(std::string_view value, size_t limit = kShortenLimit) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(value.size() < limit ? value.size() : limit + 3);
  size_t i = 0;
  for (; i < value.size(); ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    const bool control = c < 0x20 || c == 0x7f;
    if (out.size() + (control ? 4 : 1) > limit) break;
    if (!control) {
      out += static_cast<char>(c);
      continue;
    }
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  if (i == value.size()) return out;
  // Back to the start of a UTF-8 sequence cut in two.
  size_t keep = out.size();
  while (keep > 0 && (static_cast<unsigned char>(out[keep - 1]) & 0xc0) == 0x80) --keep;
  if (keep > 0 && static_cast<unsigned char>(out[keep - 1]) >= 0xc0) {
    const auto lead = static_cast<unsigned char>(out[keep - 1]);
    const size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (out.size() - (keep - 1) < length) out.resize(keep - 1);
  }
  out += "...";
  return out;
}

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_SHORTEN_HPP
