#include "plugin/host_dialect.hpp"

#include "plugin/dialect_catalog.hpp"
#include "plugin/plugin_loader.hpp"

#include <retort/shorten.hpp>
#include <retort/sink.hpp>
#include <retort/url.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {
namespace {

// ABI 1.0's retort_dialect ends with redact_url; a smaller table is not one.
constexpr uint32_t kMinimumTableSize =
    offsetof(retort_dialect, redact_url) + sizeof(retort_dialect::redact_url);

std::string operation_name(uint32_t kind) {
  switch (kind) {
    case RETORT_OP_CREATE_TABLE:
      return "create_table";
    case RETORT_OP_DROP_TABLE:
      return "drop_table";
    case RETORT_OP_ADD_COLUMN:
      return "add_column";
    case RETORT_OP_DROP_COLUMN:
      return "drop_column";
    case RETORT_OP_CREATE_INDEX:
      return "create_index";
    case RETORT_OP_DROP_INDEX:
      return "drop_index";
    case RETORT_OP_EXECUTE:
      return "execute";
    case RETORT_OP_RENAME_TABLE:
      return "rename_table";
    case RETORT_OP_ALTER_COLUMN:
      return "alter_column";
    case RETORT_OP_CREATE_CONSTRAINT:
      return "create_constraint";
    case RETORT_OP_DROP_CONSTRAINT:
      return "drop_constraint";
    case RETORT_OP_CREATE_TABLE_COMMENT:
      return "create_table_comment";
    case RETORT_OP_DROP_TABLE_COMMENT:
      return "drop_table_comment";
    case RETORT_OP_BULK_INSERT:
      return "bulk_insert";
    case RETORT_OP_CREATE_VERSION_TABLE:
      return "create_version_table";
    case RETORT_OP_INSERT_VERSION:
      return "insert_version";
    case RETORT_OP_UPDATE_VERSION:
      return "update_version";
    case RETORT_OP_DELETE_VERSION:
      return "delete_version";
    case RETORT_OP_SELECT_VERSIONS:
      return "select_versions";
  }
  return fmt::format("operation {}", kind);
}

// Removes any trace of the URL's password from a plugin's message, in case a
// third-party dialect forgot the rule.
std::string scrub(std::string message, const DatabaseUrl& url) {
  for (const std::string& secret : url.secrets()) {
    if (secret.empty()) continue;
    for (size_t pos = message.find(secret); pos != std::string::npos;
         pos = message.find(secret, pos + 3)) {
      message.replace(pos, secret.size(), "***");
    }
  }
  return message;
}

std::string statement_text(const char* text) { return text != nullptr ? text : ""; }

}  // namespace

Expected<Dialect> Dialect::load(const std::string& path) {
  Expected<LoadedPlugin> plugin = load_plugin(path, RETORT_KIND_DIALECT);
  if (!plugin) return plugin.take_error();
  const auto* raw = static_cast<const retort_dialect*>(plugin->descriptor.table);
  const std::string what = fmt::format("dialect '{}' from '{}'", plugin->descriptor.name, path);
  if (raw->struct_size < kMinimumTableSize) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("cannot load {}: its function table is {} bytes, smaller than ABI "
                             "1.0's {}",
                             what, raw->struct_size, kMinimumTableSize),
                 "rebuild the plugin against this retort SDK");
  }
  Dialect dialect;
  dialect.name_ = plugin->descriptor.name;
  dialect.path_ = path;
  dialect.version_ = plugin->descriptor.version != nullptr ? plugin->descriptor.version : "";
  dialect.abi_major_ = plugin->descriptor.abi_major;
  dialect.abi_minor_ = plugin->descriptor.abi_minor;
  std::memcpy(&dialect.table_, raw, std::min<size_t>(raw->struct_size, sizeof(retort_dialect)));
  dialect.capabilities_ = DialectCapabilities::of(dialect.abi_major_, dialect.abi_minor_,
                                                  dialect.table_.flags, raw->struct_size);
  if (dialect.table_.url_schemes == nullptr || dialect.table_.render == nullptr) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("cannot load {}: its function table has no URL schemes or no "
                             "render function",
                             what),
                 "rebuild the plugin against this retort SDK");
  }
  return dialect;
}

Expected<Dialect> Dialect::for_url(const DatabaseUrl& url, const Config& cfg) {
  return find_dialect(url.dialect_scheme(), cfg);
}

std::vector<std::string> Dialect::url_schemes() const {
  std::vector<std::string> schemes;
  for (const char* const* s = table_.url_schemes; s != nullptr && *s != nullptr; ++s) {
    schemes.emplace_back(*s);
  }
  return schemes;
}

