// What an environment (env.cpp, script/environment_module.hpp) decided for
// one command: the values it set replace the configuration's, its callbacks
// watch the run (runtime/) and filter autogenerate's objects (autogenerate/).
// A command without an env.cpp has none, and runs as the configuration says.
#ifndef RETORT_ENVIRONMENT_SETTINGS_HPP
#define RETORT_ENVIRONMENT_SETTINGS_HPP

#include <retort/error.hpp>

#include <functional>
#include <optional>
#include <string>

namespace retort {

// on_version_apply's direction, as RETORT_DIRECTION_* (abi.h).
enum class StepDirection { kUpgrade = 1, kDowngrade = 2, kStamp = 3 };

struct EnvironmentSettings {
  std::optional<std::string> url;
  std::optional<std::string> version_table;
  std::optional<std::string> version_table_schema;
  // False: the whole run in one transaction, where DDL is transactional.
  bool transaction_per_migration = true;
  // After each step is applied, inside its transaction; an error fails it.
  std::function<Error(const std::string& revision, StepDirection direction)> on_version_apply;
  // Whether autogenerate compares an object: name, type ("table", "column",
  // ...), and the table it belongs to (empty for a table).
  std::function<bool(const std::string& name, const std::string& type, const std::string& table)>
      include_object;
};

}  // namespace retort

#endif  // RETORT_ENVIRONMENT_SETTINGS_HPP
