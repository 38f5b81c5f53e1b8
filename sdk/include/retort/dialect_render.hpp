// SqlDialect's generic rendering: types, columns, one renderer per family of
// operations, and the version table. Part of dialect.hpp; include that.
#ifndef RETORT_DIALECT_RENDER_HPP
#define RETORT_DIALECT_RENDER_HPP

#include <retort/dialect.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace retort {
inline namespace abi1 {

// A column's length (0: none given); refuses a negative one.
inline int32_t checked_length(const retort_column& column) {
  if (column.length < 0) {
    throw DialectError::invalid("column " + in_quotes(to_view(column.name)) +
                                " has a negative length");
  }
  return column.length;
}

namespace detail {

inline std::string sized_type(std::string_view base, const retort_column& column) {
  if (checked_length(column) == 0) return std::string(base);
  return std::string(base) + "(" + std::to_string(column.length) + ")";
}

inline std::string numeric_type(const retort_column& column) {
  const std::string name = in_quotes(to_view(column.name));
  if (column.precision < 0 || column.scale < 0) {
    throw DialectError::invalid("column " + name + " has a negative precision or scale");
  }
  if (column.precision == 0 && column.scale != 0) {
    throw DialectError::invalid("column " + name + " has a numeric scale but no precision");
  }
  if (column.precision == 0) return "NUMERIC";
  if (column.scale == 0) return "NUMERIC(" + std::to_string(column.precision) + ")";
  return "NUMERIC(" + std::to_string(column.precision) + ", " + std::to_string(column.scale) + ")";
}

inline std::string custom_type(const retort_column& column) {
  if (to_view(column.type_name).empty()) {
    throw DialectError::invalid("column " + in_quotes(to_view(column.name)) +
                                " has a custom type with no type name");
  }
  return std::string(to_view(column.type_name));
}

inline void append_clause(std::string& out, const std::string& clause) {
  if (clause.empty()) return;
  out += ' ';
  out += clause;
}

// The version table's one column, as Alembic names it.
inline constexpr std::string_view kVersionColumn = "version_num";

}  // namespace detail

// ---- Types and columns -------------------------------------------------------

inline std::string SqlDialect::type_name(const retort_column& column) const {
  switch (column.type) {
    case RETORT_TYPE_INTEGER:
      return "INTEGER";
    case RETORT_TYPE_SMALLINT:
      return "SMALLINT";
    case RETORT_TYPE_BIGINT:
      return "BIGINT";
    case RETORT_TYPE_NUMERIC:
      return detail::numeric_type(column);
    case RETORT_TYPE_FLOAT:
      return "FLOAT";
    case RETORT_TYPE_STRING:
      return detail::sized_type("VARCHAR", column);
    case RETORT_TYPE_TEXT:
      return "TEXT";
    case RETORT_TYPE_UNICODE:
      return detail::sized_type("VARCHAR", column);
    case RETORT_TYPE_BOOLEAN:
      return "BOOLEAN";
    case RETORT_TYPE_DATE:
      return "DATE";
    case RETORT_TYPE_DATETIME:
      return "TIMESTAMP";
    case RETORT_TYPE_TIME:
      return "TIME";
    case RETORT_TYPE_INTERVAL:
      return "INTERVAL";
    case RETORT_TYPE_BINARY:
      return column.length == 0 ? "BLOB" : detail::sized_type("VARBINARY", column);
    case RETORT_TYPE_JSON:
      return "JSON";
    // 32 hex digits, as SQLAlchemy stores a UUID where there is no native type.
    case RETORT_TYPE_UUID:
      return "CHAR(32)";
    // The ABI carries no enum values, so no CHECK can be derived; the
    // revision may give the longest value's length.
    case RETORT_TYPE_ENUM:
      return detail::sized_type("VARCHAR", column);
    case RETORT_TYPE_CUSTOM:
      return detail::custom_type(column);
  }
  throw DialectError::unsupported("column " + in_quotes(column_name(column)) +
                                  " has unknown type code " + std::to_string(column.type));
}

inline std::string SqlDialect::column_definition(const retort_column& column) const {
  if (column_name(column).empty()) throw DialectError::invalid("a column has no name");
  std::string out = quote_identifier(column_name(column));
  detail::append_clause(out, type_name(column));
  detail::append_clause(out, default_clause(column));
  if ((column.flags & RETORT_COLUMN_AUTOINCREMENT) != 0) {
    detail::append_clause(out, autoincrement_clause(column));
  }
  if ((column.flags & (RETORT_COLUMN_NOT_NULL | RETORT_COLUMN_PRIMARY_KEY)) != 0)
    out += " NOT NULL";
  if ((column.flags & RETORT_COLUMN_UNIQUE) != 0) out += " UNIQUE";
  return out;
}

inline std::string SqlDialect::default_clause(const retort_column& column) const {
  if (is_absent(column.server_default)) return {};
  const std::string_view value = to_view(column.server_default);
  if ((column.flags & RETORT_COLUMN_DEFAULT_IS_EXPRESSION) == 0) {
    return "DEFAULT " + quote_literal(value);
  }
  if (value.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw DialectError::invalid("column " + in_quotes(column_name(column)) +
                                " has an empty default expression");
  }
  return "DEFAULT " + default_expression(value);
}

inline std::string SqlDialect::default_expression(std::string_view expression) const {
  return std::string(expression);
}

inline std::string SqlDialect::autoincrement_clause(const retort_column& /*column*/) const {
  return "GENERATED BY DEFAULT AS IDENTITY";  // SQL:2003's identity column
}

inline std::vector<std::string> SqlDialect::table_constraints(const retort_operation& op) const {
  std::vector<std::string> lines;
  std::vector<std::string> keys;
  for (size_t i = 0; i < op.column_count; ++i) {
    const retort_column& column = *op.columns[i];
    if ((column.flags & RETORT_COLUMN_PRIMARY_KEY) != 0) {
      keys.push_back(quote_identifier(column_name(column)));
    }
  }
  if (!keys.empty()) lines.push_back("PRIMARY KEY (" + detail::join(keys, ", ") + ")");
  for (size_t i = 0; i < op.constraint_count; ++i) {
    lines.push_back(constraint_definition(*op.constraints[i]));
  }
  return lines;
}

// ---- Tables and columns ------------------------------------------------------

inline Statements SqlDialect::render_create_table(const retort_operation& op) const {
  const std::string table = table_name(op);
  if (op.column_count == 0) {
    throw DialectError::invalid("table " + in_quotes(to_view(op.table)) + " has no columns");
  }
  std::vector<std::string> lines;
  for (size_t i = 0; i < op.column_count; ++i) lines.push_back(column_definition(*op.columns[i]));
  for (std::string& constraint : table_constraints(op)) lines.push_back(std::move(constraint));
  Statements out = {"CREATE TABLE " + table + " (\n    " + detail::join(lines, ",\n    ") + "\n)"};
  for (std::string& statement : after_create_table(op)) out.push_back(std::move(statement));
  return out;
}

inline Statements SqlDialect::render_drop_table(const retort_operation& op) const {
  return {"DROP TABLE " + table_name(op)};
}

inline const retort_column& SqlDialect::added_column(const retort_operation& op) {
  if (op.column_count != 1) {
    throw DialectError::invalid("add_column to table " + in_quotes(to_view(op.table)) +
                                " needs one column, not " + std::to_string(op.column_count));
  }
  return *op.columns[0];
}

inline Statements SqlDialect::render_add_column(const retort_operation& op) const {
  const std::string table = table_name(op);
  const retort_column& column = added_column(op);
  Statements out = {"ALTER TABLE " + table + " " + add_column_keyword() + " " +
                    column_definition(column)};
  if (!is_absent(column.comment)) {
    out.push_back(column_comment_statement(op, column_name(column), column.comment));
  }
  return out;
}

inline Statements SqlDialect::render_drop_column(const retort_operation& op) const {
  const std::string table = table_name(op);
  return {"ALTER TABLE " + table + " DROP COLUMN " +
          quote_identifier(required(op.name, "column name"))};
}

// ---- Indexes -----------------------------------------------------------------

inline std::string SqlDialect::index_columns(const retort_operation& op) const {
  return index_elements(op);
}

inline Statements SqlDialect::render_create_index(const retort_operation& op) const {
  const std::string index = quote_identifier(required(op.name, "index name"));
  const char* create =
      (op.flags & RETORT_INDEX_UNIQUE) != 0 ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  std::string statement = create + index + " ON " + table_name(op) + " " + index_elements(op);
  if (!is_absent(op.condition)) statement += " WHERE " + std::string(to_view(op.condition));
  return {statement};
}

// The table is not needed: an index name is unique within its schema.
inline Statements SqlDialect::render_drop_index(const retort_operation& op) const {
  return {"DROP INDEX " + qualified_name(op.schema, required(op.name, "index name"))};
}

inline Statements SqlDialect::render_execute(const retort_operation& op) const {
  return {std::string(required(op.sql, "SQL text"))};
}

// ---- The version table -------------------------------------------------------

inline Statements SqlDialect::render_create_version_table(const retort_operation& op) const {
  const std::string table = table_name(op);
  const std::string column = quote_identifier(detail::kVersionColumn);
  const std::string key = quote_identifier(std::string(to_view(op.table)) + "_pkc");
  return {"CREATE TABLE " + table + " (\n    " + column + " " + version_column_type() +
          " NOT NULL,\n    CONSTRAINT " + key + " PRIMARY KEY (" + column + ")\n)"};
}

inline Statements SqlDialect::render_insert_version(const retort_operation& op) const {
  return {"INSERT INTO " + table_name(op) + " (" + quote_identifier(detail::kVersionColumn) +
          ") VALUES (" + version_literal(op.version, "version") + ")"};
}

inline Statements SqlDialect::render_update_version(const retort_operation& op) const {
  const std::string table = table_name(op);
  const std::string column = quote_identifier(detail::kVersionColumn);
  return {"UPDATE " + table + " SET " + column + "=" + version_literal(op.version, "version") +
          " WHERE " + table + "." + column + " = " +
          version_literal(op.old_version, "old version")};
}

inline Statements SqlDialect::render_delete_version(const retort_operation& op) const {
  const std::string table = table_name(op);
  const std::string column = quote_identifier(detail::kVersionColumn);
  return {"DELETE FROM " + table + " WHERE " + table + "." + column + " = " +
          version_literal(op.version, "version")};
}

inline Statements SqlDialect::render_select_versions(const retort_operation& op) const {
  return {"SELECT " + quote_identifier(detail::kVersionColumn) + " FROM " + table_name(op)};
}

}  // namespace abi1
}  // namespace retort

#endif  // RETORT_DIALECT_RENDER_HPP
