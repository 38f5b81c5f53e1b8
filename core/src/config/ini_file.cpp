#include "config/ini_file.hpp"

#include <fmt/format.h>
#include <retort/shorten.hpp>
#include <retort/url.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace retort {
namespace {

// ConfigParser's [DEFAULT] may be opened more than once.
constexpr std::string_view kDefaultSection = "DEFAULT";
constexpr std::string_view kBlanks = " \t\f\v\r\n";

std::string_view strip(std::string_view s) {
  const auto first = s.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kBlanks) - first + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct Option {
  std::string key;                  // as written
  std::vector<std::string> pieces;  // the value's first line, then its continuation lines
};

struct Section {
  std::string name;
  std::vector<Option> options;
};

// Splits the file into sections of logical `key = value` lines: comments
// dropped, continuation lines gathered, `key: value` recognised.
class LineReader {
 public:
  explicit LineReader(const std::string& path) : path_(path) {}

  Error feed(std::string_view line, int number);
  std::vector<Section> take_sections() { return std::move(sections_); }

 private:
  Error open_section(std::string name, int number);
  Error add_option(std::string_view text, int number);
  Error fail(int number, const std::string& what, std::string hint = {}) const {
    return Error(ErrorCategory::kConfig,
                 fmt::format("config file '{}', line {}: {}", path_, number, what),
                 std::move(hint));
  }

  const std::string& path_;
  std::vector<Section> sections_;
  std::optional<size_t> current_;  // index into sections_
  bool in_option_ = false;         // the last line read was an option or its continuation
  size_t option_indent_ = 0;       // indentation of that option's first line
  std::set<std::string> seen_sections_;
  std::set<std::pair<std::string, std::string>> seen_options_;
};

Error LineReader::feed(std::string_view line, int number) {
  const std::string_view text = strip(line);
  // Comments, even indented ones, neither end a value nor belong to it.
  if (text.empty() || text[0] == '#' || text[0] == ';') return Error::success();

  const size_t indent = line.find_first_not_of(kBlanks);
  if (in_option_ && indent > option_indent_) {
    sections_[*current_].options.back().pieces.emplace_back(text);
    return Error::success();
  }
  in_option_ = false;
  // ConfigParser's header pattern is \[(.+)\]: up to the last ']', not trimmed.
  if (text[0] == '[') {
    const auto close = text.rfind(']');
    if (close != std::string_view::npos && close > 1) {
      return open_section(std::string(text.substr(1, close - 1)), number);
    }
  }
  if (!current_) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("config file '{}' contains no section header before line {}: '{}'",
                             path_, number, shorten(redact(text))),
                 "start the file with a section header such as [retort]");
  }
  if (auto err = add_option(text, number)) return err;
  in_option_ = true;
  option_indent_ = indent;
  return Error::success();
}

Error LineReader::open_section(std::string name, int number) {
  if (name != kDefaultSection && !seen_sections_.insert(name).second) {
    return fail(number, fmt::format("section [{}] already exists", shorten(name)),
                "merge the two sections into one");
  }
  for (size_t i = 0; i < sections_.size(); ++i) {
    if (sections_[i].name == name) {
      current_ = i;
      return Error::success();
    }
  }
  current_ = sections_.size();
  sections_.push_back(Section{std::move(name), {}});
  return Error::success();
}

Error LineReader::add_option(std::string_view text, int number) {
  Section& section = sections_[*current_];
  const auto delimiter = text.find_first_of("=:");
  if (delimiter == std::string_view::npos) {
    return fail(number, fmt::format("cannot parse '{}'", shorten(redact(text))),
                "write options as 'key = value' or 'key: value'");
  }
  const std::string_view key = strip(text.substr(0, delimiter));
  if (key.empty()) {
    return fail(number, fmt::format("option without a name: '{}'", shorten(redact(text))));
  }
  if (!seen_options_.emplace(section.name, lower(key)).second) {
    return fail(number,
                fmt::format("option '{}' in section [{}] already exists", shorten(lower(key)),
                            shorten(section.name)),
                "keys are case-insensitive; keep only one of them");
  }
  section.options.push_back(
      Option{std::string(key), {std::string(strip(text.substr(delimiter + 1)))}});
  return Error::success();
}

std::string join_value(const std::vector<std::string>& pieces) {
  std::string value;
  for (const auto& piece : pieces) {
    if (piece.empty()) continue;
    if (!value.empty()) value += ' ';
    value += piece;
  }
  return value;
}

}  // namespace

Expected<IniFile> read_ini_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    return Error(ErrorCategory::kIo, fmt::format("config file '{}' not found", path),
                 "run 'retort init DIR' to create one, or pass -c FILE");
  }
  if (std::filesystem::is_directory(status)) {
    return Error(ErrorCategory::kIo, fmt::format("config file '{}' is a directory", path),
                 "pass the ini file itself with -c FILE");
  }
  std::ifstream in(path);
  if (!in) {
    return Error(ErrorCategory::kIo,
                 fmt::format("cannot read config file '{}': {}", path, std::strerror(errno)));
  }

  LineReader reader(path);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    // Editors on Windows may start a UTF-8 file with a byte order mark.
    if (number == 1 && line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
    if (auto err = reader.feed(line, number)) return err;
  }
  if (in.bad()) {
    return Error(ErrorCategory::kIo, fmt::format("cannot read config file '{}'", path));
  }

  IniFile ini;
  for (const auto& section : reader.take_sections()) {
    ini.sections.push_back(section.name);
    auto& values = ini.values[section.name];
    for (const auto& option : section.options) {
      values[lower(option.key)] = join_value(option.pieces);
    }
  }
  return ini;
}

}  // namespace retort
