// retort list_dialects: what the dialect search path holds, as plain-text
// columns a script can split on whitespace (the file comes last); then the
// URL schemes two plugins claim and which one a command uses; then the files
// that could not be loaded. It needs no environment: without its ini file
// it searches RETORT_PLUGIN_PATH and the built-in directory.
#include <retort/command.hpp>

#include "command/command_scope.hpp"
#include "plugin/dialect_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <ostream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace retort::command {
namespace {

using Row = std::array<std::string, 6>;  // name, version, abi, schemes, status, file

// `in_conflict`: the plugin claims a scheme another one claims too.
Row row_of(const FoundDialect& found, bool in_conflict) {
  const Dialect& d = found.dialect;
  const char* status = !found.shadowed_by.empty() ? "shadowed"
                       : in_conflict              ? "conflict"
                                                  : "active";
  return {d.name(),
          d.version().empty() ? "-" : d.version(),
          fmt::format("{}.{}", d.abi_major(), d.abi_minor()),
          fmt::format("{}", fmt::join(d.url_schemes(), ",")),
          status,
          d.path()};
}

// "postgresql: postgresql ('/a/postgresql.so'), pg2 ('/b/pg2.so'); postgresql wins, its file is
// named for the scheme".
std::string conflict_line(const SchemeConflict& conflict) {
  std::vector<std::string> plugins;
  for (const Dialect* d : conflict.plugins) {
    plugins.push_back(fmt::format("{} ('{}')", d->name(), d->path()));
  }
  std::string verdict;
  if (conflict.by_dialect_key) {
    verdict = fmt::format("{} wins, the dialect key names it", conflict.winner->name());
  } else if (conflict.winner != nullptr) {
    verdict = fmt::format("{} wins, its file is named for the scheme", conflict.winner->name());
  } else {
    verdict = "none wins, a command refuses the scheme until the dialect key names one";
  }
  return fmt::format("{}: {}; {}", conflict.scheme, fmt::join(plugins, ", "), verdict);
}

// The catalog list_dialects shows: cfg's, or without an ini file (none was
// written yet, or it is elsewhere) the search path that needs none.
Expected<DialectCatalog> catalog_for(const Config& cfg) {
  const std::string& file = cfg.config_file_name();
  std::error_code ec;
  if (cfg.load_error() && !file.empty() && !std::filesystem::exists(file, ec)) {
    return scan_dialects(dialect_search_path(Config()));
  }
  return dialect_catalog(cfg);
}

void print_rows(std::ostream& out, const std::vector<Row>& rows) {
  std::array<size_t, 6> widths{};
  for (const Row& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (size_t i = 0; i + 1 < row.size(); ++i) {
      line += row[i] + std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << row.back() << "\n";
  }
}

// The loader's message without its "cannot load ... 'PATH': " preamble,
// since the line starts with the file already; a plugin's name stays:
// "dialect plugin 'x': built for ABI 2.0, host supports 1.x".
std::string reason(const RefusedFile& refused) {
  const std::string& message = refused.error.message();
  const std::string declined = "plugin '" + refused.path + "' ";
  if (message.rfind(declined, 0) == 0) return message.substr(declined.size());
  const std::string prefix = "cannot load ";
  const std::string plain = prefix + "'" + refused.path + "': ";
  if (message.rfind(plain, 0) == 0) return message.substr(plain.size());
  const std::string from = " from '" + refused.path + "': ";
  const size_t at = message.find(from);
  if (message.rfind(prefix, 0) != 0 || at == std::string::npos) return message;
  return message.substr(prefix.size(), at - prefix.size()) + ": " +
         message.substr(at + from.size());
}

}  // namespace

Error list_dialects(const Config& cfg) {
  CommandScope scope(cfg);
  Expected<DialectCatalog> catalog = catalog_for(cfg);
  if (!catalog) return catalog.take_error();
  const std::vector<SchemeConflict> conflicts =
      scheme_conflicts(*catalog, cfg.get_main_option("dialect", ""));
  std::set<const Dialect*> in_conflict;
  for (const SchemeConflict& conflict : conflicts) {
    in_conflict.insert(conflict.plugins.begin(), conflict.plugins.end());
  }
  std::ostream& out = cfg.output();
  out << "search path: " << fmt::format("{}", fmt::join(catalog->directories, ":")) << "\n";
  std::vector<Row> rows{{"NAME", "VERSION", "ABI", "SCHEMES", "STATUS", "FILE"}};
  for (const FoundDialect& found : catalog->dialects) {
    rows.push_back(row_of(found, in_conflict.contains(&found.dialect)));
  }
  print_rows(out, rows);
  if (!conflicts.empty()) {
    out << "conflicts:\n";
    for (const SchemeConflict& conflict : conflicts) out << conflict_line(conflict) << "\n";
  }
  if (catalog->refused.empty()) return Error::success();
  out << "not loaded:\n";
  for (const RefusedFile& refused : catalog->refused) {
    out << refused.path << ": " << reason(refused) << "\n";
  }
  return Error::success();
}

}  // namespace retort::command
