#include "util/json_writer.hpp"

#include <fmt/format.h>

#include <cassert>
#include <cmath>
#include <ostream>

namespace retort {

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const auto byte = static_cast<unsigned char>(c);
        // RFC 8259 requires escaping below U+0020; DEL is escaped too, so a
        // terminal never sees it raw. Bytes >= 0x80 are UTF-8: passed through.
        if (byte < 0x20 || byte == 0x7f) {
          out += fmt::format("\\u{:04x}", byte);
        } else {
          out += c;
        }
      }
    }
  }
  out += '"';
  return out;
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;
  if (!first_.back()) *out_ << ',';
  first_.back() = false;
}

JsonWriter& JsonWriter::begin_object() {
  separate();
  *out_ << '{';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  assert(!first_.empty() && !after_key_);
  first_.pop_back();
  *out_ << '}';
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  separate();
  *out_ << '[';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  assert(!first_.empty() && !after_key_);
  first_.pop_back();
  *out_ << ']';
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  assert(!first_.empty() && !after_key_);
  separate();
  *out_ << json_quote(name) << ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view value) {
  separate();
  *out_ << json_quote(value);
  return *this;
}

JsonWriter& JsonWriter::strings(const std::vector<std::string>& values) {
  begin_array();
  for (const std::string& v : values) string(v);
  return end_array();
}

JsonWriter& JsonWriter::boolean(bool value) {
  separate();
  *out_ << (value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::integer(long long value) {
  separate();
  *out_ << value;
  return *this;
}

JsonWriter& JsonWriter::number(double value, int decimals) {
  if (!std::isfinite(value)) return null();
  separate();
  *out_ << fmt::format("{:.{}f}", value, decimals);
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  *out_ << "null";
  return *this;
}

}  // namespace retort
