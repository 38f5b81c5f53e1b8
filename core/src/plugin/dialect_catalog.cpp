#include "plugin/dialect_catalog.hpp"

#include "plugin/plugin_loader.hpp"
#include "util/install_paths.hpp"

#include <retort/log.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace retort {
namespace {

namespace fs = std::filesystem;

// Appends the non-empty entries of a colon-separated list, each passed
// through `resolve`.
template <typename Resolve>
void split_path_list(const std::string& list, std::vector<std::string>& out, Resolve resolve) {
  size_t start = 0;
  while (start <= list.size()) {
    const size_t end = std::min(list.find(':', start), list.size());
    if (end > start) out.push_back(resolve(list.substr(start, end - start)));
    start = end + 1;
  }
}

// Every *.so directly in `dir`, sorted so the search does not depend on the
// file system's order.
std::vector<std::string> shared_objects(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->path().extension() == ".so" && it->is_regular_file(type_ec)) {
      files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool serves(const Dialect& dialect, const std::string& scheme) {
  const std::vector<std::string> schemes = dialect.url_schemes();
  return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

// "'a' ('/x/a.so')", the way errors name a plugin.
std::string describe(const Dialect& dialect) {
  return fmt::format("'{}' ('{}')", dialect.name(), dialect.path());
}

// "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& items) {
  std::string text;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? " and " : ", ";
    text += items[i];
  }
  return text;
}

// Where the `dialect` key goes, for hints.
std::string dialect_key_place(const Config& cfg) {
  const std::string& file = cfg.config_file_name();
  return fmt::format("the [{}] section of {}", cfg.config_ini_section(),
                     file.empty() ? std::string("the configuration") : "'" + file + "'");
}

// The unshadowed plugins serving `scheme`, in search order.
std::vector<const Dialect*> serving(const DialectCatalog& catalog, const std::string& scheme) {
  std::vector<const Dialect*> found;
  for (const FoundDialect& entry : catalog.dialects) {
    if (entry.shadowed_by.empty() && serves(entry.dialect, scheme)) found.push_back(&entry.dialect);
  }
  return found;
}

// The directories of the search path that exist: hints name only those.
std::vector<std::string> existing_directories(const DialectCatalog& catalog) {
  std::vector<std::string> dirs;
  for (const std::string& dir : catalog.directories) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) dirs.push_back(dir);
  }
  return dirs;
}

// How to make a directory holding `what` part of the search path, for hints
// when no directory of it exists.
std::string name_a_directory(const std::string& what, const Config& cfg) {
  return fmt::format(
      "no directory of the dialect search path exists: set plugin_path in {}, or "
      "RETORT_PLUGIN_PATH, to the lib/retort/dialects directory of a retort install or to a "
      "directory holding {}",
      dialect_key_place(cfg), what);
}

Error no_dialect_named(const DialectCatalog& catalog, const std::string& scheme,
                       const std::string& wanted, const Config& cfg) {
  const std::vector<std::string> dirs = existing_directories(catalog);
  std::string hint = dirs.empty()
                         ? name_a_directory(fmt::format("'{}'", wanted), cfg)
                         : fmt::format("install '{}' in one of: {}", wanted, fmt::join(dirs, ", "));
  std::vector<std::string> names;
  for (const Dialect* d : serving(catalog, scheme)) names.push_back(d->name());
  if (!names.empty()) {
    hint += fmt::format("; or set dialect in {} to a plugin serving '{}': {}",
                        dialect_key_place(cfg), scheme, fmt::join(names, ", "));
  }
  return Error(
      ErrorCategory::kPlugin,
      fmt::format("no dialect plugin named '{}' (the dialect key) in the search path", wanted),
      hint);
}

