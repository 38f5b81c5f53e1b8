// What the fuzz targets share: checks that stop the run (libFuzzer then saves
// the input as a crash), and the checks every message quoting a user's input
// must pass: one line, a bounded length, and no password.
//
// The password check works with a planted secret: a target that finds
// kSecret exactly once in its input, where a password goes (a URL's user
// info, or a PWD= or Password= attribute), asserts that nothing it may print
// holds kSecret. "Exactly once" counts the input as written and with its
// %XX escapes decoded once and twice, so that no other part of the input can
// spell the secret after decoding.
#ifndef RETORT_FUZZ_SUPPORT_HPP
#define RETORT_FUZZ_SUPPORT_HPP

#include <retort/shorten.hpp>
#include <retort/url.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace retort_fuzz {

// Errors quote at most a few values of kShortenLimit bytes each; this leaves
// room for the words around them and a file path.
inline constexpr size_t kMaxMessage = 2048;

// The password the targets look for in what they print.
inline constexpr std::string_view kSecret = "Sekr1tPw";

// Ends the run: prints what failed and the offending text (escaped and cut),
// then aborts, so that libFuzzer saves the input.
[[noreturn]] inline void fail(std::string_view what, std::string_view text = {}) {
  std::fprintf(stderr, "\n==fuzz check failed: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!text.empty()) {
    const std::string shown = retort::shorten(text, 600);
    std::fprintf(stderr, "  text (%zu bytes): %s\n", text.size(), shown.c_str());
  }
  std::abort();
}

inline void check(bool ok, std::string_view what, std::string_view text = {}) {
  if (!ok) fail(what, text);
}

// An error message or hint: one line of at most kMaxMessage bytes.
inline void check_message(std::string_view message, std::string_view where) {
  check(message.find_first_of("\r\n") == std::string_view::npos,
        std::string(where) + ": a message spans several lines", message);
  check(message.size() <= kMaxMessage,
        std::string(where) + ": a message is longer than " + std::to_string(kMaxMessage) + " bytes",
        message);
}

// What shorten() promises: at most `limit` bytes and "...", no control
// character.
inline void check_shortened(std::string_view text, size_t limit, std::string_view where) {
  check(text.size() <= limit + 3, std::string(where) + ": shortened text is too long", text);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    check(u >= 0x20 && u != 0x7f, std::string(where) + ": shortened text holds a control byte",
          text);
  }
}

// `text` with each %XX that decodes replaced by its byte; others kept.
inline std::string lenient_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const int hi =
        text[i] == '%' && i + 2 < text.size() ? retort::detail::hex_digit(text[i + 1]) : -1;
    const int lo = hi >= 0 ? retort::detail::hex_digit(text[i + 2]) : -1;
    if (lo < 0) {
      out += text[i];
      continue;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

inline size_t count(std::string_view text, std::string_view word) {
  size_t n = 0;
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    ++n;
  }
  return n;
}

// kSecret appears once in `text`, and decoding makes no other.
inline bool holds_secret_once(std::string_view text) {
  if (count(text, kSecret) != 1) return false;
  const std::string once = lenient_decode(text);
  return count(once, kSecret) == 1 && count(lenient_decode(once), kSecret) == 1;
}

// Whether the one kSecret of `url` is a password that redact() hides:
// inside the user info's password, or the whole start of the value of a PWD=
// or Password= attribute (written plain or %-encoded, where redact() sees an
// attribute start: after ; & ? = { a blank, or their %-encoding).
inline bool secret_is_password(std::string_view url) {
  const size_t at = url.find(kSecret);
  if (at == std::string_view::npos) return false;
  if (const auto password = retort::find_password(url)) {
    const size_t begin = static_cast<size_t>(password->data() - url.data());
    if (at >= begin && at + kSecret.size() <= begin + password->size()) return true;
  }
  using retort::detail::has_at;
  for (std::string_view key : {"pwd=", "password=", "pwd%3d", "password%3d"}) {
    if (at < key.size() || !has_at(url, at - key.size(), key)) continue;
    const size_t k = at - key.size();
    if (k == 0 || std::string_view(";&?={ \t").find(url[k - 1]) != std::string_view::npos) {
      return true;
    }
    if (k >= 3 &&
        (has_at(url, k - 3, "%3b") || has_at(url, k - 3, "%26") || has_at(url, k - 3, "%20"))) {
      return true;
    }
  }
  return false;
}

// Fails when `shown`, which may be printed, holds the planted password.
inline void check_no_secret(std::string_view shown, std::string_view where) {
  check(shown.find(kSecret) == std::string_view::npos,
        std::string(where) + ": the password is shown", shown);
}

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace retort_fuzz

#endif  // RETORT_FUZZ_SUPPORT_HPP
