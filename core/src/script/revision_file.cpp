#include "script/revision_file.hpp"

#include <retort/shorten.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <random>

namespace retort {

std::string new_revision_id() {
  std::random_device device;
  std::mt19937_64 engine((static_cast<uint64_t>(device()) << 32) ^ device());
  return fmt::format("{:012x}", engine() & 0xffffffffffffULL);
}

Error check_revision_id(const std::string& id) {
  if (id.empty()) return Error(ErrorCategory::kUsage, "a revision id cannot be empty");
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return Error(ErrorCategory::kUsage,
                   fmt::format("revision id '{}' may contain only letters, digits and _", id));
    }
  }
  return Error::success();
}

std::string slugify(const std::string& message, size_t max_length) {
  std::string slug;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!slug.empty()) slug += '_';
    slug += word;
    word.clear();
  };
  for (char c : message) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      flush();
    }
  }
  flush();
  if (slug.size() > max_length) {
    slug.resize(max_length);
    if (auto cut = slug.rfind('_'); cut != std::string::npos) slug.resize(cut);
    slug += '_';
  }
  return slug;
}

Expected<std::string> format_file_template(const std::string& file_template, const std::string& rev,
                                           const std::string& slug, std::time_t when) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  const std::map<std::string, long long> numbers = {{"epoch", static_cast<long long>(when)},
                                                    {"year", tm.tm_year + 1900},
                                                    {"month", tm.tm_mon + 1},
                                                    {"day", tm.tm_mday},
                                                    {"hour", tm.tm_hour},
                                                    {"minute", tm.tm_min},
                                                    {"second", tm.tm_sec}};
  auto bad = [&](const std::string& why, std::string hint = {}) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("bad file_template '{}': {}", shorten(file_template), why),
                 std::move(hint));
  };
  // A width or precision as written, refused past kMaxFileTemplateWidth.
  auto number = [&](size_t& j, const std::string& key, const char* what) -> Expected<size_t> {
    const size_t begin = j;
    size_t value = 0;
    while (j < file_template.size() && std::isdigit(static_cast<unsigned char>(file_template[j]))) {
      if (value <= kMaxFileTemplateWidth) value = value * 10 + (file_template[j] - '0');
      ++j;
    }
    if (value <= kMaxFileTemplateWidth) return value;
    return bad(fmt::format("the {} {} of %({}) is more than {}", what,
                           shorten(std::string_view(file_template).substr(begin, j - begin)),
                           shorten(key), kMaxFileTemplateWidth),
               fmt::format("a file name holds at most {} bytes; write a smaller {}",
                           kMaxFileTemplateWidth, what));
  };

  std::string out;
  for (size_t i = 0; i < file_template.size(); ++i) {
    char c = file_template[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i + 1 < file_template.size() && file_template[i + 1] == '%') {
      out += '%';
      ++i;
      continue;
    }
    // %(key)[0][width][.precision](s|d)
    size_t close = file_template.find(')', i);
    if (i + 1 >= file_template.size() || file_template[i + 1] != '(' ||
        close == std::string::npos) {
      return bad("expected %(key)s");
    }
    std::string key = file_template.substr(i + 2, close - i - 2);
    size_t j = close + 1;
    bool zero = j < file_template.size() && file_template[j] == '0';
    if (zero) ++j;
    auto width = number(j, key, "width");
    if (!width) return width.take_error();
    size_t precision = 0;
    if (j < file_template.size() && file_template[j] == '.') {
      ++j;
      auto digits = number(j, key, "precision");
      if (!digits) return digits.take_error();
      precision = *digits;
    }
    if (j >= file_template.size() || (file_template[j] != 's' && file_template[j] != 'd')) {
      return bad(fmt::format("unsupported conversion after %({})", shorten(key)));
    }
    std::string value;
    if (key == "rev" || key == "slug") {
      value = key == "rev" ? rev : slug;
    } else if (auto it = numbers.find(key); it != numbers.end()) {
      // Python's %.2d pads with zeros to the precision.
      value = fmt::format("{:0{}}", it->second, std::max<size_t>(precision, 1));
    } else {
      return bad(fmt::format("unknown key '{}'", shorten(key)));
    }
    if (value.size() < *width) value.insert(0, *width - value.size(), zero ? '0' : ' ');
    out += value;
    i = j;
  }
  return out;
}

std::string substitute(const std::string& text, const std::map<std::string, std::string>& values) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t close = text.find('}', i);
      if (close != std::string::npos) {
        auto it = values.find(text.substr(i + 2, close - i - 2));
        if (it != values.end()) {
          out += it->second;
          i = close;
          continue;
        }
      }
    }
    out += text[i];
  }
  return out;
}

namespace {

// The length of the well-formed UTF-8 sequence at `text[i]` (a byte 0x80
// or above), or 0: no overlong forms, surrogates, or code points past
// U+10FFFF.
size_t utf8_sequence(const std::string& text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // the second byte's range
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  }
  if (length == 0 || i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) return 0;
  }
  return length;
}

// The escape with a letter of its own for `c`, or nullptr.
const char* simple_escape(char c) {
  switch (c) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    case '?':
      return "\\?";  // no trigraphs, whatever the standard
    default:
      return nullptr;
  }
}

}  // namespace

// No byte of `text` can end the literal or the line: quotes and backslashes
// are escaped, control characters and bytes that are not UTF-8 written as
// three-digit octal escapes (which, unlike \x, stop on their own), '?' so
// that no trigraph forms.
std::string cpp_string_literal(const std::string& text) {
  std::string out = "\"";
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (const char* escape = simple_escape(c)) {
      out += escape;
      continue;
    }
    if (u >= 0x80) {
      if (const size_t length = utf8_sequence(text, i)) {
        out.append(text, i, length);
        i += length - 1;
        continue;
      }
    } else if (u >= 0x20 && u != 0x7f) {
      out += c;
      continue;
    }
    out += fmt::format("\\{:03o}", u);
  }
  return out + "\"";
}

}  // namespace retort
