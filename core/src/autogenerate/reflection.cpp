#include "autogenerate/reflection.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>

namespace retort::autogenerate {
namespace {

using Row = std::vector<std::optional<std::string>>;

std::string text(const Row& row, size_t i) {
  return i < row.size() && row[i] ? *row[i] : std::string();
}
std::optional<std::string> maybe(const Row& row, size_t i) {
  return i < row.size() ? row[i] : std::nullopt;
}
bool flag(const Row& row, size_t i) {
  const std::string v = text(row, i);
  return v == "1" || v == "t" || v == "true" || v == "YES" || v == "Y";
}
int number(const Row& row, size_t i) {
  try {
    return std::stoi(text(row, i));
  } catch (const std::exception&) {
    return 0;
  }
}
Referential referential(const Row& row, size_t i) {
  const int code = number(row, i);
  if (code < 0 || code > RETORT_REFERENTIAL_NO_ACTION) return Referential::kUnspecified;
  return static_cast<Referential>(code);
}
std::optional<std::string> non_empty(std::optional<std::string> s) {
  if (s && s->empty()) return std::nullopt;
  return s;
}

Error bad_row(const std::string& table, const std::string& what) {
  return Error(ErrorCategory::kPlugin,
               fmt::format("the catalog of table '{}' has a malformed {} row", table, what),
               "the dialect's catalog queries must return the columns abi.h lists");
}

// ODBC's SQL_CASCADE 0, SQL_RESTRICT 1, SQL_SET_NULL 2, SQL_NO_ACTION 3,
// SQL_SET_DEFAULT 4, as RETORT_REFERENTIAL_*.
std::optional<std::string> odbc_rule(const std::optional<std::string>& rule) {
  if (!rule) return std::nullopt;
  static const int kMap[] = {RETORT_REFERENTIAL_CASCADE, RETORT_REFERENTIAL_RESTRICT,
                             RETORT_REFERENTIAL_SET_NULL, RETORT_REFERENTIAL_NO_ACTION,
                             RETORT_REFERENTIAL_SET_DEFAULT};
  const int code = std::atoi(rule->c_str());
  if (code < 0 || code > 4) return std::nullopt;
  return std::to_string(kMap[code]);
}

}  // namespace

Expected<TableInfo> table_from_rows(const std::string& name, std::optional<std::string> comment,
                                    const Rows& columns, const Rows& constraints,
                                    const Rows& indexes) {
  TableInfo table;
  table.name = name;
  table.comment = non_empty(std::move(comment));
  for (const Row& row : columns) {
    if (row.size() < 6 || !row[0]) return bad_row(name, "column");
    ColumnInfo column;
    column.name = *row[0];
    column.type = Custom(text(row, 1));
    column.nullable = flag(row, 2);
    column.server_default = maybe(row, 3);
    column.default_is_expression = column.server_default.has_value();
    column.comment = non_empty(maybe(row, 4));
    column.autoincrement = flag(row, 5);
    table.columns.push_back(std::move(column));
  }
  std::string last_kind;
  std::optional<std::string> last_name;
  int last_position = 0;
  for (const Row& row : constraints) {
    if (row.size() < 10 || !row[0]) return bad_row(name, "constraint");
    const std::string kind = *row[0];
    const std::optional<std::string> cname = non_empty(maybe(row, 1));
    const int position = number(row, 2);
    const bool starts = kind != last_kind || cname != last_name || position <= last_position;
    last_kind = kind;
    last_name = cname;
    last_position = position;
    const std::string column = text(row, 3);
    if (kind == "p") {
      if (starts) table.primary_key = KeyInfo{cname, {}};
      table.primary_key->columns.push_back(column);
    } else if (kind == "u") {
      if (starts) table.uniques.push_back(KeyInfo{cname, {}});
      table.uniques.back().columns.push_back(column);
    } else if (kind == "f") {
      if (starts) {
        table.foreign_keys.push_back(ForeignKeyInfo{cname,
                                                    {},
                                                    non_empty(maybe(row, 4)),
                                                    text(row, 5),
                                                    {},
                                                    referential(row, 7),
                                                    referential(row, 8)});
      }
      table.foreign_keys.back().columns.push_back(column);
      table.foreign_keys.back().referred_columns.push_back(text(row, 6));
    } else if (kind == "c") {
      table.checks.push_back(CheckInfo{cname, text(row, 9)});
    } else {
      return bad_row(name, "constraint");
    }
  }
  if (table.primary_key) {
    for (ColumnInfo& column : table.columns) {
      const auto& key = table.primary_key->columns;
      if (std::find(key.begin(), key.end(), column.name) != key.end()) column.nullable = false;
    }
  }
  for (const Row& row : indexes) {
    if (row.size() < 6 || !row[0]) return bad_row(name, "index");
    if (table.indexes.empty() || table.indexes.back().name != *row[0] || number(row, 2) <= 1) {
      IndexInfo index;
      index.name = *row[0];
      index.unique = flag(row, 1);
      index.where = text(row, 5);
      table.indexes.push_back(std::move(index));
    }
    table.indexes.back().elements.push_back(text(row, 3));
    table.indexes.back().expression.push_back(flag(row, 4));
  }
  return table;
}

Rows odbc_tables_as_rows(const Rows& tables) {
  Rows out;
  for (const Row& row : tables) {
    const std::string name = text(row, 2);
    if (name.empty() || name.rfind("sqlite_", 0) == 0) continue;
    out.push_back({name, non_empty(maybe(row, 4))});
  }
  return out;
}

Rows odbc_columns_as_rows(const Rows& columns) {
  Rows out;
  for (const Row& row : columns) {
    // NULLABLE (10): SQL_NO_NULLS 0, SQL_NULLABLE 1.
    out.push_back({maybe(row, 3), maybe(row, 5), std::string(text(row, 10) == "0" ? "0" : "1"),
                   maybe(row, 12), non_empty(maybe(row, 11)), std::string("0")});
  }
  return out;
}

Rows odbc_keys_as_rows(const Rows& primary_keys, const Rows& foreign_keys) {
  Rows out;
  for (const Row& row : primary_keys) {
    out.push_back({std::string("p"), maybe(row, 5), maybe(row, 4), maybe(row, 3), std::nullopt,
                   std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  }
  for (const Row& row : foreign_keys) {
    out.push_back({std::string("f"), maybe(row, 11), maybe(row, 8), maybe(row, 7), std::nullopt,
                   maybe(row, 2), maybe(row, 3), odbc_rule(maybe(row, 9)),
                   odbc_rule(maybe(row, 10)), std::nullopt});
  }
  return out;
}

Rows odbc_statistics_as_rows(const Rows& statistics, const Rows& primary_keys) {
  std::vector<std::string> key;
  for (const Row& row : primary_keys) key.push_back(text(row, 3));
  // The primary key's own index is not an index of the model.
  std::map<std::string, std::vector<std::string>> columns_of;
  for (const Row& row : statistics) {
    if (text(row, 6) != "0") columns_of[text(row, 5)].push_back(text(row, 8));
  }
  Rows out;
  for (const Row& row : statistics) {
    if (text(row, 6) == "0" || !row[5]) continue;  // TYPE 0: table statistics
    if (!key.empty() && columns_of[text(row, 5)] == key) continue;
    out.push_back({maybe(row, 5), std::string(text(row, 3) == "0" ? "1" : "0"), maybe(row, 7),
                   maybe(row, 8), std::string("0"), maybe(row, 12)});
  }
  return out;
}

namespace {

retort_operation reflect_op(uint32_t kind, const std::optional<std::string>& schema,
                            const std::string& table) {
  retort_operation op{};
  op.struct_size = sizeof(retort_operation);
  op.kind = kind;
  op.schema = schema ? to_str(*schema) : retort_str{nullptr, 0};
  op.table = table.empty() ? retort_str{nullptr, 0} : to_str(table);
  return op;
}

// The rows of the dialect's query for `kind`, or nullopt when it has none.
Expected<std::optional<Rows>> dialect_rows(const Dialect& dialect, OdbcConnection& connection,
                                           uint32_t kind, const std::optional<std::string>& schema,
                                           const std::string& table) {
  if (!dialect.capabilities().catalog) return std::optional<Rows>();
  Dialect::QueryFn query = [&](const std::string& sql) { return connection.query(sql); };
  int status = RETORT_OK;
  auto statements = dialect.render(reflect_op(kind, schema, table), &query, &status);
  // A dialect that does not know the operation (a C plugin's switch) reads
  // as one that renders nothing.
  if (!statements && status == RETORT_UNSUPPORTED) return std::optional<Rows>();
  if (!statements) return statements.take_error();
  if (statements->empty()) return std::optional<Rows>();
  Rows rows;
  for (const std::string& sql : *statements) {
    auto part = connection.query(sql);
    if (!part) return part.take_error();
    for (auto& row : *part) rows.push_back(std::move(row));
  }
  return std::optional<Rows>(std::move(rows));
}

Expected<Rows> catalog(OdbcConnection& connection, OdbcConnection::Catalog which,
                       const std::string& table) {
  return connection.catalog(which, table);
}

}  // namespace

Expected<Schema> reflect_schema(const Dialect& dialect, OdbcConnection& connection,
                                const std::function<bool(const std::string&)>& include,
                                const std::optional<std::string>& schema) {
  using C = OdbcConnection::Catalog;
  auto tables = dialect_rows(dialect, connection, RETORT_OP_REFLECT_TABLES, schema, {});
  if (!tables) return tables.take_error();
  Rows table_rows;
  if (*tables) {
    table_rows = std::move(**tables);
  } else if (schema) {
    return Error(ErrorCategory::kPlugin,
                 fmt::format("dialect '{}' has no catalog queries to read schema '{}' with",
                             dialect.name(), *schema),
                 "leave the schema out of the model's tables, or use a dialect of ABI 1.3");
  } else {
    auto odbc = catalog(connection, C::kTables, {});
    if (!odbc) return odbc.take_error();
    table_rows = odbc_tables_as_rows(*odbc);
  }
  std::sort(table_rows.begin(), table_rows.end());
  Schema out;
  for (const Row& t : table_rows) {
    const std::string name = text(t, 0);
    if (name.empty() || !include(name)) continue;
    auto columns = dialect_rows(dialect, connection, RETORT_OP_REFLECT_COLUMNS, schema, name);
    if (!columns) return columns.take_error();
    if (!*columns) {
      auto odbc = catalog(connection, C::kColumns, name);
      if (!odbc) return odbc.take_error();
      *columns = odbc_columns_as_rows(*odbc);
    }
    Rows primary_keys;
    auto constraints =
        dialect_rows(dialect, connection, RETORT_OP_REFLECT_CONSTRAINTS, schema, name);
    if (!constraints) return constraints.take_error();
    auto indexes = dialect_rows(dialect, connection, RETORT_OP_REFLECT_INDEXES, schema, name);
    if (!indexes) return indexes.take_error();
    if (!*constraints || !*indexes) {
      auto pk = catalog(connection, C::kPrimaryKeys, name);
      if (!pk) return pk.take_error();
      primary_keys = std::move(*pk);
    }
    if (!*constraints) {
      auto fk = catalog(connection, C::kForeignKeys, name);
      if (!fk) return fk.take_error();
      *constraints = odbc_keys_as_rows(primary_keys, *fk);
    }
    if (!*indexes) {
      auto stats = catalog(connection, C::kStatistics, name);
      if (!stats) return stats.take_error();
      *indexes = odbc_statistics_as_rows(*stats, primary_keys);
    }
    auto table = table_from_rows(name, maybe(t, 1), **columns, **constraints, **indexes);
    if (!table) return table.take_error();
    table->schema = schema;
    out.tables.push_back(std::move(*table));
  }
  return out;
}

}  // namespace retort::autogenerate