std::string Dialect::statement_terminator() const {
  return statement_text(table_.statement_terminator);
}
std::string Dialect::batch_separator() const { return statement_text(table_.batch_separator); }
std::string Dialect::begin_transaction() const { return statement_text(table_.begin_transaction); }
std::string Dialect::commit_transaction() const {
  return statement_text(table_.commit_transaction);
}

Expected<std::string> Dialect::connection_string(const DatabaseUrl& url) const {
  if (const auto& direct = url.direct_connection_string()) return *direct;
  if (table_.connection_string == nullptr) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("dialect '{}' cannot connect to a database", name_),
                 "use --sql, or a dialect plugin that can connect");
  }
  StringSink out;
  StringSink error;
  const std::string& text = url.text();
  const int status = table_.connection_string(text.data(), text.size(), out.get(), error.get());
  if (status == RETORT_OK) return out.str();
  const std::string message = fmt::format("dialect '{}' cannot connect to '{}': {}", name_,
                                          url.redacted(), scrub(error.str(), url));
  if (status == RETORT_INVALID) {
    return Error(ErrorCategory::kConfig, message, "fix the database URL");
  }
  return Error(ErrorCategory::kDatabase, message);
}

std::string Dialect::redact(const DatabaseUrl& url) const {
  if (url.names_odbc_connection() || url.scheme() == "odbc") return url.redacted();
  if (table_.redact_url != nullptr) {
    StringSink out;
    const std::string& text = url.text();
    if (table_.redact_url(text.data(), text.size(), out.get()) == RETORT_OK) {
      // Trust but verify: a redaction that still holds the password is not one.
      const std::vector<std::string>& secrets = url.secrets();
      if (secrets.empty() || out.str().find(secrets.front()) == std::string::npos) {
        return out.str();
      }
    }
  }
  return retort::redact(url.text());
}

Expected<std::vector<std::string>> Dialect::render(const retort_operation& op, const QueryFn* query,
                                                   int* status_out) const {
  struct Collector {
    std::vector<std::string> statements;
    bool out_of_memory = false;
    const QueryFn* query = nullptr;
    Error query_error;
  } collector;
  collector.query = query;
  auto collect = [](void* ctx, const char* sql, size_t size) -> int {
    auto* c = static_cast<Collector*>(ctx);
    try {
      c->statements.emplace_back(sql, size);
      return RETORT_OK;
    } catch (const std::bad_alloc&) {
      c->out_of_memory = true;
      return RETORT_ABORTED;
    }
  };
  auto run_query = [](void* ctx, const char* sql, size_t size, const retort_row_sink* rows) -> int {
    auto* c = static_cast<Collector*>(ctx);
    try {
      return forward_rows((*c->query)(std::string(sql, size)), rows, c->query_error);
    } catch (const std::bad_alloc&) {
      c->out_of_memory = true;
      return RETORT_ERROR;
    }
  };
  retort_statement_sink sink{sizeof(retort_statement_sink), &collector, collect, nullptr};
  if (query != nullptr) sink.query = run_query;
  StringSink error;
  const int status = table_.render(&op, &sink, error.get());
  if (status_out != nullptr) *status_out = status;
  if (status == RETORT_OK) return std::move(collector.statements);
  if (collector.query_error) return std::move(collector.query_error);
  std::string reason = collector.out_of_memory ? "out of memory" : error.str();
  if (reason.empty()) reason = fmt::format("status {} without a message", status);
  return Error(ErrorCategory::kDatabase, fmt::format("dialect '{}' cannot render {}: {}", name_,
                                                     operation_name(op.kind), reason));
}

std::optional<bool> Dialect::type_differs(const retort_column& model,
                                          const std::string& reflected) const {
  if (!capabilities_.compare_type || table_.compare_type == nullptr) {
    return std::nullopt;
  }
  int differs = 0;
  StringSink error;
  if (table_.compare_type(&model, to_str(reflected), &differs, error.get()) != RETORT_OK) {
    return std::nullopt;
  }
  return differs != 0;
}

int forward_rows(Expected<Rows> result, const retort_row_sink* rows, Error& error) {
  if (!result) {
    error = result.take_error();
    return RETORT_ERROR;
  }
  if (rows == nullptr || rows->row == nullptr) return RETORT_OK;
  std::vector<retort_str> values;
  for (const auto& row : *result) {
    values.clear();
    for (const auto& value : row) values.push_back(value ? to_str(*value) : retort_str{nullptr, 0});
    const int status = rows->row(rows->ctx, values.data(), values.size());
    if (status != RETORT_OK) {
      error = Error(ErrorCategory::kPlugin, "a plugin stopped reading the rows of a query");
      return status;
    }
  }
  return RETORT_OK;
}

}  // namespace retort
