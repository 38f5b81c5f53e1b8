// What the commands share: loading the environment (the database and its
// tables are in runtime/run_config.hpp).
#ifndef RETORT_COMMAND_SUPPORT_HPP
#define RETORT_COMMAND_SUPPORT_HPP

#include <retort/command.hpp>
#include <retort/config.hpp>
#include <retort/error.hpp>

#include "revision/revision_map.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/run_config.hpp"
#include "script/environment_module.hpp"
#include "script/script_directory.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace retort::detail {

struct Environment {
  ScriptDirectory scripts;
  RevisionMap map;
};

// The database a command runs on, as the environment decides: env.cpp in
// the script directory, when there is one, is built, loaded and configured
// for this command; without one, the config's (run_config.hpp).
Expected<Database> environment_database(const Config& cfg, const ScriptDirectory& scripts,
                                        const EnvironmentRequest& request = {});

// The databases a command runs on, each an ordinary run of its own: the one
// environment_database gives, with no name; or, with a `databases` key (the
// multidb template), each database named there, with its name and its
// section's url, the environment's other settings applying to each.
struct NamedDatabase {
  std::string name;  // empty: the one database of the config
  Database db;
};
Expected<std::vector<NamedDatabase>> command_databases(const Config& cfg,
                                                       const ScriptDirectory& scripts,
                                                       const EnvironmentRequest& request = {});

// Reads the config's environment and its revision graph from the sources
// (or a deploy's manifest), for commands that only show or extend the graph:
// nothing is compiled, and revisions have no module to run.
Expected<Environment> read_environment(const Config& cfg);

// Reads the config's environment and loads its revisions' modules, building
// stale ones first, for commands that run or render revisions; compiler
// progress goes to `progress` (the commands pass the log's, so that what they
// print on stdout is only their answer).
Expected<Environment> load_environment(const Config& cfg, std::ostream& progress,
                                       const LoadOptions& options = {});

}  // namespace retort::detail

#endif  // RETORT_COMMAND_SUPPORT_HPP