Error no_dialect_serves(const DialectCatalog& catalog, const std::string& scheme,
                        const Config& cfg) {
  // A refused file named after the scheme was most likely meant to serve
  // it: its refusal says more than "none found".
  for (const RefusedFile& refused : catalog.refused) {
    if (fs::path(refused.path).stem() == scheme) return refused.error;
  }
  const std::vector<std::string> dirs = existing_directories(catalog);
  std::string hint =
      dirs.empty() ? name_a_directory(fmt::format("a dialect plugin for '{}'", scheme), cfg)
                   : fmt::format(
                         "install a dialect plugin for '{}' in one of: {}; or add its directory "
                         "to RETORT_PLUGIN_PATH or the plugin_path option",
                         scheme, fmt::join(dirs, ", "));
  if (!catalog.refused.empty()) {
    hint += fmt::format("; {} file(s) could not be loaded, 'retort list_dialects' says why",
                        catalog.refused.size());
  }
  return Error(ErrorCategory::kPlugin, fmt::format("no dialect serves URL scheme '{}'", scheme),
               hint);
}

// Whether `name` can stand as a file name in a directory of the search path:
// letters, digits, '_', '-' and '.', not starting with '.'. A URL's scheme
// always can; a dialect key or ?dialect= that cannot is looked up by the
// full scan only, so no value reaches outside the search path.
bool is_plain_name(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

// The first `<stem>.so` along the search path, loaded: the file a scheme's
// (or the dialect key's) own plugin has, by the built-in dialects' naming.
// nullopt when there is none, or the loader refuses it (the full scan then
// says why).
std::optional<Dialect> first_named(const std::vector<std::string>& directories,
                                   const std::string& stem) {
  if (!is_plain_name(stem)) return std::nullopt;
  for (const std::string& dir : directories) {
    const fs::path file = fs::path(dir) / (stem + ".so");
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) continue;
    Expected<Dialect> dialect = Dialect::load(file.string());
    if (!dialect) return std::nullopt;
    return std::move(*dialect);
  }
  return std::nullopt;
}

Error check_options(const Config& cfg) {
  if (Error err = cfg.load_error()) return err;
  for (const char* key : {"plugin_path", "dialect"}) {
    if (Expected<std::string> value = cfg.main_option(key, ""); !value) return value.take_error();
  }
  return Error::success();
}

}  // namespace

std::vector<std::string> dialect_search_path(const Config& cfg) {
  std::vector<std::string> dirs;
  const auto as_is = [](std::string dir) { return dir; };
  if (const char* env = std::getenv("RETORT_PLUGIN_PATH")) split_path_list(env, dirs, as_is);
  if (std::optional<std::string> option = cfg.get_main_option("plugin_path")) {
    split_path_list(*option, dirs, [&cfg](const std::string& dir) {
      return (fs::path(cfg.here()) / dir).lexically_normal().string();
    });
  }
  for (std::string& builtin : builtin_dialect_dirs()) dirs.push_back(std::move(builtin));
  // Keep the first of any duplicates.
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (std::string& dir : dirs) {
    if (seen.insert(dir).second) unique.push_back(std::move(dir));
  }
  return unique;
}

DialectCatalog scan_dialects(std::vector<std::string> directories) {
  DialectCatalog catalog;
  catalog.directories = std::move(directories);
  std::map<std::string, std::string> first_file;  // plugin name -> its first file
  for (const std::string& dir : catalog.directories) {
    for (const std::string& path : shared_objects(dir)) {
      Expected<Dialect> dialect = Dialect::load(path);
      if (!dialect) {
        catalog.refused.push_back({path, dialect.take_error()});
        continue;
      }
      const auto [first, is_first] = first_file.emplace(dialect->name(), path);
      catalog.dialects.push_back({std::move(*dialect), is_first ? "" : first->second});
    }
  }
  return catalog;
}

Expected<DialectCatalog> dialect_catalog(const Config& cfg) {
  if (Error err = check_options(cfg)) return err;
  return scan_dialects(dialect_search_path(cfg));
}

