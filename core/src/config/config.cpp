#include "retort/config.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <utility>

#include "config/ini_file.hpp"
#include "config/interpolation.hpp"

namespace retort {
namespace {

// ConfigParser's default section: its keys are seen from every section.
constexpr const char* kDefaultSection = "DEFAULT";
// The built-in default Alembic gives ConfigParser.
constexpr const char* kHere = "here";

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string current_directory() {
  std::error_code ec;
  const auto cwd = std::filesystem::current_path(ec);
  return ec ? std::string(".") : cwd.string();
}

// Alembic's os.path.abspath(os.path.dirname(file)).
std::string directory_of(const std::string& file) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(file, ec);
  if (ec) return current_directory();
  return absolute.lexically_normal().parent_path().string();
}

}  // namespace

// As in Alembic, a Config without a file has its main section, empty.
Config::Config()
    : here_(current_directory()),
      raw_{{section_, {}}},
      section_order_{section_},
      out_(&std::cout) {}

Config::Config(ConfigArgs config_args) : Config() { config_args_ = std::move(config_args); }

Config::Config(std::string file, std::string ini_section, ConfigArgs config_args)
    : file_(std::move(file)),
      section_(std::move(ini_section)),
      here_(directory_of(file_)),
      config_args_(std::move(config_args)),
      out_(&std::cout) {
  auto ini = read_ini_file(file_);
  if (!ini) {
    load_error_ = ini.take_error();
    return;
  }
  raw_ = std::move(ini->values);
  for (const auto& name : ini->sections) {
    if (name != kDefaultSection) section_order_.push_back(name);
  }
}

Expected<Config> Config::from_file(const std::string& file, std::string ini_section,
                                   ConfigArgs config_args) {
  Config config(file, std::move(ini_section), std::move(config_args));
  if (config.load_error()) return config.load_error();
  return config;
}

void Config::set_main_option(const std::string& key, const std::string& value) {
  set_section_option(section_, key, value);
}

void Config::set_section_option(const std::string& section, const std::string& key,
                                const std::string& value) {
  raw_slot(section, lower(key)) = value;
}

std::optional<std::string> Config::get_main_option(const std::string& key) const {
  return get_section_option(section_, key);
}

std::string Config::get_main_option(const std::string& key, const std::string& fallback) const {
  return get_main_option(key).value_or(fallback);
}

std::optional<std::string> Config::get_section_option(const std::string& section,
                                                      const std::string& key) const {
  if (!raw_.contains(section)) return std::nullopt;
  const std::string name = lower(key);
  const auto raw = raw_option(section, name);
  if (!raw) return std::nullopt;
  auto value = interpolate(section, name, *raw);
  if (!value) return std::nullopt;
  return std::move(*value);
}

std::map<std::string, std::string> Config::get_section(const std::string& section) const {
  std::map<std::string, std::string> values;
  const auto own = raw_.find(section);
  if (own == raw_.end()) return values;

  std::set<std::string> names = {kHere};
  for (const auto& [name, raw] : config_args_) names.insert(lower(name));
  if (const auto defaults = raw_.find(kDefaultSection); defaults != raw_.end()) {
    for (const auto& [name, raw] : defaults->second) names.insert(name);
  }
  for (const auto& [name, raw] : own->second) names.insert(name);
  for (const auto& name : names) {
    auto value = interpolate(section, name, *raw_option(section, name));
    if (value) values.emplace(name, std::move(*value));
  }
  return values;
}

std::vector<std::string> Config::sections() const { return section_order_; }

Expected<std::string> Config::main_option(const std::string& key) const {
  if (load_error_) return load_error_;
  const std::string where =
      file_.empty() ? std::string("the configuration") : fmt::format("config file '{}'", file_);
  if (!raw_.contains(section_)) {
    return Error(ErrorCategory::kConfig, fmt::format("{} has no [{}] section", where, section_),
                 "add the section, or name another one with -n SECTION");
  }
  const std::string name = lower(key);
  const auto raw = raw_option(section_, name);
  if (!raw) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("no '{}' key found in section [{}] of {}", name, section_, where),
                 fmt::format("add '{} = ...' to the [{}] section", name, section_));
  }
  return interpolate(section_, name, *raw);
}

Expected<std::string> Config::main_option(const std::string& key,
                                          const std::string& fallback) const {
  if (load_error_) return load_error_;
  const std::string name = lower(key);
  const auto raw = raw_option(section_, name);
  if (!raw) return fallback;
  return interpolate(section_, name, *raw);
}

void Config::set_x_argument(const std::string& key, const std::string& value) {
  x_args_[key] = value;
}

std::optional<std::string> Config::get_x_argument(const std::string& key) const {
  const auto it = x_args_.find(key);
  if (it == x_args_.end()) return std::nullopt;
  x_read_.insert(key);
  return it->second;
}

std::vector<std::string> Config::unread_x_arguments() const {
  std::vector<std::string> keys;
  for (const auto& [key, value] : x_args_) {
    if (x_read_.count(key) == 0) keys.push_back(key);
  }
  return keys;
}

std::optional<std::string> Config::raw_option(const std::string& section,
                                              const std::string& key) const {
  for (const auto& name : {section, std::string(kDefaultSection)}) {
    const auto values = raw_.find(name);
    if (values == raw_.end()) continue;
    if (const auto value = values->second.find(key); value != values->second.end()) {
      return value->second;
    }
  }
  // Escaped, so that a '%' in the directory's name stays a '%'.
  if (key == kHere) return escape_percent(here_);
  for (const auto& [name, value] : config_args_) {
    if (lower(name) == key) return value;
  }
  return std::nullopt;
}

Expected<std::string> Config::interpolate(const std::string& section, const std::string& key,
                                          const std::string& raw) const {
  const RawOptionLookup lookup = [this, &section](const std::string& name) {
    return raw_option(section, name);
  };
  return retort::interpolate(raw, lookup, key, section);
}

std::string& Config::raw_slot(const std::string& section, const std::string& key) {
  if (!raw_.contains(section) && section != kDefaultSection) section_order_.push_back(section);
  return raw_[section][key];
}

std::string default_config_file() {
  const char* env = std::getenv("RETORT_CONFIG");
  if (env != nullptr && *env != '\0') return env;
  return "retort.ini";
}

}  // namespace retort
