#include "script/revision_file.hpp"

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
  const std::map<std::string, long long> numbers = {
      {"epoch", static_cast<long long>(when)}, {"year", tm.tm_year + 1900}, {"month", tm.tm_mon + 1},
      {"day", tm.tm_mday}, {"hour", tm.tm_hour}, {"minute", tm.tm_min}, {"second", tm.tm_sec}};
  auto bad = [&](const std::string& why) {
    return Error(ErrorCategory::kConfig, fmt::format("bad file_template '{}': {}", file_template, why));
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
    if (i + 1 >= file_template.size() || file_template[i + 1] != '(' || close == std::string::npos) {
      return bad("expected %(key)s");
    }
    std::string key = file_template.substr(i + 2, close - i - 2);
    size_t j = close + 1;
    bool zero = j < file_template.size() && file_template[j] == '0';
    if (zero) ++j;
    size_t width = 0, precision = 0;
    while (j < file_template.size() && std::isdigit(static_cast<unsigned char>(file_template[j]))) {
      width = width * 10 + (file_template[j++] - '0');
    }
    if (j < file_template.size() && file_template[j] == '.') {
      ++j;
      while (j < file_template.size() && std::isdigit(static_cast<unsigned char>(file_template[j]))) {
        precision = precision * 10 + (file_template[j++] - '0');
      }
    }
    if (j >= file_template.size() || (file_template[j] != 's' && file_template[j] != 'd')) {
      return bad(fmt::format("unsupported conversion after %({})", key));
    }
    std::string value;
    if (key == "rev" || key == "slug") {
      value = key == "rev" ? rev : slug;
    } else if (auto it = numbers.find(key); it != numbers.end()) {
      // Python's %.2d pads with zeros to the precision.
      value = fmt::format("{:0{}}", it->second, std::max<size_t>(precision, 1));
    } else {
      return bad(fmt::format("unknown key '{}'", key));
    }
    if (value.size() < width) value.insert(0, width - value.size(), zero ? '0' : ' ');
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

std::string cpp_string_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '?': out += "\\?"; break;  // no trigraphs, whatever the standard
      default: out += c;
    }
  }
  return out + "\"";
}

}  // namespace retort
