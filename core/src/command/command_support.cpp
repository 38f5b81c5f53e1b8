#include "command/command_support.hpp"

#include <retort/log.hpp>

#include <fmt/format.h>

namespace retort::detail {

namespace {

// What the environment decided for this command: the application's function
// (Config::attributes().set_environment), else env.cpp; none without either.
Expected<std::shared_ptr<const EnvironmentSettings>> configured(const Config& cfg,
                                                                const ScriptDirectory& scripts,
                                                                const EnvironmentRequest& request) {
  if (cfg.attributes().environment() != nullptr) {
    return configure_application_environment(cfg, request);
  }
  auto file = command_environment(scripts.dir());
  if (!file) return file.take_error();
  if (!*file) return std::shared_ptr<const EnvironmentSettings>();
  return configure_environment(cfg, **file, request, progress_stream());
}

}  // namespace

Expected<Database> environment_database(const Config& cfg, const ScriptDirectory& scripts,
                                        const EnvironmentRequest& request) {
  if (auto err = cfg.load_error()) return err;
  auto settings = configured(cfg, scripts, request);
  if (!settings) return settings.take_error();
  return database(cfg, std::move(*settings));
}

Expected<std::vector<NamedDatabase>> command_databases(const Config& cfg,
                                                       const ScriptDirectory& scripts,
                                                       const EnvironmentRequest& request) {
  if (auto err = cfg.load_error()) return err;
  auto names = database_names(cfg);
  if (!names) return names.take_error();
  std::vector<NamedDatabase> out;
  if (names->empty()) {
    auto db = environment_database(cfg, scripts, request);
    if (!db) return db.take_error();
    out.push_back({std::string(), std::move(*db)});
    return out;
  }
  auto settings = configured(cfg, scripts, request);
  if (!settings) return settings.take_error();
  for (const std::string& name : *names) {
    auto db = named_database(cfg, name, *settings);
    if (!db) return db.take_error();
    out.push_back({name, std::move(*db)});
  }
  return out;
}

Expected<Environment> read_environment(const Config& cfg) {
  if (auto err = cfg.load_error()) return err;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return scripts.take_error();
  auto map = scripts->read_revisions();
  if (!map) return map.take_error();
  return Environment{std::move(*scripts), std::move(*map)};
}

Expected<Environment> load_environment(const Config& cfg, std::ostream& progress,
                                       const LoadOptions& options) {
  if (auto err = cfg.load_error()) return err;
  auto scripts = ScriptDirectory::from_config(cfg);
  if (!scripts) return scripts.take_error();
  auto map = scripts->load_revisions(progress, options);
  if (!map) return map.take_error();
  return Environment{std::move(*scripts), std::move(*map)};
}

}  // namespace retort::detail
