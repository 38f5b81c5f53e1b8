// What the commands share: loading the environment, finding the dialect and
// opening the database.
#ifndef RETORT_COMMAND_SUPPORT_HPP
#define RETORT_COMMAND_SUPPORT_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include "plugin/host_dialect.hpp"
#include "runtime/migration_context.hpp"
#include "revision/revision_map.hpp"
#include "script/script_directory.hpp"

#include <iosfwd>
#include <optional>
#include <string>

namespace retort::detail {

struct Environment {
  ScriptDirectory scripts;
  RevisionMap map;
};

// Reads the config's environment and its revisions, building stale modules
// first; compiler progress goes to `progress` (the commands pass stderr, so
// that what they print on stdout is only their answer).
Expected<Environment> load_environment(const Config& cfg, std::ostream& progress);

// The database: its URL, its dialect.
struct Database {
  std::string url;
  Dialect dialect;
};
Expected<Database> database(const Config& cfg);

// The version_table option, default "retort_version".
std::string version_table(const Config& cfg);
// The history_table option, default "retort_history": a plain lower-case
// word, as the host reads the table with SQL of its own.
Expected<std::string> history_table(const Config& cfg);

}  // namespace retort::detail

#endif  // RETORT_COMMAND_SUPPORT_HPP
