// The Oracle dialect's operations that differ from generic SQL: ADD without
// COLUMN, MODIFY for alter_column, indexes, foreign-key actions, comments.
#include "oracle_dialect.hpp"

#include <string>
#include <string_view>

namespace retort_oracle {

using retort::DialectError;
using retort::in_quotes;
using retort::to_view;

// ---- Columns -----------------------------------------------------------------

// One statement per changed part, in Alembic's order: nullability, default,
// type, comment, name. MODIFY (c DEFAULT NULL) is how Oracle drops a default.
Statements OracleDialect::render_alter_column(const retort_operation& op) const {
  if (op.column_count != 1) throw DialectError::invalid("alter_column needs the changed column");
  const retort_column& target = *op.columns[0];
  const std::string_view name = required(op.name, "column name");
  const std::string table = table_name(op);
  const std::string modify = "ALTER TABLE " + table + " MODIFY (" + quote_identifier(name) + " ";
  Statements out;
  if ((op.alter & RETORT_ALTER_NULLABLE) != 0) {
    out.push_back(modify + ((target.flags & RETORT_COLUMN_NOT_NULL) != 0 ? "NOT NULL)" : "NULL)"));
  }
  if ((op.alter & RETORT_ALTER_DEFAULT) != 0) {
    const bool drop = retort::is_absent(target.server_default);
    out.push_back(modify + (drop ? std::string("DEFAULT NULL") : default_clause(target)) + ")");
  }
  if ((op.alter & RETORT_ALTER_TYPE) != 0) {
    if (!retort::is_absent(op.condition)) {
      throw DialectError::unsupported(
          "alter_column of " + in_quotes(name) +
          " gives a USING expression, which oracle's MODIFY has not; convert the data with "
          "execute() instead");
    }
    out.push_back(modify + type_name(target) + ")");
  }
  if ((op.alter & RETORT_ALTER_COMMENT) != 0) {
    out.push_back(column_comment_statement(op, name, target.comment));
  }
  if ((op.alter & RETORT_ALTER_NAME) != 0) {
    out.push_back("ALTER TABLE " + table + " RENAME COLUMN " + quote_identifier(name) + " TO " +
                  quote_identifier(required(target.name, "new column name")));
  }
  if (out.empty()) {
    throw DialectError::invalid("alter_column of " + in_quotes(name) + " changes nothing");
  }
  return out;
}

// ---- Indexes -----------------------------------------------------------------

// An unqualified index goes to the current user's schema, not the table's,
// so an index on another schema's table is named with that schema.
Statements OracleDialect::render_create_index(const retort_operation& op) const {
  const std::string index = qualified_name(op.schema, required(op.name, "index name"));
  if (!retort::is_absent(op.condition)) {
    throw DialectError::unsupported(
        "index " + in_quotes(to_view(op.name)) +
        " has a WHERE clause, but oracle has no partial indexes; index an expression such as "
        "CASE WHEN <condition> THEN <column> END instead");
  }
  const char* create =
      (op.flags & RETORT_INDEX_UNIQUE) != 0 ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  return {create + index + " ON " + table_name(op) + " " + index_elements(op)};
}

// ---- Constraints -------------------------------------------------------------

// Oracle knows ON DELETE CASCADE and ON DELETE SET NULL; NO ACTION is what
// it does when no action is given, and there is no keyword for it.
std::string OracleDialect::referential_action(uint32_t action) const {
  switch (action) {
    case RETORT_REFERENTIAL_NO_ACTION:
      return {};
    case RETORT_REFERENTIAL_RESTRICT:
    case RETORT_REFERENTIAL_SET_DEFAULT:
      throw DialectError::unsupported(
          "oracle foreign keys cannot " + SqlDialect::referential_action(action) +
          " on delete: use CASCADE or SET NULL, or no action to refuse the delete");
  }
  return SqlDialect::referential_action(action);
}

std::string OracleDialect::constraint_body(const retort_constraint& c) const {
  if (c.kind == RETORT_CONSTRAINT_FOREIGN_KEY && c.on_update != RETORT_REFERENTIAL_UNSPECIFIED &&
      c.on_update != RETORT_REFERENTIAL_NO_ACTION) {
    const std::string what = retort::is_absent(c.name)
                                 ? std::string("a foreign key")
                                 : "foreign key " + in_quotes(to_view(c.name));
    throw DialectError::unsupported(what +
                                    " has an ON UPDATE action, which oracle has not; leave "
                                    "on_update unset or use a trigger");
  }
  return SqlDialect::constraint_body(c);
}

// ---- Comments ----------------------------------------------------------------

// Oracle refuses IS NULL: an empty comment removes one. IS takes only a
// literal, so a comment SQL*Plus could misread goes through sqlplus_safe.
std::string OracleDialect::table_comment_statement(const retort_operation& op,
                                                   retort_str comment) const {
  const std::string_view text = retort::is_absent(comment) ? std::string_view() : to_view(comment);
  return sqlplus_safe("COMMENT ON TABLE " + table_name(op) + " IS " +
                      SqlDialect::quote_literal(text));
}

std::string OracleDialect::column_comment_statement(const retort_operation& op,
                                                    std::string_view column,
                                                    retort_str comment) const {
  const std::string_view text = retort::is_absent(comment) ? std::string_view() : to_view(comment);
  return sqlplus_safe("COMMENT ON COLUMN " + table_name(op) + "." + quote_identifier(column) +
                      " IS " + SqlDialect::quote_literal(text));
}

}  // namespace retort_oracle
