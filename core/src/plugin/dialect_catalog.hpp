// What the dialect search path holds: every *.so of every directory, loaded
// as a dialect or refused with the loader's reason, in search order; and the
// choice of the one dialect that serves a URL scheme.
//
// A command loads one file, not the whole path: the first `<scheme>.so`
// along the search path (`<dialect key>.so` when the config names one), as
// the built-in dialects are named, when it serves the scheme (and is the
// plugin the key names). Only when there is no such file, or it is refused or
// serves something else, is every file loaded (the full scan), as
// list_dialects always does.
//
// In the full scan, like PATH, a plugin name found again further down the
// path is shadowed by the first one. Two plugins of different names serving
// one scheme, none of them in a file named for it, are a conflict that the
// config's `dialect` key settles; the host never guesses.
#ifndef RETORT_DIALECT_CATALOG_HPP
#define RETORT_DIALECT_CATALOG_HPP

#include "plugin/host_dialect.hpp"

#include <retort/config.hpp>
#include <retort/error.hpp>

#include <string>
#include <vector>

namespace retort {

struct FoundDialect {
  Dialect dialect;
  std::string shadowed_by;  // the file of the earlier plugin of this name; "" if none
};

struct RefusedFile {
  std::string path;
  Error error;  // the loader's one-line refusal, naming the file
};

struct DialectCatalog {
  std::vector<std::string> directories;  // the search path, in order
  std::vector<FoundDialect> dialects;    // by directory, then by file name
  std::vector<RefusedFile> refused;      // the same order
};

// A URL scheme that two or more unshadowed plugins of the catalog claim.
struct SchemeConflict {
  std::string scheme;
  std::vector<const Dialect*> plugins;  // in search order; point into the catalog
  // The one a command uses, as find_dialect chooses it: the plugin the
  // dialect key names, else the one in the first file named for the scheme;
  // null when neither settles it (a command then fails and says so).
  const Dialect* winner = nullptr;
  bool by_dialect_key = false;  // the winner is the one the dialect key names
};

// The conflicts of `catalog`, by scheme; `wanted` is the dialect key ("" if unset).
std::vector<SchemeConflict> scheme_conflicts(const DialectCatalog& catalog,
                                             const std::string& wanted);

// Loads every *.so directly inside each of `directories` (missing ones are
// skipped).
DialectCatalog scan_dialects(std::vector<std::string> directories);

// The catalog of cfg's search path. Fails only when the config cannot be
// read or its plugin_path or dialect key is malformed.
Expected<DialectCatalog> dialect_catalog(const Config& cfg);

// The one dialect of `catalog` serving `scheme`: the plugin named `wanted`
// when it is not empty (an error unless that plugin serves the scheme), else
// the only plugin name serving it. `cfg` names the ini file in hints.
Expected<Dialect> choose_dialect(const DialectCatalog& catalog, const std::string& scheme,
                                 const std::string& wanted, const Config& cfg);

// The dialect serving `scheme` for cfg: the file named for it (or for cfg's
// `dialect` key) when that serves it, else choose_dialect over the full scan.
Expected<Dialect> find_dialect(const std::string& scheme, const Config& cfg);

}  // namespace retort

#endif  // RETORT_DIALECT_CATALOG_HPP
