// The MySQL/MariaDB dialect: comments, constraints, indexes and
// alter_column, which MySQL writes as one MODIFY or CHANGE restating the
// whole column, as Alembic's MySQLImpl does.
#include "mysql_dialect.hpp"

#include <string>
#include <string_view>

namespace retort_mysql {
namespace {

using retort::DialectError;
using retort::in_quotes;
using retort::is_absent;
using retort::to_view;

std::string describe(const retort_operation& op, std::string_view column) {
  return "column " + in_quotes(column) + " of table " + in_quotes(to_view(op.table));
}

}  // namespace

// ---- Comments ----------------------------------------------------------------

// A table option; an empty comment is no comment.
std::string MysqlDialect::table_comment_statement(const retort_operation& op,
                                                  retort_str comment) const {
  return "ALTER TABLE " + table_name(op) + " COMMENT " +
         (is_absent(comment) ? std::string("''") : quote_literal(to_view(comment)));
}

// MySQL has no COMMENT ON: a column's comment is part of its definition.
// Every renderer here writes it inline, so only a caller outside them ends up here.
std::string MysqlDialect::column_comment_statement(const retort_operation& op,
                                                   std::string_view column,
                                                   retort_str /*comment*/) const {
  throw DialectError::unsupported("mysql cannot comment on " + describe(op, column) +
                                  " alone; use alter_column with comment and existing_type");
}

// ---- Constraints -------------------------------------------------------------

// InnoDB parses SET DEFAULT but refuses a table that uses it.
std::string MysqlDialect::referential_action(uint32_t action) const {
  if (action == RETORT_REFERENTIAL_SET_DEFAULT) {
    throw DialectError::unsupported(
        "mysql's InnoDB refuses a foreign key action SET DEFAULT; use "
        "SET NULL, CASCADE, RESTRICT or NO ACTION");
  }
  return SqlDialect::referential_action(action);
}

// InnoDB gives a foreign key whose columns no index leads with an index of
// its own, named after the key, and keeps it when the key is dropped: it
// goes too, so that dropping a key undoes adding it (autogenerate's
// downgrade). Only online can it be seen; offline the key alone is dropped.
Statements MysqlDialect::drop_foreign_key(const retort_operation& op, const std::string& prefix,
                                          const std::string& name) const {
  Statements out = {prefix + "FOREIGN KEY " + name};
  if (!can_query()) return out;
  const std::string schema =
      is_absent(op.schema) ? std::string("DATABASE()") : quote_literal(to_view(op.schema));
  const retort::Rows index =
      query("SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " + schema +
            " AND TABLE_NAME = " + quote_literal(to_view(op.table)) +
            " AND INDEX_NAME = " + quote_literal(to_view(op.constraints[0]->name)) + " LIMIT 1");
  if (!index.empty()) out.push_back(prefix + "INDEX " + name);
  return out;
}

// One form per kind, as Alembic writes them. A CHECK is dropped with DROP
// CONSTRAINT, which MariaDB (10.2+) and MySQL (8.0.19+) both accept; MySQL's
// own DROP CHECK is unknown to MariaDB, and the renderer cannot tell the two
// servers apart. A unique constraint is an index in MySQL.
Statements MysqlDialect::render_drop_constraint(const retort_operation& op) const {
  if (op.constraint_count != 1) throw DialectError::invalid("the operation has no constraint");
  const retort_constraint& c = *op.constraints[0];
  const std::string prefix = "ALTER TABLE " + table_name(op) + " DROP ";
  switch (c.kind) {
    case RETORT_CONSTRAINT_PRIMARY_KEY:
      return {prefix + "PRIMARY KEY"};
    case RETORT_CONSTRAINT_FOREIGN_KEY:
      return drop_foreign_key(op, prefix, constraint_name(c, "foreign key"));
    case RETORT_CONSTRAINT_UNIQUE:
      return {prefix + "INDEX " + constraint_name(c, "unique constraint")};
    case RETORT_CONSTRAINT_CHECK:
      return {prefix + "CONSTRAINT " + constraint_name(c, "check constraint")};
  }
  throw DialectError::invalid("no generic drop constraint in mysql: give the type of constraint " +
                              in_quotes(to_view(c.name)) + " of table " +
                              in_quotes(to_view(op.table)));
}

// ---- Indexes -----------------------------------------------------------------

// MariaDB has neither partial nor expression indexes (MySQL 8 has only the
// latter), so both are refused rather than written for one server only.
Statements MysqlDialect::render_create_index(const retort_operation& op) const {
  const std::string what =
      "index " + in_quotes(to_view(op.name)) + " of table " + in_quotes(to_view(op.table));
  if (!is_absent(op.condition)) {
    throw DialectError::unsupported(what +
                                    " is partial (WHERE), which mysql and mariadb cannot "
                                    "index; index the whole column");
  }
  for (size_t i = 0; op.column_name_flags != nullptr && i < op.column_name_count; ++i) {
    if ((op.column_name_flags[i] & RETORT_ELEMENT_EXPRESSION) != 0) {
      throw DialectError::unsupported(what +
                                      " indexes an expression, which mariadb cannot; index "
                                      "a generated column instead");
    }
  }
  return SqlDialect::render_create_index(op);
}

// An index belongs to its table: DROP INDEX ix ON t.
Statements MysqlDialect::render_drop_index(const retort_operation& op) const {
  const std::string index = quote_identifier(required(op.name, "index name"));
  if (to_view(op.table).empty()) {
    throw DialectError::invalid("mysql drops index " + in_quotes(to_view(op.name)) +
                                " from its table: pass the table name to drop_index");
  }
  return {"DROP INDEX " + index + " ON " + table_name(op)};
}

// ---- alter_column ------------------------------------------------------------

// A change of the default alone is ALTER COLUMN SET/DROP DEFAULT. Anything
// else restates the column: MODIFY c <definition>, or CHANGE c new
// <definition> with a rename. The definition takes each part from the new
// values when it changes, else from existing_*; MODIFY drops what it does not
// restate. So the type is required (Alembic's rule); an unknown nullability
// becomes NULL, as in Alembic, with a warning; an unknown default or comment
// is dropped.
Statements MysqlDialect::render_alter_column(const retort_operation& op) const {
  if (op.column_count != 1) throw DialectError::invalid("alter_column needs the changed column");
  const retort_column& target = *op.columns[0];
  const std::string_view name = required(op.name, "column name");
  const std::string table = table_name(op);
  const std::string what = describe(op, name);
  if ((op.alter & (RETORT_ALTER_TYPE | RETORT_ALTER_NULLABLE | RETORT_ALTER_DEFAULT |
                   RETORT_ALTER_NAME | RETORT_ALTER_COMMENT)) == 0) {
    throw DialectError::invalid("alter_column of " + what + " changes nothing");
  }
  if (op.alter == RETORT_ALTER_DEFAULT) {
    return {"ALTER TABLE " + table + " ALTER COLUMN " + quote_identifier(name) + " " +
            (is_absent(target.server_default) ? std::string("DROP DEFAULT")
                                              : "SET " + default_clause(target))};
  }
  const bool new_type = (op.alter & RETORT_ALTER_TYPE) != 0;
  if (!new_type && !knows(op, RETORT_ALTER_TYPE)) {
    throw DialectError::invalid(
        "all mysql change/modify column operations require the existing "
        "type: pass existing_type to alter_column of " +
        what);
  }
  if (new_type && !is_absent(op.condition)) {
    throw DialectError::unsupported("mysql has no USING for the type change of " + what +
                                    "; convert the values with execute first");
  }
  const retort_column& existing = op.existing_column != nullptr ? *op.existing_column : target;
  const retort_column& typed = new_type ? target : existing;
  retort_column column{};
  column.struct_size = sizeof column;
  column.type = typed.type;
  column.length = typed.length;
  column.precision = typed.precision;
  column.scale = typed.scale;
  column.type_name = typed.type_name;
  const bool renamed = (op.alter & RETORT_ALTER_NAME) != 0;
  column.name = renamed ? target.name : op.name;
  if (renamed) required(target.name, "new column name");

  if ((op.alter & RETORT_ALTER_NULLABLE) != 0) {
    column.flags |= target.flags & RETORT_COLUMN_NOT_NULL;
  } else if (knows(op, RETORT_ALTER_NULLABLE)) {
    column.flags |= existing.flags & RETORT_COLUMN_NOT_NULL;
  } else {
    log(RETORT_LOG_WARNING, "alter_column of " + what +
                                " does not state existing_nullable: mysql's MODIFY makes it NULL");
  }
  const retort_column* with_default = (op.alter & RETORT_ALTER_DEFAULT) != 0 ? &target
                                      : knows(op, RETORT_ALTER_DEFAULT)      ? &existing
                                                                             : nullptr;
  if (with_default != nullptr) {
    column.server_default = with_default->server_default;
    column.flags |= with_default->flags & RETORT_COLUMN_DEFAULT_IS_EXPRESSION;
  }
  if (knows(op, RETORT_ALTER_AUTOINCREMENT)) {
    column.flags |= existing.flags & RETORT_COLUMN_AUTOINCREMENT;
  }
  if ((op.alter & RETORT_ALTER_COMMENT) != 0) {
    column.comment = target.comment;
  } else if (knows(op, RETORT_ALTER_COMMENT)) {
    column.comment = existing.comment;
  }
  const std::string action = renamed ? "CHANGE " + quote_identifier(name) + " " : "MODIFY ";
  return {"ALTER TABLE " + table + " " + action + full_definition(column, true)};
}

}  // namespace retort_mysql
