#include "runtime/run_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace retort::detail {

namespace {

// The URL scheme of the dialect serving a DBMS, by the product name its ODBC
// driver reports; empty when none is known.
std::string scheme_for_dbms(std::string name) {
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name.find("sqlite") != std::string::npos) return "sqlite";
  if (name.find("postgres") != std::string::npos) return "postgresql";
  if (name.find("mysql") != std::string::npos || name.find("mariadb") != std::string::npos) {
    return "mysql";
  }
  if (name.find("sql server") != std::string::npos) return "mssql";
  if (name.find("oracle") != std::string::npos) return "oracle";
  return {};
}

constexpr const char* kSharedName = "the application's connection";

Expected<std::string> url_of_connection(void* hdbc) {
  OdbcConnection connection = OdbcConnection::borrow(hdbc, kSharedName);
  auto name = connection.dbms_name();
  if (!name) return name.take_error();
  std::string scheme = scheme_for_dbms(*name);
  if (scheme.empty()) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("cannot tell the dialect of the application's connection: its driver "
                             "names the database '{}'",
                             *name),
                 "set url as well: its scheme chooses the dialect, e.g. url = postgresql://");
  }
  return scheme + "://";
}

}  // namespace

Expected<MigrationContext> connect(const Database& db, const std::string& version_table) {
  if (db.shared == nullptr) {
    auto ctx = MigrationContext::connect(db.dialect, db.url, version_table);
    if (ctx && db.env) ctx->set_version_table_schema(db.env->version_table_schema.value_or(""));
    return ctx;
  }
  // The URL, when it is a whole one, still gives the history journal a
  // connection of its own where DDL commits at once.
  std::string connection_string;
  if (db.url.text().find("://") + 3 < db.url.text().size()) {
    auto made = db.dialect.connection_string(db.url);
    if (made) connection_string = std::move(*made);
  }
  MigrationContext ctx = MigrationContext::borrow(db.dialect, db.shared, version_table,
                                                  std::move(connection_string), kSharedName);
  if (db.env) ctx.set_version_table_schema(db.env->version_table_schema.value_or(""));
  return ctx;
}

Expected<OdbcConnection> open_connection(const Database& db) {
  if (db.shared != nullptr) return OdbcConnection::borrow(db.shared, kSharedName);
  auto connection_string = db.dialect.connection_string(db.url);
  if (!connection_string) return connection_string.take_error();
  return OdbcConnection::connect(*connection_string, db.url.shown());
}

Expected<Database> database(const Config& cfg, std::shared_ptr<const EnvironmentSettings> env) {
  if (auto err = cfg.load_error()) return err;
  // -x url=... replaces the ini's url, as Alembic's env.py idiom does; the
  // environment's own choice replaces both.
  Expected<std::string> url = std::string();
  if (env && env->url) {
    url = *env->url;
  } else if (auto x_url = cfg.get_x_argument("url")) {
    url = std::move(*x_url);
  } else {
    url = cfg.main_option("url");
  }
  void* shared = cfg.attributes().connection();
  if (shared != nullptr && (!url || url->empty())) {
    // A broken config is still an error; a missing url is not.
    if (Error err = cfg.main_option("url", "").error()) return err;
    url = url_of_connection(shared);
  }
  if (!url) return url.take_error();
  if (url->empty()) {
    return Error(
        ErrorCategory::kConfig,
        fmt::format("no 'url' key in section [{}] of '{}'", cfg.config_ini_section(),
                    cfg.config_file_name().empty() ? "the configuration" : cfg.config_file_name()),
        "set url, e.g. url = sqlite:///%(here)s/app.db");
  }
  auto parsed = DatabaseUrl::parse(std::move(*url));
  if (!parsed) return parsed.take_error();
  auto dialect = Dialect::for_url(*parsed, cfg);
  if (!dialect) return dialect.take_error();
  Database db = database_at(std::move(*parsed), std::move(*dialect), shared);
  db.env = std::move(env);
  return db;
}

Database database_at(DatabaseUrl url, Dialect dialect, void* shared) {
  url.show_as(dialect.redact(url));
  return Database{std::move(url), std::move(dialect), shared, nullptr};
}

std::string version_table(const Config& cfg) {
  std::string table = cfg.get_main_option("version_table", "");
  return table.empty() ? "retort_version" : table;
}

Expected<std::vector<std::string>> database_names(const Config& cfg) {
  auto value = cfg.main_option("databases", "");
  if (!value) return value.take_error();
  std::vector<std::string> names;
  std::string item;
  for (char ch : *value + ",") {
    if (ch != ',' && ch != ' ' && ch != '\t' && ch != '\n') {
      item += ch;
      continue;
    }
    if (item.empty()) continue;
    const bool identifier = !std::isdigit(static_cast<unsigned char>(item[0])) &&
                            std::all_of(item.begin(), item.end(), [](char c) {
                              return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                            });
    if (!identifier) {
      return Error(
          ErrorCategory::kConfig,
          fmt::format("database name '{}' in the databases option is not an identifier", item),
          "use letters, digits and '_', e.g. databases = engine1, engine2");
    }
    if (std::find(names.begin(), names.end(), item) == names.end()) names.push_back(item);
    item.clear();
  }
  return names;
}

Expected<Database> named_database(const Config& cfg, const std::string& name,
                                  std::shared_ptr<const EnvironmentSettings> env) {
  auto url = cfg.get_section_option(name, "url");
  if (!url || url->empty()) {
    return Error(
        ErrorCategory::kConfig,
        fmt::format("no 'url' key in section [{}] of '{}'", name,
                    cfg.config_file_name().empty() ? "the configuration" : cfg.config_file_name()),
        fmt::format("each database the databases option names needs its section, e.g. "
                    "[{}] url = sqlite:///%(here)s/{}.db",
                    name, name));
  }
  auto parsed = DatabaseUrl::parse(std::move(*url));
  if (!parsed) return parsed.take_error();
  auto dialect = Dialect::for_url(*parsed, cfg);
  if (!dialect) return dialect.take_error();
  Database db = database_at(std::move(*parsed), std::move(*dialect));
  db.env = std::move(env);
  return db;
}

std::string version_table(const Config& cfg, const Database& db) {
  if (db.env && db.env->version_table) return *db.env->version_table;
  return version_table(cfg);
}

Expected<std::string> history_table(const Config& cfg) {
  std::string table = cfg.get_main_option("history_table", "");
  if (table.empty()) return std::string("retort_history");
  const bool plain = (table[0] >= 'a' && table[0] <= 'z') || table[0] == '_';
  if (!plain || table.size() > 30 ||
      table.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    return Error(ErrorCategory::kConfig,
                 fmt::format("history_table '{}' is not a plain lower-case name", table),
                 "use letters a-z, digits and '_', at most 30 characters, e.g. history_table = "
                 "app_retort_history");
  }
  return table;
}

}  // namespace retort::detail