std::vector<SchemeConflict> scheme_conflicts(const DialectCatalog& catalog,
                                             const std::string& wanted) {
  std::set<std::string> schemes;
  for (const FoundDialect& entry : catalog.dialects) {
    for (std::string& scheme : entry.dialect.url_schemes()) schemes.insert(std::move(scheme));
  }
  std::vector<SchemeConflict> conflicts;
  for (const std::string& scheme : schemes) {
    SchemeConflict conflict{scheme, serving(catalog, scheme)};
    if (conflict.plugins.size() < 2) continue;
    if (!wanted.empty()) {
      // The key decides alone; one that names none of them is an error.
      for (const Dialect* d : conflict.plugins) {
        if (d->name() == wanted) conflict.winner = d;
      }
      conflict.by_dialect_key = conflict.winner != nullptr;
      conflicts.push_back(std::move(conflict));
      continue;
    }
    // As first_named finds it: the first file named for the scheme decides,
    // if it serves the scheme.
    for (const std::string& dir : catalog.directories) {
      if (!is_plain_name(scheme)) break;
      const std::string file = (fs::path(dir) / (scheme + ".so")).string();
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) continue;
      for (const FoundDialect& entry : catalog.dialects) {
        if (entry.dialect.path() == file && serves(entry.dialect, scheme)) {
          conflict.winner = &entry.dialect;
        }
      }
      break;
    }
    conflicts.push_back(std::move(conflict));
  }
  return conflicts;
}

Expected<Dialect> choose_dialect(const DialectCatalog& catalog, const std::string& scheme,
                                 const std::string& wanted, const Config& cfg) {
  if (!wanted.empty()) {
    const auto named =
        std::find_if(catalog.dialects.begin(), catalog.dialects.end(),
                     [&](const FoundDialect& entry) { return entry.dialect.name() == wanted; });
    if (named == catalog.dialects.end()) return no_dialect_named(catalog, scheme, wanted, cfg);
    if (serves(named->dialect, scheme)) return named->dialect;
    return Error(
        ErrorCategory::kPlugin,
        fmt::format("dialect plugin {}, named by the dialect key, does not serve URL "
                    "scheme '{}'",
                    describe(named->dialect), scheme),
        fmt::format("it serves {}; set dialect in {} to a plugin serving '{}', or remove it",
                    fmt::join(named->dialect.url_schemes(), ", "), dialect_key_place(cfg), scheme));
  }
  const std::vector<const Dialect*> found = serving(catalog, scheme);
  if (found.empty()) return no_dialect_serves(catalog, scheme, cfg);
  if (found.size() == 1) return *found.front();
  std::vector<std::string> plugins, choices;
  for (const Dialect* d : found) {
    plugins.push_back(describe(*d));
    choices.push_back("dialect = " + d->name());
  }
  return Error(
      ErrorCategory::kPlugin,
      fmt::format("URL scheme '{}' is served by {} dialect plugins: {}", scheme, found.size(),
                  join_and(plugins)),
      fmt::format("choose one in {}: {}", dialect_key_place(cfg), fmt::join(choices, ", or ")));
}

Expected<Dialect> find_dialect(const std::string& scheme, const Config& cfg) {
  if (Error err = check_options(cfg)) return err;
  const std::vector<std::string> directories = dialect_search_path(cfg);
  const std::string wanted = cfg.get_main_option("dialect", "");
  std::optional<Dialect> named = first_named(directories, wanted.empty() ? scheme : wanted);
  if (named && serves(*named, scheme) && (wanted.empty() || named->name() == wanted)) {
    log(LogLevel::kDebug,
        fmt::format("dialect for URL scheme '{}': {}, by its file name", scheme, describe(*named)));
    return std::move(*named);
  }
  log(LogLevel::kDebug, fmt::format("no plugin file named for '{}' serves URL scheme '{}': "
                                    "loading every plugin of the search path",
                                    wanted.empty() ? scheme : wanted, scheme));
  return choose_dialect(scan_dialects(directories), scheme, wanted, cfg);
}

}  // namespace retort
