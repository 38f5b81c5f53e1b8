// Reads an ini file the way Python's ConfigParser does (the format Alembic
// users know), and serves the values from what it parsed. Values are
// returned raw: %(...)s interpolation is the caller's business.
#ifndef RETORT_INI_FILE_HPP
#define RETORT_INI_FILE_HPP

#include <map>
#include <retort/error.hpp>
#include <string>
#include <vector>

namespace retort {

struct IniFile {
  // Section names as written (they are case-sensitive), in file order.
  // [DEFAULT] is listed too if the file has one.
  std::vector<std::string> sections;
  // section -> key (lower case) -> raw value
  std::map<std::string, std::map<std::string, std::string>> values;
};

// Reads `path` with ConfigParser's rules:
//   - a line whose first non-blank character is # or ; is a comment;
//   - `key = value` and `key: value` are both options, split at the first
//     `=` or `:`; keys are case-insensitive and stored in lower case;
//   - a line indented deeper than the option line above it continues that
//     option's value (joined here with a single space, where ConfigParser
//     keeps a newline: every value retort reads is one line or a list split
//     at whitespace, where the two mean the same);
//   - a section or an option appearing twice is an error, except that
//     [DEFAULT] may be opened again.
// Errors name the file and, for syntax errors, the line.
Expected<IniFile> read_ini_file(const std::string& path);

}  // namespace retort

#endif  // RETORT_INI_FILE_HPP
