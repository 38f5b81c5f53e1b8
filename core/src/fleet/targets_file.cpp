// The targets file of a fleet run, and sharding it across machines.
#include <retort/fleet.hpp>
#include <retort/shorten.hpp>
#include <retort/url.hpp>

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

namespace retort {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A '#' at the start or after white space starts a comment; one inside a
// word (a password, a URL fragment) does not.
std::string_view strip_comment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1])))) {
      return line.substr(0, i);
    }
  }
  return line;
}

// A target's name or a section's: letters, digits, '_', '-', '.', ':', '@'.
bool is_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.' &&
        c != ':' && c != '@') {
      return false;
    }
  }
  return true;
}

// Expands %(here)s, %% and ${VAR}; any other % stays (URLs percent-encode).
Expected<std::string> expand(std::string_view text, const std::string& here, const EnvLookup& env,
                             const std::string& where) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 8) == "%(here)s") {
      out += here;
      i += 7;
      continue;
    }
    if (text.substr(i, 2) == "%%") {
      out += '%';
      ++i;
      continue;
    }
    if (text.substr(i, 2) == "%(") {
      // The reference as written: up to its ')' and the 's' after it.
      size_t end = std::min(text.find(')', i), text.size() - 1);
      if (end + 1 < text.size() && text[end + 1] == 's') ++end;
      return Error(ErrorCategory::kConfig,
                   fmt::format("{}: unknown reference '{}'", where, text.substr(i, end - i + 1)),
                   "a targets file knows %(here)s and ${VAR}; write a literal % as %%");
    }
    if (text.substr(i, 2) == "${") {
      const size_t close = text.find('}', i);
      if (close == std::string_view::npos) {
        return Error(ErrorCategory::kConfig, fmt::format("{}: '${{' without its '}}'", where),
                     "write an environment reference as ${NAME}");
      }
      const std::string name(text.substr(i + 2, close - i - 2));
      auto value = env(name);
      if (!value) {
        return Error(ErrorCategory::kConfig,
                     fmt::format("{}: environment variable '{}' is not set", where, name),
                     "export it before the run, or write the value in the file");
      }
      out += *value;
      i = close;
      continue;
    }
    out += text[i];
  }
  return out;
}

Expected<FleetTarget> parse_line(std::string_view line, const std::string& where,
                                 const std::string& here, const EnvLookup& env) {
  // A section: a bare name, or [name].
  std::string_view bare = line;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']')
    bare = trim(bare.substr(1, bare.size() - 2));
  if (is_name(bare) && line.find("://") == std::string_view::npos) {
    return FleetTarget{std::string(bare), std::string(), std::string(bare), where};
  }
  // name = URL, where the name comes before any "://".
  std::string name;
  std::string_view value = line;
  const size_t eq = line.find('=');
  const size_t scheme = line.find("://");
  if (eq != std::string_view::npos && (scheme == std::string_view::npos || eq < scheme)) {
    std::string_view left = trim(line.substr(0, eq));
    if (!is_name(left)) {
      return Error(ErrorCategory::kConfig,
                   fmt::format("{}: '{}' is not a target name", where, shorten(redact(left))),
                   "use letters, digits, '_', '-' and '.', e.g. eu-1 = postgresql://...");
    }
    name = std::string(left);
    value = trim(line.substr(eq + 1));
  }
  auto url = expand(value, here, env, where);
  if (!url) return url.take_error();
  if (url->find("://") == std::string::npos || url->find("://") == 0) {
    return Error(
        ErrorCategory::kConfig,
        fmt::format("{}: '{}' is not a URL, a 'name = URL' pair or a section name", where,
                    shorten(redact(*url))),
        "write one target a line, e.g. sqlite:///%(here)s/a.db or eu-1 = postgresql://...");
  }
  if (name.empty()) name = redact(*url);
  return FleetTarget{std::move(name), std::move(*url), std::string(), where};
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Expected<std::vector<FleetTarget>> parse_targets(std::string_view text, const std::string& origin,
                                                 const std::string& here, const EnvLookup& env) {
  std::vector<FleetTarget> targets;
  std::map<std::string, std::string> seen;  // name -> where
  size_t number = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++number;
    line = trim(strip_comment(line));
    if (line.empty()) continue;
    const std::string where = fmt::format("{}:{}", origin, number);
    auto target = parse_line(line, where, here, env);
    if (!target) return target.take_error();
    auto [it, added] = seen.emplace(target->name, where);
    if (!added) {
      return Error(ErrorCategory::kConfig,
                   fmt::format("{}: target '{}' is listed twice (first at {})", where, target->name,
                               it->second),
                   "give each target its own name: name = URL");
    }
    targets.push_back(std::move(*target));
  }
  return targets;
}

Expected<std::vector<FleetTarget>> read_targets(const std::string& file) {
  if (file == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return parse_targets(text, "stdin", std::filesystem::current_path().string());
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return Error(ErrorCategory::kIo, fmt::format("cannot read targets file '{}'", file),
                 "check the path given to --targets");
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(file, ec).parent_path();
  return parse_targets(text.str(), file, dir.string());
}

Expected<Shard> parse_shard(std::string_view text) {
  const size_t slash = text.find('/');
  auto number = [](std::string_view s) -> int {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string_view::npos)
      return 0;
    return std::atoi(std::string(s).c_str());
  };
  const int k = slash == std::string_view::npos ? 0 : number(text.substr(0, slash));
  const int m = slash == std::string_view::npos ? 0 : number(text.substr(slash + 1));
  if (k < 1 || m < 1 || k > m) {
    return Error(ErrorCategory::kUsage,
                 fmt::format("--shard '{}' is not K/M with 1 <= K <= M", text),
                 "e.g. --shard 2/3 runs the second of three shards");
  }
  return Shard{k, m};
}

std::vector<FleetTarget> select_shard(const std::vector<FleetTarget>& targets, Shard shard) {
  std::vector<FleetTarget> out;
  for (size_t i = static_cast<size_t>(shard.index - 1); i < targets.size();
       i += static_cast<size_t>(shard.count)) {
    out.push_back(targets[i]);
  }
  return out;
}

}  // namespace retort
