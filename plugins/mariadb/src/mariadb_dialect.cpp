// mariadb_native's rendering. Each DDL statement carries IF [NOT] EXISTS so
// that a revision that failed half-way (MariaDB commits DDL at once) can be
// run again: the statements that already ran become notes, not errors.
#include "mariadb_dialect.hpp"

#include <string>
#include <string_view>

#ifndef MARIADB_NATIVE_VERSION
#define MARIADB_NATIVE_VERSION "1.0.0"
#endif

namespace mariadb_native {
namespace {

using retort::DialectError;
using retort::in_quotes;
using retort::Statements;
using retort::to_view;

// The host's message already names the dialect and the operation.
[[noreturn]] void refuse() {
  throw DialectError::unsupported(
      "not implemented by this plugin; use op.execute(...) or the "
      "built-in mysql dialect (mysql:// URLs)");
}

}  // namespace

// ---- Types and columns -------------------------------------------------------

std::string MariadbDialect::type_name(const retort_column& column) const {
  const std::string name = in_quotes(column_name(column));
  switch (column.type) {
    case RETORT_TYPE_STRING:
    case RETORT_TYPE_UNICODE:
    case RETORT_TYPE_ENUM:
      if (column.length <= 0) {
        throw DialectError::unsupported("column " + name +
                                        ": a MariaDB VARCHAR needs a length; give String(n) or "
                                        "use Text");
      }
      return "VARCHAR(" + std::to_string(column.length) + ")";
    // The unbounded types: TEXT and BLOB stop at 64 KiB on MariaDB.
    case RETORT_TYPE_TEXT:
      return "LONGTEXT";
    case RETORT_TYPE_BINARY:
      return column.length == 0 ? "LONGBLOB" : SqlDialect::type_name(column);
    // TIMESTAMP is MariaDB's time-zone-converted, 2038-bounded type.
    case RETORT_TYPE_DATETIME:
      return "DATETIME";
    case RETORT_TYPE_BOOLEAN:
      return "BOOL";
    // Native since MariaDB 10.7: 16 bytes, written and read as text.
    case RETORT_TYPE_UUID:
      return "UUID";
    case RETORT_TYPE_INTERVAL:
      throw DialectError::unsupported("column " + name +
                                      ": MariaDB has no INTERVAL type; use Custom(\"...\")");
  }
  return SqlDialect::type_name(column);
}

std::string MariadbDialect::column_definition(const retort_column& column) const {
  std::string out = SqlDialect::column_definition(column);
  if (!retort::is_absent(column.comment))
    out += " COMMENT " + quote_literal(to_view(column.comment));
  return out;
}

// MariaDB 10.2 and later take any default expression in parentheses.
std::string MariadbDialect::default_expression(std::string_view expression) const {
  return "(" + std::string(expression) + ")";
}

std::string MariadbDialect::autoincrement_clause(const retort_column& column) const {
  if (!is_integer_type(column.type)) {
    throw DialectError::unsupported("column " + in_quotes(column_name(column)) +
                                    ": MariaDB autoincrements only integer columns");
  }
  return "AUTO_INCREMENT";
}

// ---- Tables and columns ------------------------------------------------------

Statements MariadbDialect::render_create_table(const retort_operation& op) const {
  const std::string table = table_name(op);
  if (op.column_count == 0) {
    throw DialectError::invalid("table " + in_quotes(to_view(op.table)) + " has no columns");
  }
  std::vector<std::string> lines;
  for (size_t i = 0; i < op.column_count; ++i) lines.push_back(column_definition(*op.columns[i]));
  for (std::string& constraint : table_constraints(op)) lines.push_back(std::move(constraint));
  std::string statement = "CREATE TABLE IF NOT EXISTS " + table + " (\n    " +
                          retort::detail::join(lines, ",\n    ") + "\n)";
  if (!retort::is_absent(op.comment)) statement += " COMMENT=" + quote_literal(to_view(op.comment));
  return {statement};
}

Statements MariadbDialect::render_drop_table(const retort_operation& op) const {
  return {"DROP TABLE IF EXISTS " + table_name(op)};
}

Statements MariadbDialect::render_add_column(const retort_operation& op) const {
  const std::string table = table_name(op);
  const retort_column& column = added_column(op);
  std::string definition = column_definition(column);
  // AUTO_INCREMENT needs a key, which a lone new column can only be inline.
  if ((column.flags & RETORT_COLUMN_PRIMARY_KEY) != 0) definition += " PRIMARY KEY";
  return {"ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS " + definition};
}

Statements MariadbDialect::render_drop_column(const retort_operation& op) const {
  const std::string table = table_name(op);
  return {"ALTER TABLE " + table + " DROP COLUMN IF EXISTS " +
          quote_identifier(required(op.name, "column name"))};
}

// ---- Indexes -----------------------------------------------------------------

Statements MariadbDialect::render_create_index(const retort_operation& op) const {
  const std::string index = quote_identifier(required(op.name, "index name"));
  if (!retort::is_absent(op.condition)) {
    throw DialectError::unsupported("index " + in_quotes(to_view(op.name)) +
                                    ": MariaDB has no partial indexes (WHERE)");
  }
  for (size_t i = 0; op.column_name_flags != nullptr && i < op.column_name_count; ++i) {
    if ((op.column_name_flags[i] & RETORT_ELEMENT_EXPRESSION) != 0) {
      throw DialectError::unsupported("index " + in_quotes(to_view(op.name)) +
                                      ": MariaDB indexes columns, not expressions; index a "
                                      "generated column instead");
    }
  }
  const char* create = (op.flags & RETORT_INDEX_UNIQUE) != 0 ? "CREATE UNIQUE INDEX IF NOT EXISTS "
                                                             : "CREATE INDEX IF NOT EXISTS ";
  return {
      create + index + " ON " + table_name(op) + " " +
      column_list(op.column_names, op.column_name_count, "index " + in_quotes(to_view(op.name)))};
}

// An index name is unique per table on MariaDB, so DROP INDEX needs the table.
Statements MariadbDialect::render_drop_index(const retort_operation& op) const {
  const std::string index = quote_identifier(required(op.name, "index name"));
  if (to_view(op.table).empty()) {
    throw DialectError::invalid("drop_index " + in_quotes(to_view(op.name)) +
                                " needs its table on MariaDB: op.drop_index(name, table)");
  }
  return {"DROP INDEX IF EXISTS " + index + " ON " + table_name(op)};
}

// ---- Refused -----------------------------------------------------------------

Statements MariadbDialect::render_rename_table(const retort_operation&) const { refuse(); }
Statements MariadbDialect::render_alter_column(const retort_operation&) const { refuse(); }
Statements MariadbDialect::render_create_constraint(const retort_operation&) const { refuse(); }
Statements MariadbDialect::render_drop_constraint(const retort_operation&) const { refuse(); }
Statements MariadbDialect::render_create_table_comment(const retort_operation&) const { refuse(); }
Statements MariadbDialect::render_drop_table_comment(const retort_operation&) const { refuse(); }
Statements MariadbDialect::render_bulk_insert(const retort_operation&) const { refuse(); }

}  // namespace mariadb_native

RETORT_DIALECT(mariadb_native::MariadbDialect, "mariadb_native", MARIADB_NATIVE_VERSION)
