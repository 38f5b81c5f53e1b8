// retort list_dialects: what the dialect search path holds, as plain-text
// columns a script can split on whitespace (the file comes last).
#include <retort/command.hpp>

#include "command/command_scope.hpp"
#include "plugin/dialect_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <ostream>
#include <string>
#include <vector>

namespace retort::command {
namespace {

using Row = std::array<std::string, 6>;  // name, version, abi, schemes, status, file

Row row_of(const FoundDialect& found) {
  const Dialect& d = found.dialect;
  return {d.name(),
          d.version().empty() ? "-" : d.version(),
          fmt::format("{}.{}", d.abi_major(), d.abi_minor()),
          fmt::format("{}", fmt::join(d.url_schemes(), ",")),
          found.shadowed_by.empty() ? "active" : "shadowed",
          d.path()};
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
  Expected<DialectCatalog> catalog = dialect_catalog(cfg);
  if (!catalog) return catalog.take_error();
  std::ostream& out = cfg.output();
  out << "search path: " << fmt::format("{}", fmt::join(catalog->directories, ":")) << "\n";
  std::vector<Row> rows{{"NAME", "VERSION", "ABI", "SCHEMES", "STATUS", "FILE"}};
  for (const FoundDialect& found : catalog->dialects) rows.push_back(row_of(found));
  print_rows(out, rows);
  if (catalog->refused.empty()) return Error::success();
  out << "not loaded:\n";
  for (const RefusedFile& refused : catalog->refused) {
    out << refused.path << ": " << reason(refused) << "\n";
  }
  return Error::success();
}

}  // namespace retort::command
