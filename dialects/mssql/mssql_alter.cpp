// The SQL Server dialect's column changes, renames and comments. SQL Server
// keeps defaults as constraints with server-chosen names, renames through
// sp_rename and keeps comments as MS_Description extended properties, so
// these render T-SQL blocks and procedure calls rather than ALTER clauses.
#include "mssql_dialect.hpp"

#include <string>
#include <string_view>

namespace retort_mssql {
namespace {

using retort::DialectError;
using retort::in_quotes;
using retort::is_absent;
using retort::to_view;

// The variable a comment block reads the default schema into.
constexpr std::string_view kSchemaVariable = "@schema";
// The variable that holds a comment EXEC cannot take as it is written.
constexpr std::string_view kCommentVariable = "@comment";

}  // namespace

// ---- Columns -----------------------------------------------------------------

// ALTER TABLE t ADD c ...: T-SQL has no COLUMN keyword here.
Statements MssqlDialect::render_add_column(const retort_operation& op) const {
  const std::string table = table_name(op);
  const retort_column& column = added_column(op);
  Statements out = {"ALTER TABLE " + table + " ADD " + column_definition(column)};
  if (!is_absent(column.comment)) {
    out.push_back(comment_statement(op, column_name(column), column.comment, Known::kAbsent));
  }
  return out;
}

// A column with a default cannot be dropped before its default constraint.
Statements MssqlDialect::render_drop_column(const retort_operation& op) const {
  const std::string table = table_name(op);
  const std::string_view column = required(op.name, "column name");
  return {drop_default_block(op, column),
          "ALTER TABLE " + table + " DROP COLUMN " + quote_identifier(column)};
}

// In Alembic's order: drop the default constraint, ALTER COLUMN with the
// type and nullability, ADD DEFAULT, the comment, and sp_rename last (the
// statements before it name the column by its old name).
Statements MssqlDialect::render_alter_column(const retort_operation& op) const {
  if (op.column_count != 1) throw DialectError::invalid("alter_column needs the changed column");
  const retort_column& target = *op.columns[0];
  const std::string table = table_name(op);
  const std::string_view name = required(op.name, "column name");
  const std::string column = quote_identifier(name);
  const std::string what =
      "column " + in_quotes(name) + " of table " + in_quotes(to_view(op.table));
  Statements out;
  if ((op.alter & RETORT_ALTER_DEFAULT) != 0) out.push_back(drop_default_block(op, name));
  if ((op.alter & (RETORT_ALTER_TYPE | RETORT_ALTER_NULLABLE)) != 0) {
    if (!is_absent(op.condition)) {
      throw DialectError::unsupported("the type change of " + what +
                                      " has a USING expression, which SQL Server does not know; "
                                      "convert the values with execute first");
    }
    std::string statement = "ALTER TABLE " + table + " ALTER COLUMN " + column + " ";
    if ((op.alter & RETORT_ALTER_TYPE) != 0) {
      statement += type_name(target);
    } else if (knows(op, RETORT_ALTER_TYPE)) {
      statement += type_name(*op.existing_column);
    } else {
      throw DialectError::invalid("the nullability of " + what +
                                  " cannot change without its "
                                  "type, which SQL Server's ALTER COLUMN restates; pass "
                                  "existing_type");
    }
    uint32_t flags = 0;
    if ((op.alter & RETORT_ALTER_NULLABLE) != 0) {
      flags = target.flags;
    } else if (knows(op, RETORT_ALTER_NULLABLE)) {
      flags = op.existing_column->flags;
    } else {
      log(RETORT_LOG_WARNING, "alter_column of " + what +
                                  " does not say whether it is nullable, "
                                  "and SQL Server makes it NULL; pass existing_nullable");
    }
    if ((op.alter & RETORT_ALTER_NULLABLE) != 0 || knows(op, RETORT_ALTER_NULLABLE)) {
      statement += (flags & RETORT_COLUMN_NOT_NULL) != 0 ? " NOT NULL" : " NULL";
    }
    out.push_back(std::move(statement));
  }
  if ((op.alter & RETORT_ALTER_DEFAULT) != 0 && !is_absent(target.server_default)) {
    out.push_back("ALTER TABLE " + table + " ADD " + default_clause(target) + " FOR " + column);
  }
  if ((op.alter & RETORT_ALTER_COMMENT) != 0) {
    Known existing = Known::kUnknown;
    if (knows(op, RETORT_ALTER_COMMENT)) {
      existing = is_absent(op.existing_column->comment) ? Known::kAbsent : Known::kPresent;
    }
    std::string statement = comment_statement(op, name, target.comment, existing);
    if (!statement.empty()) out.push_back(std::move(statement));
  }
  if ((op.alter & RETORT_ALTER_NAME) != 0) {
    std::string object = quote_identifier(to_view(op.table)) + "." + column;
    if (!is_absent(op.schema)) object = quote_identifier(to_view(op.schema)) + "." + object;
    const std::string_view new_name = required(target.name, "new column name");
    check_identifier(new_name);
    out.push_back("EXEC sp_rename " + plain_unicode_literal(object) + ", " +
                  plain_unicode_literal(new_name) + ", 'COLUMN'");
  }
  if (out.empty()) throw DialectError::invalid("nothing changes in " + what);
  return out;
}

// SQL Server names a default constraint itself (DF__account__creat__1A2B3C),
// so the block reads the name from the catalog and drops it when there is one.
std::string MssqlDialect::drop_default_block(const retort_operation& op,
                                             std::string_view column) const {
  const std::string table = table_name(op);
  const std::string statement = unicode_literal("ALTER TABLE " + table + " DROP CONSTRAINT ");
  std::string out = "DECLARE @sql NVARCHAR(max) = (\n";
  out += "    SELECT " + statement + " + QUOTENAME(name)\n";
  out += "    FROM sys.default_constraints\n";
  out += "    WHERE parent_object_id = OBJECT_ID(" + unicode_literal(table) + ")\n";
  out += "    AND COL_NAME(parent_object_id, parent_column_id) = ";
  out += unicode_literal(column) + ");\n";
  return out + "IF @sql IS NOT NULL EXEC sp_executesql @sql";
}

// ---- Tables ------------------------------------------------------------------

// The new name is bare: sp_rename keeps the table in its schema.
Statements MssqlDialect::render_rename_table(const retort_operation& op) const {
  const std::string_view new_name = required(op.name, "new table name");
  check_identifier(new_name);
  return {"EXEC sp_rename " + plain_unicode_literal(table_name(op)) + ", " +
          plain_unicode_literal(new_name)};
}

// ---- Comments ----------------------------------------------------------------

Statements MssqlDialect::after_create_table(const retort_operation& op) const {
  Statements out;
  if (!is_absent(op.comment)) out.push_back(comment_statement(op, {}, op.comment, Known::kAbsent));
  for (size_t i = 0; i < op.column_count; ++i) {
    const retort_column& column = *op.columns[i];
    if (!is_absent(column.comment)) {
      out.push_back(comment_statement(op, column_name(column), column.comment, Known::kAbsent));
    }
  }
  return out;
}

Statements MssqlDialect::render_create_table_comment(const retort_operation& op) const {
  if (is_absent(op.comment)) {
    throw DialectError::invalid("the new comment of table " + in_quotes(to_view(op.table)) +
                                " is missing; use drop_table_comment to remove it");
  }
  const Known existing = is_absent(op.existing_comment) ? Known::kUnknown : Known::kPresent;
  return {comment_statement(op, {}, op.comment, existing)};
}

Statements MssqlDialect::render_drop_table_comment(const retort_operation& op) const {
  const Known existing = is_absent(op.existing_comment) ? Known::kUnknown : Known::kPresent;
  return {comment_statement(op, {}, retort_str{nullptr, 0}, existing)};
}

// EXEC sp_addextendedproperty (no comment yet), sp_updateextendedproperty
// (one to replace) or sp_dropextendedproperty; when the revision does not
// say whether there is one, the block asks fn_listextendedproperty. The
// schema is a procedure argument, so an unnamed one is read into @schema.
std::string MssqlDialect::comment_statement(const retort_operation& op, std::string_view column,
                                            retort_str comment, Known existing) const {
  const std::string_view table = required(op.table, "table name");
  const bool drop = is_absent(comment);
  if (drop && existing == Known::kAbsent) return {};
  std::string prefix;
  std::string schema = std::string(kSchemaVariable);
  if (is_absent(op.schema)) {
    prefix = "DECLARE " + schema + " sysname = SCHEMA_NAME();\n";
  } else {
    schema = plain_unicode_literal(to_view(op.schema));
  }
  // EXEC takes a literal or a variable: a comment written as an expression
  // (it has a line break) is set in a variable first.
  std::string value;
  if (!drop) {
    value = unicode_literal(to_view(comment));
    if (value != "N" + SqlDialect::quote_literal(to_view(comment))) {
      prefix += "DECLARE " + std::string(kCommentVariable) + " NVARCHAR(4000) = " + value + ";\n";
      value = std::string(kCommentVariable);
    }
  }
  std::string levels = "@level0type = N'SCHEMA', @level0name = " + schema +
                       ", @level1type = N'TABLE', @level1name = " + plain_unicode_literal(table);
  if (!column.empty()) {
    levels += ", @level2type = N'COLUMN', @level2name = " + plain_unicode_literal(column);
  }
  auto call = [&](std::string_view procedure) {
    std::string out = "EXEC " + std::string(procedure) + " @name = N'MS_Description', ";
    if (!drop) out += "@value = " + value + ", ";
    return out + levels;
  };
  if (existing == Known::kAbsent) return prefix + call("sp_addextendedproperty");
  if (existing == Known::kPresent) {
    return prefix + call(drop ? "sp_dropextendedproperty" : "sp_updateextendedproperty");
  }
  const std::string column_level =
      column.empty() ? "NULL, NULL" : "N'COLUMN', " + plain_unicode_literal(column);
  const std::string listed = "sys.fn_listextendedproperty(N'MS_Description', N'SCHEMA', " + schema +
                             ", N'TABLE', " + plain_unicode_literal(table) + ", " + column_level +
                             ")";
  std::string out = prefix + "IF EXISTS (SELECT 1 FROM " + listed + ")\n    " +
                    call(drop ? "sp_dropextendedproperty" : "sp_updateextendedproperty");
  if (!drop) out += "\nELSE\n    " + call("sp_addextendedproperty");
  return out;
}

}  // namespace retort_mssql
