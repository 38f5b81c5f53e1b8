#include "util/field_escape.hpp"

namespace retort {

void append_escaped(std::string& out, std::string_view value, Spaces spaces) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case ' ':
        out += spaces == Spaces::kEscaped ? "\\s" : " ";
        break;
      default:
        out += c;
    }
  }
}

std::optional<std::string> unescaped(std::string_view field) {
  // Most values hold no escape: copied whole, with no byte-by-byte append.
  const size_t first = field.find('\\');
  if (first == std::string_view::npos) return std::string(field);
  std::string out(field.substr(0, first));
  out.reserve(field.size());
  for (size_t i = first; i < field.size(); ++i) {
    if (field[i] != '\\') {
      out += field[i];
      continue;
    }
    if (++i == field.size()) return std::nullopt;
    switch (field[i]) {
      case '\\':
        out += '\\';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 's':
        out += ' ';
        break;
      default:
        return std::nullopt;
    }
  }
  return out;
}

}  // namespace retort
