// What a run reads from the config: the database (its URL and the dialect
// serving it) and the names of the version and history tables.
#ifndef RETORT_RUN_CONFIG_HPP
#define RETORT_RUN_CONFIG_HPP

#include <retort/config.hpp>
#include <retort/error.hpp>

#include "config/environment_settings.hpp"
#include "db/database_url.hpp"
#include "plugin/host_dialect.hpp"
#include "runtime/migration_context.hpp"

#include <memory>
#include <string>
#include <vector>

namespace retort::detail {

// The database: its URL, parsed once here, its dialect, and the
// application's connection if it gave one (Config::attributes().set_connection).
// -x url=... replaces the url option. With a connection and no url, the
// dialect is the one the driver's product name (SQL_DBMS_NAME) points to,
// and `url` is only "<scheme>://". The URL is shown as its dialect redacts it.
// An environment (env.cpp) that set a url replaces both.
struct Database {
  DatabaseUrl url;
  Dialect dialect;
  void* shared = nullptr;  // the application's SQLHDBC, or none
  // What the environment decided, or none (config/environment_settings.hpp).
  std::shared_ptr<const EnvironmentSettings> env;
};
// The database at `url`, served by `dialect`: what database() returns once
// it has both (a fleet reuses the dialect of an earlier target).
Database database_at(DatabaseUrl url, Dialect dialect, void* shared = nullptr);
Expected<Database> database(const Config& cfg,
                            std::shared_ptr<const EnvironmentSettings> env = nullptr);

// The databases named by the `databases` key (the multidb template: several
// databases in one environment, "databases = engine1, engine2", each with a
// section of its own holding its url); empty without the key. A name must
// be a C++ identifier: revisions name functions after it (upgrade_engine1).
Expected<std::vector<std::string>> database_names(const Config& cfg);
// The database `name` of the `databases` key: the url of section [name].
Expected<Database> named_database(const Config& cfg, const std::string& name,
                                  std::shared_ptr<const EnvironmentSettings> env = nullptr);

// The migration context on the database: a connection of its own, or the
// application's, borrowed.
Expected<MigrationContext> connect(const Database& db, const std::string& version_table);

// A plain connection to the database, to read it (autogenerate's catalog):
// the application's, borrowed, when it gave one; else one of its own.
Expected<OdbcConnection> open_connection(const Database& db);

// The version_table option, default "retort_version".
std::string version_table(const Config& cfg);
// The version table of a run on `db`: its environment's, else the option.
std::string version_table(const Config& cfg, const Database& db);
// The history_table option, default "retort_history": a plain lower-case
// word, as the host reads the table with SQL of its own.
Expected<std::string> history_table(const Config& cfg);

}  // namespace retort::detail

#endif  // RETORT_RUN_CONFIG_HPP
