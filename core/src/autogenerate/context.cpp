// Context: the dialect and a connection, to read the catalog; and
// compare_metadata, the model against it.
#include <retort/autogenerate.hpp>
#include <retort/log.hpp>

#include "autogenerate/reflection.hpp"
#include "db/odbc_connection.hpp"
#include "plugin/host_dialect.hpp"
#include "runtime/run_config.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <set>

namespace retort::autogenerate {

struct Context::Impl {
  Dialect dialect;
  OdbcConnection connection;
  CompareOptions options;
};

Context::Context(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Context::Context(Context&&) noexcept = default;
Context& Context::operator=(Context&&) noexcept = default;
Context::~Context() = default;

Expected<Context> Context::connect(const Config& cfg) { return connect(cfg, std::string()); }

Expected<Context> Context::connect(const Config& cfg, const std::string& url) {
  auto env = std::make_shared<EnvironmentSettings>();
  if (!url.empty()) env->url = url;
  auto db = detail::database(cfg, std::move(env));
  if (!db) return db.take_error();
  // The application's connection when it shared one (Config::attributes()).
  auto connection = detail::open_connection(*db);
  if (!connection) return connection.take_error();
  auto history = detail::history_table(cfg);
  if (!history) return history.take_error();
  CompareOptions options;
  options.exclude_tables.push_back(detail::version_table(cfg));
  options.exclude_tables.push_back(*history);
  if (auto excluded = cfg.get_main_option("autogenerate_exclude")) {
    std::string item;
    for (char ch : *excluded + " ") {
      if (ch == ' ' || ch == ',' || ch == '\n' || ch == '\t') {
        if (!item.empty()) options.exclude_tables.push_back(item);
        item.clear();
      } else {
        item += ch;
      }
    }
  }
  if (auto v = cfg.get_main_option("compare_server_default")) {
    options.compare_server_default = *v == "true" || *v == "1";
  }
  options.compare_comments = db->dialect.capabilities().comments;
  return Context(std::unique_ptr<Impl>(
      new Impl{std::move(db->dialect), std::move(*connection), std::move(options)}));
}

Expected<Schema> Context::reflect(const std::optional<std::string>& schema) {
  const CompareOptions& options = impl_->options;
  auto include = [&](const std::string& name) {
    for (const std::string& pattern : options.exclude_tables) {
      if (pattern == name) return false;
    }
    return true;
  };
  return reflect_schema(impl_->dialect, impl_->connection, include, schema);
}

TypeComparator Context::type_comparator() const {
  const Dialect* dialect = &impl_->dialect;
  return [dialect](const ColumnInfo& model, const ColumnInfo& reflected) -> std::optional<bool> {
    retort_column c{};
    c.struct_size = sizeof(retort_column);
    c.name = to_str(model.name);
    c.type = model.type.code;
    c.length = model.type.length;
    c.precision = model.type.precision;
    c.scale = model.type.scale;
    c.type_name = model.type.name.empty() ? retort_str{nullptr, 0} : to_str(model.type.name);
    c.flags = model.nullable ? 0u : RETORT_COLUMN_NOT_NULL;
    return dialect->type_differs(c, reflected.type.name);
  };
}

CompareOptions& Context::options() { return impl_->options; }

Expected<std::vector<Change>> compare_metadata(Context& context, const std::vector<Table>& model) {
  auto declared = schema_of(model);
  if (!declared) return declared.take_error();
  return compare_metadata(context, *declared);
}

Expected<std::vector<Change>> compare_metadata(Context& context, const Schema& model) {
  auto database = context.reflect();
  if (!database) return database.take_error();
  // The schemas the model names, each read as well.
  std::set<std::string> schemas;
  for (const TableInfo& t : model.tables) {
    if (t.schema) schemas.insert(*t.schema);
  }
  for (const std::string& name : schemas) {
    auto more = context.reflect(name);
    if (!more) return more.take_error();
    for (TableInfo& t : more->tables) database->tables.push_back(std::move(t));
  }
  std::vector<std::string> notes;
  auto changes =
      compare_schemas(*database, model, context.type_comparator(), context.options(), &notes);
  for (const std::string& note : notes) log(LogLevel::kWarning, note);
  return changes;
}

}  // namespace retort::autogenerate
